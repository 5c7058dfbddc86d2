import { describe, expect, it } from 'vitest';
import { node, Pipeline } from '../pipeline';
import { buildFullGraph, buildGraph, catalogLayerOrder } from './build-graph';
import { smallProjectSource } from './small-project.fixtures';

describe('buildGraph', () => {
  it('builds the Kedro-Viz /api/main JSON with readable ids', () => {
    const g = buildGraph(smallProjectSource());
    expect(g.selected_pipeline).toBe('__default__');
    const byId = Object.fromEntries(g.nodes.map((n) => [n.id, n]));
    expect(Object.keys(byId).sort()).toEqual(
      ['layer_1', 'layer_1.mean_image', 'layer_1.stats', 'layer_1.summary_statistics', 'mean_image_1', 'params:threshold', 'raw_pixel_layer_1', 'report', 'report_table'].sort(),
    );
    expect(byId['layer_1.summary_statistics']).toMatchObject({ type: 'task', modular_pipelines: ['layer_1'], tags: ['processing'], parameters: { threshold: 0.5 } });
    expect(byId['params:threshold']).toMatchObject({ type: 'parameters', modular_pipelines: [], dataset_type: null });
    expect(byId['layer_1.stats']).toMatchObject({ type: 'data', modular_pipelines: ['layer_1'], layer: 'intermediate', dataset_type: 'CSVDataset' });
    expect(byId['mean_image_1']).toMatchObject({ type: 'data', modular_pipelines: [], layer: 'primary', tags: ['processing', 'reporting'] });
    expect(byId['layer_1']).toMatchObject({ type: 'modularPipeline', modular_pipelines: null, pipelines: ['__default__', 'data_processing'] });
    expect(byId['report']!.pipelines).toEqual(['__default__', 'reporting']);
    expect(g.edges).toContainEqual({ source: 'raw_pixel_layer_1', target: 'layer_1.summary_statistics' });
    expect(g.edges).toContainEqual({ source: 'layer_1', target: 'mean_image_1' });
    expect(g.layers).toEqual(['raw', 'intermediate', 'primary', 'reporting']);
    expect(g.tags).toEqual([{ id: 'processing', name: 'processing' }, { id: 'reporting', name: 'reporting' }]);
    expect(g.pipelines.map((p) => p.id)).toEqual(['__default__', 'data_processing', 'reporting']);
  });

  it('builds the modular pipeline tree with inputs, outputs and children', () => {
    const g = buildGraph(smallProjectSource());
    expect(g.modular_pipelines['layer_1']).toEqual({
      id: 'layer_1',
      name: 'layer_1',
      inputs: ['raw_pixel_layer_1', 'params:threshold'],
      outputs: ['mean_image_1'],
      children: [
        { id: 'layer_1.summary_statistics', type: 'task' },
        { id: 'layer_1.mean_image', type: 'task' },
        { id: 'layer_1.stats', type: 'data' },
      ],
    });
    const root = g.modular_pipelines['__root__']!;
    expect(root.children.map((c) => c.id).sort()).toEqual(['layer_1', 'mean_image_1', 'params:threshold', 'raw_pixel_layer_1', 'report', 'report_table'].sort());
  });

  it('shows one pipeline when asked and explains an unknown one', () => {
    const g = buildGraph(smallProjectSource(), 'reporting');
    expect(g.nodes.map((n) => n.id).sort()).toEqual(['mean_image_1', 'report', 'report_table']);
    expect(() => buildGraph(smallProjectSource(), 'reportin')).toThrow("Pipeline 'reportin' not found. Available pipelines: __default__, data_processing, reporting. Did you mean 'reporting'?");
  });

  it('prefixes a task id that clashes with a dataset name', () => {
    const clash = new Pipeline([node(function make() { return 1; }, null, 'total', { name: 'total_node' }), node(function total(x: unknown) { return x; }, 'total', 'out', { name: 'out' + '_maker' })]);
    const p = new Pipeline([node(function shared(x: unknown) { return x; }, 'a', 'shared', { name: 'shared' })]);
    expect(buildGraph({ pipelines: { __default__: p } }).nodes.find((n) => n.type === 'task')!.id).toBe('task:shared');
    expect(buildGraph({ pipelines: { __default__: clash } }).nodes.filter((n) => n.type === 'task').map((n) => n.id)).toEqual(['total_node', 'out_maker']);
  });

  it('writes every pipeline into the full graph for --save-file', () => {
    const g = buildFullGraph(smallProjectSource());
    expect(g.nodes.filter((n) => n.type === 'task')).toHaveLength(3);
    expect(g.selected_pipeline).toBe('__default__');
  });

  it("orders layers by the data flow, ties in the catalog's order", () => {
    const src = smallProjectSource();
    expect(buildGraph({ ...src, layerOrder: ['reporting', 'primary', 'intermediate', 'raw'] }).layers).toEqual(['raw', 'intermediate', 'primary', 'reporting']);
    const parallel = new Pipeline([node(function a(x: unknown) { return x; }, 'in_a', 'out_a'), node(function b(x: unknown) { return x; }, 'in_b', 'out_b')]);
    const layers: Record<string, string> = { in_a: 'feature', out_a: 'feature', in_b: 'intermediate', out_b: 'intermediate' };
    const g = buildGraph({ pipelines: { __default__: parallel }, describeDataset: (n) => ({ layer: layers[n] }), layerOrder: catalogLayerOrder({ x: { layer: 'raw' }, y: { layer: 'intermediate' }, z: { metadata: { 'kedro-viz': { layer: 'feature' } } } }) });
    expect(g.layers).toEqual(['intermediate', 'feature']);
  });
});
