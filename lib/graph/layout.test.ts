import { describe, expect, it } from 'vitest';
import { isotonic, layeredLayout } from './layout';
import { computeRanks } from './layout-ranks';
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

describe('columns and boxes', () => {
  // Four parallel modular pipelines fed by root-level chains, and one parameter they all read.
  const nodes: Array<{ id: string; width: number; height: number; group?: string[] }> = [{ id: 'params:shared', width: 120, height: 34 }];
  const edges: Array<{ source: string; target: string }> = [];
  for (let i = 1; i <= 4; i++) {
    nodes.push({ id: `raw_${i}`, width: 120, height: 34 }, { id: `prep_${i}`, width: 120, height: 34 }, { id: `maps_${i}`, width: 120, height: 34 });
    edges.push({ source: `raw_${i}`, target: `prep_${i}` }, { source: 'params:shared', target: `prep_${i}` }, { source: `prep_${i}`, target: `maps_${i}` });
    for (const t of ['a', 'b', 'c']) {
      nodes.push({ id: `layer_${i}.${t}`, width: 150, height: 34, group: [`layer_${i}`] }, { id: `layer_${i}.${t}_out`, width: 150, height: 34, group: [`layer_${i}`] });
      edges.push({ source: `maps_${i}`, target: `layer_${i}.${t}` }, { source: `layer_${i}.${t}`, target: `layer_${i}.${t}_out` });
    }
  }

  it('draws each expanded modular pipeline as a box of its own, in name order, its inputs above it', () => {
    const r = layeredLayout({ nodes: [...nodes].reverse(), edges, direction: 'TB' });
    expect(r.groups.map((g) => g.id)).toEqual(['layer_1', 'layer_2', 'layer_3', 'layer_4']);
    for (let i = 1; i < 4; i++) expect(r.groups[i]!.x).toBeGreaterThan(r.groups[i - 1]!.x + r.groups[i - 1]!.width);
    for (const v of nodes) {
      const p = r.positions[v.id]!;
      const box = r.groups.find((g) => v.id.startsWith(`${g.id}.`));
      if (box) {
        expect(p.x).toBeGreaterThanOrEqual(box.x);
        expect(p.x + v.width).toBeLessThanOrEqual(box.x + box.width);
        expect(p.y + v.height).toBeLessThanOrEqual(box.y + box.height);
      }
    }
    // raw_2 -> prep_2 -> maps_2 stand in layer_2's column, above its box.
    for (const id of ['raw_2', 'prep_2', 'maps_2']) {
      const p = r.positions[id]!;
      expect(p.x).toBeGreaterThanOrEqual(r.groups[1]!.x);
      expect(p.x + 120).toBeLessThanOrEqual(r.groups[1]!.x + r.groups[1]!.width);
      expect(p.y + 34).toBeLessThan(r.groups[1]!.y);
    }
    // The parameter all four read sits between the second and third columns.
    const shared = r.positions['params:shared']!;
    expect(shared.x).toBeGreaterThan(r.groups[1]!.x + r.groups[1]!.width);
    expect(shared.x + 120).toBeLessThan(r.groups[2]!.x);
  });

  it('nests boxes and keeps them apart left to right too', () => {
    const nested = nodes.map((v) => (v.group ? { ...v, group: ['all', ...v.group] } : v));
    const r = layeredLayout({ nodes: nested, edges, direction: 'LR' });
    const all = r.groups.find((g) => g.id === 'all')!;
    expect(all.depth).toBe(0);
    const inner = r.groups.filter((g) => g.depth === 1).sort((a, b) => a.y - b.y);
    expect(inner.map((g) => g.id)).toEqual(['layer_1', 'layer_2', 'layer_3', 'layer_4']);
    for (let i = 1; i < 4; i++) expect(inner[i]!.y).toBeGreaterThan(inner[i - 1]!.y + inner[i - 1]!.height);
    for (const g of inner) {
      expect(g.x).toBeGreaterThan(all.x);
      expect(g.y).toBeGreaterThan(all.y);
      expect(g.x + g.width).toBeLessThan(all.x + all.width);
      expect(g.y + g.height).toBeLessThan(all.y + all.height);
    }
  });

  it('wraps a wide fan-out onto several rows, edges still pointing down', () => {
    const fan = { nodes: [{ id: 'src', width: 100, height: 34 }, ...Array.from({ length: 60 }, (_, i) => ({ id: `d${i}`, width: 100, height: 34 }))], edges: Array.from({ length: 60 }, (_, i) => ({ source: 'src', target: `d${i}` })), direction: 'TB' as const };
    const wide = layeredLayout(fan);
    expect(wide.width).toBeGreaterThan(60 * 100);
    const wrapped = layeredLayout({ ...fan, wrap: 1200 });
    expect(wrapped.width).toBeLessThanOrEqual(1200);
    const rows = new Set(Array.from({ length: 60 }, (_, i) => wrapped.positions[`d${i}`]!.y));
    expect(rows.size).toBe(Math.ceil((60 * 128 - 28) / 1200));
    for (let i = 0; i < 60; i++) expect(wrapped.positions[`d${i}`]!.y).toBeGreaterThan(wrapped.positions['src']!.y);
  });
});
