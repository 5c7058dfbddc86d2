/**
 * Columns for the layered layout: every node gets a path of modular pipelines (its own boxes,
 * or, for a node outside them, the pipeline all its neighbours sit in: `raw_pixel_layer_1` joins
 * `layer_1`'s column), and sibling paths get one order, so each expanded modular pipeline is a
 * contiguous column instead of its nodes interleaving with the others' row by row.
 */

/** A node's column path: its groups, extended while all its deeper neighbours agree. */
export function columnPaths(groups: ReadonlyArray<readonly string[]>, neighbours: ReadonlyArray<readonly number[]>): string[][] {
  const path = groups.map((g) => [...g]);
  // Three passes: raw -> preprocess node -> preprocessed dataset chains reach their column.
  for (let pass = 0; pass < 3; pass++) {
    let changed = false;
    for (let v = 0; v < path.length; v++) {
      const own = groups[v]!;
      let common: string[] | null = null;
      for (const u of neighbours[v]!) {
        const p = path[u]!;
        if (p.length <= own.length || !startsWith(p, own)) continue;
        common = common === null ? p.slice() : commonPrefix(common, p);
      }
      if (common && common.length > path[v]!.length) {
        path[v] = common;
        changed = true;
      }
    }
    if (!changed) break;
  }
  return path;
}

function startsWith(p: readonly string[], prefix: readonly string[]): boolean {
  for (let i = 0; i < prefix.length; i++) if (p[i] !== prefix[i]) return false;
  return true;
}

function commonPrefix(a: string[], b: readonly string[]): string[] {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.slice(0, i);
}

const collator = new Intl.Collator('en', { numeric: true });
export const leafKey = (path: readonly string[]) => path.join('\u0001');

/**
 * A sequence number per leaf column (its path), in depth-first order of the column tree, with
 * sub-columns by name and the column's own nodes placed among them by `position` (0..1).
 */
export function columnOrder(paths: ReadonlyArray<readonly string[]>, position: ArrayLike<number>): Map<string, number> {
  interface Tree { sum: number; count: number; children: Map<string, Tree>; leaf: boolean }
  const make = (): Tree => ({ sum: 0, count: 0, children: new Map(), leaf: false });
  const root = make();
  paths.forEach((p, v) => {
    let t = root;
    t.sum += position[v]!;
    t.count++;
    for (const id of p) {
      let c = t.children.get(id);
      if (!c) t.children.set(id, (c = make()));
      c.sum += position[v]!;
      c.count++;
      t = c;
    }
    t.leaf = true;
  });
  const seq = new Map<string, number>();
  const walk = (t: Tree, prefix: string[]) => {
    // Sub-columns in name order (layer_1, layer_2, ..., layer_10: predictable, and parallel
    // pipelines are alike anyway); the nodes directly in this column are one more block, put
    // among them where their nodes sit on average (a parameter shared by all: in the middle).
    const subs = [...t.children.entries()].sort((a, b) => collator.compare(a[0], b[0]));
    const keys: Array<string | null> = subs.map(([id]) => id);
    if (t.leaf) {
      let direct = t.sum;
      let count = t.count;
      for (const c of t.children.values()) {
        direct -= c.sum;
        count -= c.count;
      }
      const pos = count ? direct / count : 0.5;
      keys.splice(subs.filter(([, c]) => c.sum / c.count < pos).length, 0, null);
    }
    for (const k of keys) {
      if (k === null) seq.set(leafKey(prefix), seq.size);
      else walk(t.children.get(k)!, [...prefix, k]);
    }
  };
  walk(root, []);
  return seq;
}
