import { groupBoxes } from './layout';
import { framed } from './layout-frame';
import { computeRanks } from './layout-ranks';
import type { Band, LayoutInput, LayoutResult } from './layout-types';

/** Above this many nodes ELK takes seconds (measured: ~0.6 s at 200, ~4.3 s at 1,000): the layered engine is used. */
export const ELK_MAX_NODES = 400;

/**
 * ELK's layered algorithm with cheap settings, layering pinned to our ranks (partitions) so
 * layer bands hold; gives routed edges. Loaded on demand (elkjs is 1.5 MB).
 */
export async function elkLayout(input: LayoutInput): Promise<LayoutResult> {
  const { default: ELK } = (await import('elkjs/lib/elk.bundled.js')) as unknown as { default: new () => ElkApi };
  const elk = new ELK();
  const ranks = computeRanks(input);
  const TB = input.direction === 'TB';
  const res = await elk.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': TB ? 'DOWN' : 'RIGHT',
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.layered.crossingMinimization.strategy': 'LAYER_SWEEP',
      'elk.layered.thoroughness': '1',
      'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
      'elk.partitioning.activate': 'true',
      'elk.spacing.nodeNode': '28',
      'elk.layered.spacing.nodeNodeBetweenLayers': '60',
      'elk.edgeRouting': 'POLYLINE',
    },
    children: input.nodes.map((n, i) => ({ id: n.id, width: n.width, height: n.height, layoutOptions: { 'elk.partitioning.partition': String(ranks[i]) } })),
    edges: input.edges.map((e, i) => ({ id: `${e.source}->${e.target}#${i}`, sources: [e.source], targets: [e.target] })),
  });
  const positions: LayoutResult['positions'] = {};
  const rankMap: Record<string, number> = {};
  for (const c of res.children ?? []) positions[c.id] = { x: c.x ?? 0, y: c.y ?? 0 };
  input.nodes.forEach((n, i) => (rankMap[n.id] = ranks[i]!));
  const edgePoints: Record<string, Array<{ x: number; y: number }>> = {};
  for (const e of res.edges ?? []) {
    const s = e.sections?.[0];
    if (s) edgePoints[e.id.replace(/#\d+$/, '')] = [s.startPoint, ...(s.bendPoints ?? []), s.endPoint];
  }
  // framed: ELK's own padding and the boxes' reach above and left of 0 removed, the band labels' gutter added
  return framed(input, { positions, ranks: rankMap, bands: bandsFromPositions(input, positions), groups: groupBoxes(input, positions), width: res.width ?? 0, height: res.height ?? 0, direction: input.direction, edgePoints, engine: 'elk' });
}

/** Layer bands from laid-out positions: boundaries halfway between consecutive layers. */
export function bandsFromPositions(input: LayoutInput, positions: LayoutResult['positions']): Band[] {
  const names = input.layers ?? [];
  const TB = input.direction === 'TB';
  const span = new Map<number, { lo: number; hi: number }>();
  let max = 0;
  for (const n of input.nodes) {
    const p = positions[n.id];
    if (!p) continue;
    const lo = TB ? p.y : p.x;
    const hi = lo + (TB ? n.height : n.width);
    max = Math.max(max, hi);
    if (n.layer === null || n.layer === undefined) continue;
    const s = span.get(n.layer) ?? { lo: Infinity, hi: -Infinity };
    span.set(n.layer, { lo: Math.min(s.lo, lo), hi: Math.max(s.hi, hi) });
  }
  const present = [...span.keys()].sort((a, b) => a - b);
  return present.map((l, i) => {
    const prev = i > 0 ? span.get(present[i - 1]!)! : undefined;
    const next = i + 1 < present.length ? span.get(present[i + 1]!)! : undefined;
    const cur = span.get(l)!;
    return {
      name: names[l] ?? `layer ${l}`,
      start: prev ? (prev.hi + cur.lo) / 2 : -30,
      end: next ? (cur.hi + next.lo) / 2 : max + 30,
    };
  });
}

interface ElkApi {
  layout(graph: unknown): Promise<{
    width?: number;
    height?: number;
    children?: Array<{ id: string; x?: number; y?: number }>;
    edges?: Array<{ id: string; sections?: Array<{ startPoint: { x: number; y: number }; endPoint: { x: number; y: number }; bendPoints?: Array<{ x: number; y: number }> }> }>;
  }>;
}
