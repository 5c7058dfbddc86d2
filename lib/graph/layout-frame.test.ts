import { describe, expect, it } from 'vitest';
import { layeredLayout } from './layout';
import { elkLayout } from './layout-elk';
import { bandLabelWidth } from './layout-frame';
import type { LayoutInput, LayoutResult } from './layout-types';
import { initialViewport } from './viewport';

/** cluster_charge's shape: raw inputs and a parameter, a task per layer in a box, its output in `models`. */
function clusterCharge(direction: 'TB' | 'LR'): LayoutInput {
  const nodes: LayoutInput['nodes'] = [{ id: 'params:strategies.task', width: 170, height: 28 }];
  const edges: LayoutInput['edges'] = [];
  for (const l of [1, 2, 3, 4]) {
    const group = ['cluster_charge', `cluster_charge.layer_${l}`];
    nodes.push({ id: `raw_${l}`, width: 200, height: 28, layer: 0 }, { id: `task_${l}`, width: 150, height: 28, group }, { id: `ref_${l}`, width: 90, height: 28, layer: 1, group });
    edges.push({ source: `raw_${l}`, target: `task_${l}` }, { source: 'params:strategies.task', target: `task_${l}` }, { source: `task_${l}`, target: `ref_${l}` });
  }
  return { nodes, edges, direction, layers: ['raw', 'models'] };
}

/** The drawn extent of nodes and boxes. */
function extent(input: LayoutInput, r: LayoutResult) {
  const rects = [...input.nodes.map((n) => ({ ...r.positions[n.id]!, width: n.width, height: n.height })), ...r.groups];
  return { x0: Math.min(...rects.map((b) => b.x)), y0: Math.min(...rects.map((b) => b.y)), x1: Math.max(...rects.map((b) => b.x + b.width)), y1: Math.max(...rects.map((b) => b.y + b.height)) };
}

describe('framed layouts: nodes and boxes after the band labels, extent from 0', () => {
  const engines = { layered: async (i: LayoutInput) => layeredLayout(i), elk: elkLayout };
  for (const [engine, run] of Object.entries(engines)) {
    it(`${engine}, top-down: a gutter left of every node and box for the widest band label; width and height are the drawn extent`, async () => {
      const input = clusterCharge('TB');
      const r = await run(input);
      const e = extent(input, r);
      expect(e.x0).toBeGreaterThanOrEqual(bandLabelWidth('models'));
      expect(e.x0).toBeLessThan(bandLabelWidth('models') + 20);
      expect(e.y0).toBe(0);
      expect([r.width, r.height]).toEqual([e.x1, e.y1]);
      // each band still holds its layer's nodes
      const models = r.bands.find((b) => b.name === 'models')!;
      for (const l of [1, 2, 3, 4]) expect(r.positions[`ref_${l}`]!.y).toBeGreaterThanOrEqual(models.start);
      // edge routes moved with the nodes
      if (r.edgePoints) expect(r.edgePoints['task_1->ref_1']![0]!.y).toBeGreaterThanOrEqual(r.positions.task_1!.y);
    });

    it(`${engine}, left-right: the gutter is above the graph`, async () => {
      const input = clusterCharge('LR');
      const r = await run(input);
      const e = extent(input, r);
      expect(e.x0).toBe(0);
      expect(e.y0).toBeGreaterThanOrEqual(26);
      expect(e.y0).toBeLessThan(50);
    });
  }

  it('a graph that fits is centred across with its top near the view top, not centred top to bottom', () => {
    const vp = initialViewport({ width: 600, height: 200 }, 1200, 900);
    expect(vp.x).toBeCloseTo((1200 - 600 * vp.zoom) / 2);
    expect(vp.y).toBeLessThan(100);
  });
});
