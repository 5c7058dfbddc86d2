import type { LayoutInput } from './layout-types';

/** Predecessors and successors of each node, by index in `input.nodes` (self-loops and unknown ends dropped). */
export function adjacency(input: LayoutInput): { preds: number[][]; succs: number[][] } {
  const n = input.nodes.length;
  const index = new Map(input.nodes.map((v, i) => [v.id, i]));
  const preds: number[][] = Array.from({ length: n }, () => []);
  const succs: number[][] = Array.from({ length: n }, () => []);
  for (const e of input.edges) {
    const s = index.get(e.source);
    const t = index.get(e.target);
    if (s === undefined || t === undefined || s === t) continue;
    succs[s]!.push(t);
    preds[t]!.push(s);
  }
  return { preds, succs };
}

/**
 * Ranks by longest path with Kedro-Viz layer constraints: a dataset of layer L sits below every
 * dataset of an earlier layer; parameters and raw inputs move down next to their first consumer.
 */
export function computeRanks(input: LayoutInput): number[] {
  const n = input.nodes.length;
  const { preds, succs } = adjacency(input);
  const order = topoOrder(n, preds, succs);
  const pos = new Int32Array(n);
  order.forEach((v, i) => (pos[v] = i));
  const layerOf = input.nodes.map((v) => (v.layer === null || v.layer === undefined ? -1 : v.layer));
  const layerCount = Math.max(-1, ...layerOf) + 1;
  const minRank = new Int32Array(layerCount + 1);
  const rank = new Int32Array(n);
  // Longest path; a dataset of layer L sits below every dataset of an earlier layer. Ranks only
  // grow between passes, so this settles within (layers + 1) passes.
  for (let pass = 0; pass <= layerCount + 1; pass++) {
    for (const v of order) {
      let r = layerOf[v]! >= 0 ? minRank[layerOf[v]!]! : 0;
      for (const p of preds[v]!) if (pos[p]! < pos[v]!) r = Math.max(r, rank[p]! + 1);
      rank[v] = r;
    }
    let changed = false;
    let floor = 0;
    for (let l = 0; l < layerCount; l++) {
      if (minRank[l] !== floor) {
        minRank[l] = Math.max(minRank[l]!, floor);
        changed = true;
      }
      let max = -1;
      for (let v = 0; v < n; v++) if (layerOf[v] === l) max = Math.max(max, rank[v]!);
      if (max >= 0) floor = Math.max(floor, max + 1);
    }
    if (!changed) break;
  }
  // Sources without a layer (parameters, raw inputs) move down next to their first consumer.
  for (const v of [...order].reverse()) {
    if (preds[v]!.length || layerOf[v]! >= 0 || !succs[v]!.length) continue;
    const r = Math.min(...succs[v]!.map((s) => rank[s]!)) - 1;
    if (r > rank[v]!) rank[v] = r;
  }
  // Layer floors can leave ranks with no node: close the gaps (order, hence constraints, kept).
  const used = [...new Set(rank)].sort((a, b) => a - b);
  const dense = new Map(used.map((r, i) => [r, i]));
  return Array.from(rank, (r) => dense.get(r)!);
}

/** Kahn's order, input order among ready nodes; a cycle is broken at its earliest node. */
function topoOrder(n: number, preds: number[][], succs: number[][]): number[] {
  const indeg = preds.map((p) => p.length);
  const done = new Uint8Array(n);
  const order: number[] = [];
  const ready: number[] = [];
  for (let v = n - 1; v >= 0; v--) if (indeg[v] === 0) ready.push(v);
  let next = 0;
  while (order.length < n) {
    if (!ready.length) {
      while (done[next]) next++;
      ready.push(next);
    }
    const v = ready.pop()!;
    if (done[v]) continue;
    done[v] = 1;
    order.push(v);
    const newly: number[] = [];
    for (const s of succs[v]!) if (!done[s] && --indeg[s]! === 0) newly.push(s);
    for (let i = newly.length - 1; i >= 0; i--) ready.push(newly[i]!);
  }
  return order;
}
