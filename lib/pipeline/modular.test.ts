import { describe, expect, it } from 'vitest';
import { node, pipeline, Pipeline } from './index';

function preprocess(raw: unknown, _threshold: unknown) {
  return raw;
}
function summarise(clean: unknown) {
  return clean;
}
function plot(summary: unknown, _style: unknown) {
  return summary;
}

const template = new Pipeline([
  node(preprocess, ['raw', 'params:threshold'], 'clean'),
  node(summarise, 'clean', 'summary'),
  node(plot, ['summary', 'params:style'], 'figure'),
]);

const names = (p: Pipeline) => p.nodes.map((x) => `${x.name}: ${x.inputs.join(',')} -> ${x.outputs.join(',')}`);

describe('modular pipeline()', () => {
  it('prefixes node names and datasets with the namespace, but not parameters', () => {
    expect(names(pipeline(template, { namespace: 'layer_1' }))).toEqual([
      'layer_1.preprocess: layer_1.raw,params:threshold -> layer_1.clean',
      'layer_1.summarise: layer_1.clean -> layer_1.summary',
      'layer_1.plot: layer_1.summary,params:style -> layer_1.figure',
    ]);
    expect(pipeline(template, { namespace: 'layer_1' }).nodes[0]!.namespace).toBe('layer_1');
  });

  it('keeps or renames mapped inputs, outputs and parameters', () => {
    const p = pipeline(template, {
      namespace: 'layer_1',
      inputs: { raw: 'raw_pixel_layer_1' },
      outputs: ['figure'],
      parameters: { threshold: 'params:layer_1.threshold' },
    });
    expect(names(p)).toEqual([
      'layer_1.preprocess: raw_pixel_layer_1,params:layer_1.threshold -> layer_1.clean',
      'layer_1.summarise: layer_1.clean -> layer_1.summary',
      'layer_1.plot: layer_1.summary,params:style -> figure',
    ]);
  });

  it('accepts a string, a list and intermediate outputs', () => {
    const p = pipeline(template, { namespace: 'ns', inputs: 'raw', outputs: { summary: 'final_summary' } });
    expect([...p.inputs()].sort()).toEqual(['params:style', 'params:threshold', 'raw']);
    expect(p.producerOf('final_summary')?.name).toBe('ns.summarise');
  });

  it('nests namespaces', () => {
    const inner = pipeline(template, { namespace: 'inner' });
    const outer = pipeline(inner, { namespace: 'outer' });
    expect(outer.nodes[0]!.name).toBe('outer.inner.preprocess');
    expect(outer.nodes[0]!.namespace).toBe('outer.inner');
    expect(outer.nodes[0]!.inputs[0]).toBe('outer.inner.raw');
    expect(outer.onlyNodesWithNamespace('outer').nodes.length).toBe(3);
    expect(outer.onlyNodesWithNamespace('outer.inner').nodes.length).toBe(3);
  });

  it('instantiates one template several times without clashes', () => {
    const layers = [1, 2].map((i) => pipeline(template, { namespace: `layer_${i}`, inputs: { raw: `raw_${i}` } }));
    const all = new Pipeline(layers);
    expect(all.nodes.length).toBe(6);
    expect([...all.inputs()].sort()).toEqual(['params:style', 'params:threshold', 'raw_1', 'raw_2']);
  });

  it('adds tags and accepts a list of nodes', () => {
    const p = pipeline([node(summarise, 'a', 'b')], { tags: ['t'] });
    expect([...p.nodes[0]!.tags]).toEqual(['t']);
    expect(p.nodes[0]!.name).toBe('summarise');
  });

  it('keeps a node runnable under its new names', async () => {
    const p = pipeline(template, { namespace: 'ns' });
    expect(await p.getNode('ns.summarise')!.run({ 'ns.clean': 7 })).toEqual({ 'ns.summary': 7 });
  });

  describe('errors', () => {
    it('rejects mapping an input that another node produces', () => {
      expect(() => pipeline(template, { namespace: 'ns', inputs: ['clean'] })).toThrow(
        "Inputs must not be outputs of another node in the same pipeline (namespace 'ns'): clean",
      );
    });
    it('rejects names that are not inputs, outputs or parameters of the pipeline', () => {
      expect(() => pipeline(template, { namespace: 'ns', inputs: 'nope', outputs: 'gone', parameters: 'missing' })).toThrow(
        "Failed to map datasets and/or parameters onto the nodes provided (namespace 'ns'): nope, gone, params:missing",
      );
      expect(() => pipeline(template, { inputs: 'nope' })).toThrow('Failed to map datasets and/or parameters onto the nodes provided: nope');
    });
    it('rejects an unknown namespace filter', () => {
      expect(() => template.onlyNodesWithNamespace('ns')).toThrow("Pipeline does not contain nodes in namespace 'ns'");
    });
  });
});
