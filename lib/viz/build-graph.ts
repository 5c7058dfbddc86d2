import { suggestion } from '../errors';
import { isParameter, Pipeline, type Node } from '../pipeline';
import { VizNotFoundError } from './errors';
import { DEFAULT_PIPELINE, type GraphEdge, type GraphJson, type GraphNode, buildModularTree, collectNamespaces, datasetChain, namespaceChain } from '../graph';

/** What the graph needs from a project: its pipelines, parameters and catalog facts. */
export interface GraphSource {
  pipelines: Readonly<Record<string, Pipeline>>;
  parameters?: Readonly<Record<string, unknown>>;
  /** Catalog facts for a dataset name; undefined for datasets the catalog does not declare. */
  describeDataset?: (name: string) => { type?: string | null; layer?: string | null } | undefined;
  /** Layers in the order the catalog declares them: the bands' order wherever the data flow allows. */
  layerOrder?: readonly string[];
}

/** The value of `params:a.b` (dotted path) or `parameters` (all of them). */
export function parameterValue(parameters: Readonly<Record<string, unknown>>, name: string): unknown {
  if (name === 'parameters') return parameters;
  let cur: unknown = parameters;
  for (const key of name.slice('params:'.length).split('.')) {
    if (cur === null || typeof cur !== 'object' || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}

/** The pipeline id to show: the asked one, else `__default__`, else the first registered. */
export function resolvePipelineId(pipelines: Readonly<Record<string, unknown>>, asked?: string): string {
  const ids = Object.keys(pipelines);
  if (asked !== undefined) {
    if (!Object.hasOwn(pipelines, asked)) {
      throw new VizNotFoundError(`Pipeline '${asked}' not found. Available pipelines: ${ids.join(', ')}.${suggestion(asked, ids)}`, 'PIPELINE_NOT_FOUND');
    }
    return asked;
  }
  return DEFAULT_PIPELINE in pipelines ? DEFAULT_PIPELINE : ids[0]!;
}

/**
 * Kedro-Viz's `/api/main` JSON for one pipeline of the project. Ids are the names people type:
 * a task's node name, a dataset's name, `params:x` for parameters, the namespace for a modular
 * pipeline; a task whose name clashes with a dataset or namespace gets a `task:` prefix.
 */
export function buildGraph(source: GraphSource, pipelineId?: string): GraphJson {
  const pipelines = source.pipelines;
  if (!Object.keys(pipelines).length) throw new VizNotFoundError('The project registers no pipelines (pipelines/registry.ts returned none)', 'PIPELINE_NOT_FOUND');
  const selected = resolvePipelineId(pipelines, pipelineId);
  return graphOf(source, pipelines[selected]!, selected);
}

/** All pipelines in one graph (every node once, with its memberships): what `--save-file` writes. */
export function buildFullGraph(source: GraphSource): GraphJson {
  const selected = resolvePipelineId(source.pipelines);
  let all: Pipeline;
  try {
    all = new Pipeline(Object.values(source.pipelines));
  } catch {
    // Pipelines that cannot be merged (same node name, different function) keep the default view.
    all = source.pipelines[selected]!;
  }
  return graphOf(source, all, selected);
}

function graphOf(source: GraphSource, pipe: Pipeline, selected: string): GraphJson {
  const parameters = source.parameters ?? {};
  const membership = pipelineMembership(source.pipelines);
  const nodes = pipe.nodes;
  const namespaces = collectNamespaces(nodes);

  const datasetNames = [...pipe.datasets()];
  const taken = new Set<string>([...datasetNames, ...namespaces]);
  const taskId = (n: Node) => (taken.has(n.name) ? `task:${n.name}` : n.name);
  const pipelineId = (ns: string) => (datasetNames.includes(ns) ? `pipeline:${ns}` : ns);

  // Datasets inherit the tags of the nodes that touch them, as in Kedro-Viz.
  const datasetTags = new Map<string, Set<string>>();
  for (const n of nodes) {
    for (const d of [...n.inputs, ...n.outputs]) {
      const set = datasetTags.get(d) ?? datasetTags.set(d, new Set()).get(d)!;
      for (const t of n.tags) set.add(t);
    }
  }

  const datasets = new Map<string, { id: string; chain: string[]; type: 'data' | 'parameters' }>();
  for (const d of datasetNames) {
    const param = isParameter(d);
    datasets.set(d, { id: d, chain: datasetChain(d, namespaces, param), type: param ? 'parameters' : 'data' });
  }

  const out: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  for (const n of nodes) {
    const id = taskId(n);
    const params: Record<string, unknown> = {};
    for (const i of n.inputs) if (isParameter(i)) params[i === 'parameters' ? 'parameters' : i.slice(7)] = parameterValue(parameters, i);
    out.push({
      id,
      name: n.name,
      type: 'task',
      tags: [...n.tags].sort(),
      pipelines: membership.nodes.get(n.name) ?? [],
      modular_pipelines: namespaceChain(n.namespace),
      layer: null,
      dataset_type: null,
      parameters: params,
    });
    for (const i of n.inputs) edges.push({ source: i, target: id });
    for (const o of n.outputs) edges.push({ source: id, target: o });
  }
  for (const [name, d] of datasets) {
    const facts = d.type === 'data' ? source.describeDataset?.(name) : undefined;
    out.push({
      id: d.id,
      name,
      type: d.type,
      tags: [...(datasetTags.get(name) ?? [])].sort(),
      pipelines: membership.datasets.get(name) ?? [],
      modular_pipelines: d.chain,
      layer: facts?.layer ?? null,
      dataset_type: d.type === 'data' ? (facts?.type ?? 'MemoryDataset') : null,
    });
  }

  const tree = buildModularTree({ nodes, namespaces, taskId, datasets, pipelineId });
  for (const ns of [...namespaces].sort()) {
    const id = pipelineId(ns);
    const inside = nodes.filter((n) => n.namespace === ns || n.namespace?.startsWith(`${ns}.`));
    out.push({
      id,
      name: ns,
      type: 'modularPipeline',
      tags: [...new Set(inside.flatMap((n) => [...n.tags]))].sort(),
      pipelines: [...new Set(inside.flatMap((n) => membership.nodes.get(n.name) ?? []))],
      modular_pipelines: null,
      layer: null,
      dataset_type: null,
    });
    const entry = tree[id]!;
    for (const i of entry.inputs) edges.push({ source: i, target: id });
    for (const o of entry.outputs) edges.push({ source: id, target: o });
  }

  const layerOf = new Map(out.filter((x) => x.type === 'data').map((x) => [x.name, x.layer]));
  const tags = [...pipe.tags()].sort().map((t) => ({ id: t, name: t }));
  return {
    nodes: out,
    edges,
    layers: orderLayers(nodes, (d) => layerOf.get(d) ?? null, source.layerOrder),
    tags,
    pipelines: Object.keys(source.pipelines).map((p) => ({ id: p, name: p })),
    modular_pipelines: tree,
    selected_pipeline: selected,
  };
}

function pipelineMembership(pipelines: Readonly<Record<string, Pipeline>>) {
  const nodes = new Map<string, string[]>();
  const datasets = new Map<string, string[]>();
  for (const [id, p] of Object.entries(pipelines)) {
    for (const n of p.nodes) (nodes.get(n.name) ?? nodes.set(n.name, []).get(n.name)!).push(id);
    for (const d of p.datasets()) (datasets.get(d) ?? datasets.set(d, []).get(d)!).push(id);
  }
  return { nodes, datasets };
}

/**
 * Layers ordered by data flow: a layer comes before every layer its datasets feed (through a
 * node). Ties and cycles fall back to the catalog's order (`preferred`), then to the order in
 * which layers first appear, so every view of a project shows its bands in the same order.
 */
export function orderLayers(nodes: readonly Node[], layerOf: (dataset: string) => string | null, preferred: readonly string[] = []): string[] {
  const cache = new Map<string, string | null>();
  const layer = (d: string) => (cache.has(d) ? cache.get(d)! : cache.set(d, layerOf(d)).get(d)!);
  const seen: string[] = [];
  const after = new Map<string, Set<string>>();
  for (const n of nodes) {
    const ins = n.inputs.map(layer).filter((l): l is string => !!l);
    const outs = n.outputs.map(layer).filter((l): l is string => !!l);
    for (const l of [...ins, ...outs]) if (!seen.includes(l)) seen.push(l);
    for (const a of ins) for (const b of outs) if (a !== b) (after.get(b) ?? after.set(b, new Set()).get(b)!).add(a);
  }
  const rank = (l: string) => (preferred.includes(l) ? preferred.indexOf(l) : preferred.length);
  const items = seen.map((l, i) => ({ l, i })).sort((a, b) => rank(a.l) - rank(b.l) || a.i - b.i).map((x) => x.l);
  return topoByFirstSeen(items, after);
}

/** The layers of catalog entries, in the order the catalog declares them (Kedro's `layer`, or `metadata.kedro-viz.layer`). */
export function catalogLayerOrder(catalog: Readonly<Record<string, unknown>> | undefined): string[] {
  const out: string[] = [];
  for (const entry of Object.values(catalog ?? {})) {
    if (!entry || typeof entry !== 'object') continue;
    const e = entry as { layer?: unknown; metadata?: { 'kedro-viz'?: { layer?: unknown } } };
    const layer = e.layer ?? e.metadata?.['kedro-viz']?.layer;
    if (typeof layer === 'string' && !out.includes(layer)) out.push(layer);
  }
  return out;
}

/** Kahn's algorithm over `before` edges; the earliest-seen ready item goes first; cycles broken by order. */
export function topoByFirstSeen(items: string[], before: Map<string, Set<string>>): string[] {
  const order: string[] = [];
  const left = new Set(items);
  while (left.size) {
    const ready = items.find((l) => left.has(l) && ![...(before.get(l) ?? [])].some((b) => left.has(b))) ?? items.find((l) => left.has(l))!;
    order.push(ready);
    left.delete(ready);
  }
  return order;
}
