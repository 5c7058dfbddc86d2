import { ROOT_PIPELINE, type GraphJson, type GraphNode, type VizNodeType } from './graph-types';

/** What the viewer chose to see. Pure data, so the transform below is a pure function. */
export interface ViewOptions {
  /** Modular pipelines shown open; every other one is drawn as a single node. */
  expanded: ReadonlySet<string>;
  /** Element types switched off; hidden datasets are bridged (task -> task edges), as in Kedro-Viz. */
  hiddenTypes: ReadonlySet<VizNodeType>;
  /** Tags switched on; empty means no tag filter. */
  tags: ReadonlySet<string>;
  /** Layers switched off: their datasets are bridged like hidden types. */
  hiddenLayers?: ReadonlySet<string>;
  /** Fan-outs shown node by node although they are wide (ids of their source nodes). */
  unstacked?: ReadonlySet<string>;
}

/** Above this many, the private branches hanging off one node are drawn as one stack node. */
export const STACK_MIN = 30;

export interface VisibleEdge {
  id: string;
  source: string;
  target: string;
}

export interface VisibleGraph {
  nodes: GraphNode[];
  edges: VisibleEdge[];
  /** The expanded modular pipelines each drawn node sits in, outermost first (its boxes). */
  groups: Record<string, string[]>;
  /** Stack node id (`stack:<source>`) -> the nodes it stands for. */
  stacks: Record<string, string[]>;
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

/** Small graphs with at most one top-level modular pipeline open everything by default. */
export const EXPAND_ALL_MAX = 40;

/**
 * The default for a graph: every modular pipeline open when the graph is small or has one
 * top-level pipeline (up to 100 nodes); otherwise all collapsed, as Kedro-Viz does, so parallel
 * pipelines (layer_1..4) read as columns and a double-click opens one.
 */
export function defaultExpanded(graph: GraphJson | null): string[] {
  if (!graph) return [];
  const base = graph.nodes.filter((n) => n.type !== 'modularPipeline').length;
  const topLevel = (graph.modular_pipelines[ROOT_PIPELINE]?.children ?? []).filter((c) => c.type === 'modularPipeline').length;
  return base <= EXPAND_ALL_MAX || (topLevel <= 1 && base <= 100) ? modularPipelineIds(graph) : [];
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
    if (view.hiddenTypes.has(n.type) || (n.type === 'data' && n.layer && view.hiddenLayers?.has(n.layer))) bridged.add(n.id);
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
  const groups: Record<string, string[]> = {};
  for (const id of shown) {
    const n = byId.get(id);
    if (n) nodes.push(n);
    else if (tree[id]) nodes.push({ id, name: tree[id]!.name, type: 'modularPipeline', tags: [], pipelines: [graph.selected_pipeline], modular_pipelines: null });
    const chain = ancestorsOf(id, parent);
    const open = chain.findIndex((m) => !view.expanded.has(m));
    groups[id] = open < 0 ? chain : chain.slice(0, open);
  }
  return stackFanOuts({ nodes, edges, groups, stacks: {} }, view.unstacked ?? new Set());
}

/**
 * A node with more than STACK_MIN private branches (a successor only it feeds, followed by
 * nothing or by sinks only that successor feeds: Kedro-Viz's 1,000 `identity_func_N` nodes)
 * gets them drawn as one stack node, so one fan-out never turns the graph into a thin line.
 */
function stackFanOuts(g: VisibleGraph, unstacked: ReadonlySet<string>): VisibleGraph {
  const succ = new Map<string, string[]>();
  const predCount = new Map<string, number>();
  for (const e of g.edges) {
    (succ.get(e.source) ?? succ.set(e.source, []).get(e.source)!).push(e.target);
    predCount.set(e.target, (predCount.get(e.target) ?? 0) + 1);
  }
  const sinkOf = (u: string, p: string) => predCount.get(u) === 1 && !succ.get(u)?.length && p !== u;
  const stacks: Record<string, string[]> = {};
  const hidden = new Set<string>();
  for (const [s, targets] of succ) {
    if (targets.length <= STACK_MIN || unstacked.has(s)) continue;
    const branches = targets.filter((u) => predCount.get(u) === 1 && (succ.get(u) ?? []).every((w) => sinkOf(w, u)));
    if (branches.length <= STACK_MIN) continue;
    const members = branches.flatMap((u) => [u, ...(succ.get(u) ?? [])]);
    stacks[`stack:${s}`] = members;
    for (const m of members) hidden.add(m);
  }
  if (!hidden.size) return g;
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  const nodes = g.nodes.filter((n) => !hidden.has(n.id));
  const edges = g.edges.filter((e) => !hidden.has(e.source) && !hidden.has(e.target));
  const groups = { ...g.groups };
  for (const [id, members] of Object.entries(stacks)) {
    const source = id.slice('stack:'.length);
    const first = byId.get(members[0]!)!;
    const kinds = new Set(members.map((m) => byId.get(m)!.type));
    nodes.push({ id, name: `${members.length.toLocaleString('en')} ${kinds.size === 1 ? (first.type === 'task' ? 'nodes' : 'datasets') : 'nodes and datasets'} (${first.name}, …)`, type: first.type, tags: [], pipelines: first.pipelines, modular_pipelines: first.modular_pipelines, layer: null });
    edges.push({ id: `${source}->${id}`, source, target: id });
    groups[id] = g.groups[members[0]!] ?? [];
    for (const m of members) delete groups[m];
  }
  return { nodes, edges, groups, stacks };
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
