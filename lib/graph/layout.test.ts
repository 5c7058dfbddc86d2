import { describe, expect, it } from 'vitest';
import { computeRanks, isotonic, layeredLayout } from './layout';
import { syntheticGraph } from '../viz';
import { modularPipelineIds, visibleGraph } from './visible-graph';

describe('layeredLayout', () => {
  it('keeps layers in order, nodes apart and every edge pointing down', () => {
    const g = syntheticGraph(300);
    const v = visibleGraph(g, { expanded: new Set(modularPipelineIds(g)), hiddenTypes: new Set(), tags: new Set() });
    const input = {
      nodes: v.nodes.map((n) => ({ id: n.id, width: 150, height: 34, layer: n.layer ? g.layers.indexOf(n.layer) : null })),
      edges: v.edges,
      direction: 'TB' as const,
      layers: g.layers,
    };
    const r = layeredLayout(input);
    for (const e of v.edges) expect(r.ranks[e.target]!).toBeGreaterThan(r.ranks[e.source]!);
    // Every dataset of layer i sits above every dataset of layer i + 1.
    const maxRank = new Map<number, number>();
    const minRank = new Map<number, number>();
    for (const n of input.nodes) {
      if (n.layer === null) continue;
      maxRank.set(n.layer, Math.max(maxRank.get(n.layer) ?? -1, r.ranks[n.id]!));
      minRank.set(n.layer, Math.min(minRank.get(n.layer) ?? Infinity, r.ranks[n.id]!));
    }
    for (let l = 1; l < g.layers.length; l++) if (minRank.has(l) && maxRank.has(l - 1)) expect(minRank.get(l)!).toBeGreaterThan(maxRank.get(l - 1)!);
    expect(r.bands.map((b) => b.name)).toEqual(g.layers);
    // No two nodes of a row overlap.
    const rows = new Map<number, Array<{ x: number }>>();
    for (const n of input.nodes) (rows.get(r.ranks[n.id]!) ?? rows.set(r.ranks[n.id]!, []).get(r.ranks[n.id]!)!).push(r.positions[n.id]!);
    for (const row of rows.values()) {
      const xs = row.map((p) => p.x).sort((a, b) => a - b);
      for (let i = 1; i < xs.length; i++) expect(xs[i]! - xs[i - 1]!).toBeGreaterThanOrEqual(150);
    }
  });

  it('lays out left to right', () => {
    const r = layeredLayout({ nodes: [{ id: 'a', width: 100, height: 30 }, { id: 'b', width: 100, height: 30 }], edges: [{ source: 'a', target: 'b' }], direction: 'LR' });
    expect(r.positions['b']!.x).toBeGreaterThan(r.positions['a']!.x + 100);
    expect(r.positions['b']!.y).toBe(r.positions['a']!.y);
  });

  it('survives a cycle (collapsed pipelines can make one)', () => {
    const ranks = computeRanks({ nodes: ['a', 'b', 'c'].map((id) => ({ id, width: 10, height: 10 })), edges: [{ source: 'a', target: 'b' }, { source: 'b', target: 'c' }, { source: 'c', target: 'a' }], direction: 'TB' });
    expect(new Set(ranks).size).toBe(3);
  });
});

describe('isotonic', () => {
  it('keeps the gap and stays closest to the wishes', () => {
    expect(isotonic([0, 0], [10, 10], 10)).toEqual([-10, 10]);
    expect(isotonic([0, 100], [10, 10], 10)).toEqual([0, 100]);
  });
});
