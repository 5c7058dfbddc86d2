import { ROOT_PIPELINE, type GraphJson, type GraphNode, type VizNodeType } from './graph-types';

/** What the viewer chose to see. Pure data, so the transform below is a pure function. */
export interface ViewOptions {
  /** Modular pipelines shown open; every other one is drawn as a single node. */
  expanded: ReadonlySet<string>;
  /** Element types switched off; hidden datasets are bridged (task -> task edges), as in Kedro-Viz. */
  hiddenTypes: ReadonlySet<VizNodeType>;
  /** Tags switched on; empty means no tag filter. */
  tags: ReadonlySet<string>;
}

export interface VisibleEdge {
  id: string;
  source: string;
  target: string;
}

export interface VisibleGraph {
  nodes: GraphNode[];
  edges: VisibleEdge[];
}

/** Parent modular pipeline of every node and modular pipeline (root children map to `__root__`). */
export function parentMap(graph: GraphJson): Map<string, string> {
  const parent = new Map<string, string>();
  for (const [key, entry] of Object.entries(graph.modular_pipelines)) {
    for (const c of entry.children) if (c.id !== key && (!parent.has(c.id) || key !== ROOT_PIPELINE)) parent.set(c.id, key);
  }
  for (const n of graph.nodes) {
    if (parent.has(n.id)) continue;
    const deepest = [...(n.modular_pipelines ?? [])].reverse().find((m) => m in graph.modular_pipelines);
    parent.set(n.id, deepest ?? ROOT_PIPELINE);
  }
  return parent;
}

/** Ancestors of an id, outermost first, root excluded. */
export function ancestorsOf(id: string, parent: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  const seen = new Set<string>([id]);
  for (let p = parent.get(id); p && p !== ROOT_PIPELINE && !seen.has(p); p = parent.get(p)) {
    out.push(p);
    seen.add(p);
  }
  return out.reverse();
}

/** Modular pipeline ids, for "collapse all / expand all" and the default state. */
export function modularPipelineIds(graph: GraphJson): string[] {
  return Object.keys(graph.modular_pipelines).filter((k) => k !== ROOT_PIPELINE);
}

/**
 * The nodes and edges to draw: filters applied to tasks/datasets/parameters, then every node
 * inside a collapsed modular pipeline replaced by that pipeline (the outermost collapsed one),
 * except the pipeline's own inputs and outputs, which stay outside it. Edges follow the
 * replacement; self-loops and duplicates go.
 */
export function visibleGraph(graph: GraphJson, view: ViewOptions): VisibleGraph {
  const parent = parentMap(graph);
  const tree = graph.modular_pipelines;
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const io = new Map<string, Set<string>>();
  for (const [k, e] of Object.entries(tree)) io.set(k, new Set([...e.inputs, ...e.outputs]));

  const tagOk = (n: GraphNode) => view.tags.size === 0 || n.tags.some((t) => view.tags.has(t));
  const alive = new Set<string>();
  const bridged = new Set<string>();
  for (const n of graph.nodes) {
    if (n.type === 'modularPipeline' || !tagOk(n)) continue;
    if (view.hiddenTypes.has(n.type)) bridged.add(n.id);
    else alive.add(n.id);
  }

  const rep = new Map<string, string>();
  for (const id of alive) {
    const collapsed = ancestorsOf(id, parent).find((m) => !view.expanded.has(m) && !io.get(m)?.has(id));
    rep.set(id, collapsed ?? id);
  }

  // Edges between base nodes only: edges to modular pipeline nodes in Kedro-Viz files are derived data.
  const succ = new Map<string, string[]>();
  const pred = new Map<string, string[]>();
  for (const e of graph.edges) {
    const s = byId.get(e.source);
    const t = byId.get(e.target);
    if (!s || !t || s.type === 'modularPipeline' || t.type === 'modularPipeline') continue;
    (succ.get(e.source) ?? succ.set(e.source, []).get(e.source)!).push(e.target);
    (pred.get(e.target) ?? pred.set(e.target, []).get(e.target)!).push(e.source);
  }
  const pairs = new Set<string>();
  const edges: VisibleEdge[] = [];
  const add = (a: string, b: string) => {
    const s = rep.get(a);
    const t = rep.get(b);
    if (!s || !t || s === t) return;
    const key = `${s}\u0000${t}`;
    if (pairs.has(key)) return;
    pairs.add(key);
    edges.push({ id: `${s}->${t}`, source: s, target: t });
  };
  for (const [s, targets] of succ) {
    for (const t of targets) {
      if (alive.has(s) && alive.has(t)) add(s, t);
    }
  }
  for (const h of bridged) {
    for (const p of pred.get(h) ?? []) for (const s of succ.get(h) ?? []) if (alive.has(p) && alive.has(s)) add(p, s);
  }

  const shown = new Set(rep.values());
  const nodes: GraphNode[] = [];
  for (const id of shown) {
    const n = byId.get(id);
    if (n) nodes.push(n);
    else if (tree[id]) nodes.push({ id, name: tree[id]!.name, type: 'modularPipeline', tags: [], pipelines: [graph.selected_pipeline], modular_pipelines: null });
  }
  return { nodes, edges };
}

/** Node ids one edge away (both directions), plus the node: the hover neighbourhood. */
export function neighbourhood(edges: readonly VisibleEdge[], id: string): Set<string> {
  const out = new Set([id]);
  for (const e of edges) {
    if (e.source === id) out.add(e.target);
    if (e.target === id) out.add(e.source);
  }
  return out;
}
