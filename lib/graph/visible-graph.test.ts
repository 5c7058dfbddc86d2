import { describe, expect, it } from 'vitest';
import { buildGraph, largeKedroVizGraph } from '../viz';
import { smallProjectSource } from '../viz/small-project.fixtures';
import { neighbourhood, visibleGraph } from './visible-graph';

const g = buildGraph(smallProjectSource());
const none = new Set<never>();

describe('visibleGraph', () => {
  it('shows everything when every modular pipeline is expanded', () => {
    const v = visibleGraph(g, { expanded: new Set(['layer_1']), hiddenTypes: none, tags: none });
    expect(v.nodes.map((n) => n.id).sort()).toEqual(g.nodes.filter((n) => n.type !== 'modularPipeline').map((n) => n.id).sort());
    expect(v.edges).toHaveLength(7);
  });

  it('draws a collapsed modular pipeline as one node, keeping its inputs and outputs outside', () => {
    const v = visibleGraph(g, { expanded: none, hiddenTypes: none, tags: none });
    expect(v.nodes.map((n) => n.id).sort()).toEqual(['layer_1', 'mean_image_1', 'params:threshold', 'raw_pixel_layer_1', 'report', 'report_table']);
    expect(v.edges.map((e) => e.id).sort()).toEqual(['layer_1->mean_image_1', 'mean_image_1->report', 'params:threshold->layer_1', 'raw_pixel_layer_1->layer_1', 'report->report_table']);
  });

  it('bridges hidden datasets with task-to-task edges', () => {
    const v = visibleGraph(g, { expanded: new Set(['layer_1']), hiddenTypes: new Set(['data', 'parameters']), tags: none });
    expect(v.nodes.map((n) => n.id).sort()).toEqual(['layer_1.mean_image', 'layer_1.summary_statistics', 'report']);
    expect(v.edges.map((e) => e.id).sort()).toEqual(['layer_1.mean_image->report', 'layer_1.summary_statistics->layer_1.mean_image']);
  });

  it('filters by tag', () => {
    const v = visibleGraph(g, { expanded: new Set(['layer_1']), hiddenTypes: none, tags: new Set(['reporting']) });
    expect(v.nodes.map((n) => n.id).sort()).toEqual(['mean_image_1', 'report', 'report_table']);
  });

  it('gives the hover neighbourhood', () => {
    const v = visibleGraph(g, { expanded: none, hiddenTypes: none, tags: none });
    expect([...neighbourhood(v.edges, 'mean_image_1')].sort()).toEqual(['layer_1', 'mean_image_1', 'report']);
  });

  it('names the boxes each node is drawn in and hides a switched-off layer', () => {
    const v = visibleGraph(g, { expanded: new Set(['layer_1']), hiddenTypes: none, tags: none, hiddenLayers: new Set(['intermediate']) });
    expect(v.groups['layer_1.summary_statistics']).toEqual(['layer_1']);
    expect(v.groups['report']).toEqual([]);
    expect(v.nodes.map((n) => n.id)).not.toContain('layer_1.stats');
    expect(v.edges.map((e) => e.id)).toContain('layer_1.summary_statistics->layer_1.mean_image');
  });

  it("stacks Kedro-Viz largeDataset's 1,000-node fan-out into one node, collapsed or expanded", () => {
    const big = largeKedroVizGraph();
    const collapsed = visibleGraph(big, { expanded: none, hiddenTypes: none, tags: none });
    expect(collapsed.nodes.length).toBeLessThan(60);
    expect(Object.values(collapsed.stacks).map((m) => m.length)).toEqual([1000]);
    expect(collapsed.nodes.find((n) => n.id === 'stack:ingestion')!.name).toBe('1,000 datasets (spine_copy_0, …)');
    const all = new Set(Object.keys(big.modular_pipelines));
    const expanded = visibleGraph(big, { expanded: all, hiddenTypes: none, tags: none });
    expect(Object.values(expanded.stacks).map((m) => m.length)).toEqual([2000]);
    expect(expanded.nodes.find((n) => n.id === 'stack:ingestion.prm_spine_table')!.name).toBe('2,000 nodes and datasets (ingestion.identity_func_0, …)');
    const unstacked = visibleGraph(big, { expanded: all, hiddenTypes: none, tags: none, unstacked: new Set(['ingestion.prm_spine_table']) });
    expect(unstacked.nodes.length).toBe(big.nodes.length - 6);
  });
});
