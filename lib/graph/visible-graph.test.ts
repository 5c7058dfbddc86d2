import { describe, expect, it } from 'vitest';
import { buildGraph } from '../viz';
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
});
