/** Transcoding, `--namespaces` and `prefixDatasetsWithNamespace`, as Kedro 1.x defines them. */
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { node, Pipeline, pipeline, PipelineError } from './index';

const f = (x: unknown) => x;
const named = (name: string) => Object.defineProperty((...xs: unknown[]) => xs[0], 'name', { value: name });

describe('transcoding', () => {
  const p = new Pipeline([
    node(named('load_spark'), 'raw', 'my_df@spark'),
    node(named('use_pandas'), 'my_df@pandas', 'summary'),
    node(named('use_spark'), 'my_df@spark', 'other'),
  ]);

  it('one dataset for the graph: readers of my_df@pandas depend on the writer of my_df@spark', () => {
    expect(p.nodeNames()).toEqual(['load_spark', 'use_pandas', 'use_spark']);
    expect([...p.inputs()]).toEqual(['raw']);
    expect([...p.outputs()].sort()).toEqual(['other', 'summary']);
    expect(p.producerOf('my_df@pandas')?.name).toBe('load_spark');
    expect(p.consumersOf('my_df@spark').map((n) => n.name)).toEqual(['use_pandas', 'use_spark']);
    expect(p.grouped().map((g) => g.map((n) => n.name))).toEqual([['load_spark'], ['use_pandas', 'use_spark']]);
  });

  it('filters follow the dataset; a name without its format means every format', () => {
    expect(p.fromNodes('load_spark').nodeNames()).toEqual(['load_spark', 'use_pandas', 'use_spark']);
    expect(p.toNodes('use_pandas').nodeNames()).toEqual(['load_spark', 'use_pandas']);
    expect(p.fromInputs('my_df').nodeNames()).toEqual(['use_pandas', 'use_spark']);
    expect(p.fromInputs('my_df@pandas').nodeNames()).toEqual(['use_pandas']);
    expect(p.toOutputs('my_df').nodeNames()).toEqual(['load_spark']);
  });

  it('two writers of one dataset, a name with and without the separator, two separators: errors', () => {
    expect(() => new Pipeline([node(named('a'), 'x', 'my_df@spark'), node(named('b'), 'y', 'my_df@pandas')])).toThrow(
      "Output 'my_df@pandas' is produced by more than one node: a, b",
    );
    expect(() => new Pipeline([node(named('a'), 'x', 'my_df@spark'), node(named('b'), 'my_df', 'z')])).toThrow(
      'The following datasets are used with transcoding, but were referenced without the separator: my_df. Please specify a transcoding option or rename the datasets.',
    );
    expect(() => new Pipeline([node(named('a'), 'x', 'my_df@spark@v2')])).toThrow("Expected maximum 1 transcoding separator, found 2 instead: 'my_df@spark@v2'.");
  });

  it('a modular pipeline maps the base name and keeps the format', () => {
    const inner = new Pipeline([node(named('write'), 'raw', 'my_df@spark'), node(named('read'), 'my_df@pandas', 'out')]);
    const mp = pipeline(inner, { namespace: 'ns', inputs: { raw: 'source' }, outputs: { my_df: 'shared_df' } });
    expect(mp.nodes.map((n) => `${n.name}: ${n.inputs.join(',')} -> ${n.outputs.join(',')}`)).toEqual([
      'ns.write: source -> shared_df@spark',
      'ns.read: shared_df@pandas -> ns.out',
    ]);
  });
});

describe('--namespaces', () => {
  const layer = new Pipeline([node(named('summary'), 'maps', 'stats')]);
  const all = new Pipeline([
    pipeline(layer, { namespace: 'layer_1' }),
    pipeline(layer, { namespace: 'layer_2' }),
    pipeline(pipeline(layer, { namespace: 'deep' }), { namespace: 'layer_3' }),
    node(f, 'x', 'y', { name: 'top' }),
  ]);

  it('keeps the nodes of any of the namespaces, nested ones included', () => {
    expect(all.filter({ namespaces: ['layer_1', 'layer_3'] }).nodeNames()).toEqual(['layer_1.summary', 'layer_3.deep.summary']);
    expect(all.namespaces()).toEqual(['layer_1', 'layer_2', 'layer_3', 'layer_3.deep']);
  });

  it('a namespace with no nodes is an error naming it', () => {
    expect(() => all.filter({ namespaces: ['layer_1', 'layer_4'] })).toThrow(
      "Pipeline does not contain nodes with the following namespaces: 'layer_4'. Did you mean 'layer_1' or 'layer_2' or 'layer_3'?",
    );
  });
});

describe('prefixDatasetsWithNamespace: false', () => {
  it('namespaces node names only, datasets and parameters keep their names', () => {
    const inner = new Pipeline([node(named('clean'), ['raw', 'params:threshold'], 'clean_data')]);
    const mp = pipeline(inner, { namespace: 'cleaning', prefixDatasetsWithNamespace: false });
    expect(mp.nodes.map((n) => [n.name, n.namespace, [...n.inputs], [...n.outputs]])).toEqual([
      ['cleaning.clean', 'cleaning', ['raw', 'params:threshold'], ['clean_data']],
    ]);
    const prefixed = pipeline(inner, { namespace: 'cleaning' });
    expect([...prefixed.nodes[0]!.inputs, ...prefixed.nodes[0]!.outputs]).toEqual(['cleaning.raw', 'params:threshold', 'cleaning.clean_data']);
  });
});

describe('parameter schemas', () => {
  it('travel with the nodes through filters, sums and parameter remapping', () => {
    const schema = z.object({ threshold: z.number() });
    const inner = new Pipeline([node(named('flag'), ['scores', 'params:strategy'], 'flags')], { parameterSchemas: { strategy: schema } });
    const mp = pipeline(inner, { namespace: 'layer_1', parameters: { strategy: 'layer_1.strategy' } });
    const all = new Pipeline([mp, node(f, 'a', 'b', { name: 'other' })]).filter({ namespaces: ['layer_1'] });
    expect([...all.parameterSchemas().keys()]).toEqual(['layer_1.strategy']);
    expect(all.parameterSchemas().get('layer_1.strategy')).toEqual([{ schema, node: 'layer_1.flag' }]);
  });

  it('a namespace filter that matches nothing is a PipelineError', () => {
    expect(() => new Pipeline([node(f, 'a', 'b', { name: 'n' })]).onlyNodesWithNamespaces(['x'])).toThrow(PipelineError);
  });
});
