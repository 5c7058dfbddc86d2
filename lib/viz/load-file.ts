import fs from 'node:fs';
import { z } from 'zod';
import { messageOf } from '../errors';
import { VizError } from './errors';
import { DEFAULT_PIPELINE, ROOT_PIPELINE, type GraphJson, type GraphNode, type ModularPipelineEntry } from '../graph';

const nodeType = z.enum(['task', 'data', 'parameters', 'modularPipeline']);
const named = z.object({ id: z.string(), name: z.string().optional() });

// Kedro-Viz exports vary across versions: optional fields default, unknown fields pass through.
const nodeSchema = z.object({
  id: z.string().min(1),
  name: z.string(),
  type: nodeType,
  tags: z.array(z.string()).nullish(),
  pipelines: z.array(z.string()).nullish(),
  modular_pipelines: z.array(z.string()).nullish(),
  layer: z.string().nullish(),
  dataset_type: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
});
const treeEntry = z.object({
  id: z.string(),
  name: z.string().optional(),
  inputs: z.array(z.string()).default([]),
  outputs: z.array(z.string()).default([]),
  children: z.array(z.object({ id: z.string(), type: nodeType })).default([]),
});
const graphSchema = z.object({
  nodes: z.array(nodeSchema),
  edges: z.array(z.object({ source: z.string(), target: z.string() })),
  layers: z.array(z.string()).nullish(),
  tags: z.array(named).nullish(),
  pipelines: z.array(named).nullish(),
  // Kedro-Viz < 6 wrote a flat list of {id, name}; newer versions write the tree.
  modular_pipelines: z.union([z.record(z.string(), treeEntry), z.array(named)]).nullish(),
  selected_pipeline: z.string().nullish(),
});

/**
 * Reads a graph saved by `dqm viz --save-file` or exported by Kedro-Viz (`/api/main` JSON),
 * checks its shape, and fills what older exports leave out. Every problem names the file and
 * the JSON path.
 */
export function loadGraphFile(file: string): GraphJson {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'it is a directory, expected a JSON file' : messageOf(error);
    throw new VizError(`Cannot load graph file '${file}': ${why}`, { code: 'BAD_GRAPH_FILE', cause: error });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new VizError(`Cannot load graph file '${file}': not valid JSON (${messageOf(error)})`, { code: 'BAD_GRAPH_FILE', cause: error });
  }
  return parseGraph(raw, file);
}

/** Validates and normalises an already parsed graph; `where` names it in messages. */
export function parseGraph(raw: unknown, where: string): GraphJson {
  const fail = (msg: string): never => {
    throw new VizError(`Cannot load graph file '${where}': ${msg}`, { code: 'BAD_GRAPH_FILE' });
  };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) fail('expected a JSON object with "nodes" and "edges" (Kedro-Viz /api/main format)');
  const parsed = graphSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    fail(`${formatPath(issue.path)}: ${issue.message}`);
    throw new Error('unreachable');
  }
  const g = parsed.data;
  const ids = new Set<string>();
  g.nodes.forEach((n, i) => {
    if (ids.has(n.id)) fail(`nodes[${i}].id '${n.id}' is used by more than one node`);
    ids.add(n.id);
  });
  g.edges.forEach((e, i) => {
    if (!ids.has(e.source)) fail(`edges[${i}].source '${e.source}' is not the id of any node`);
    if (!ids.has(e.target)) fail(`edges[${i}].target '${e.target}' is not the id of any node`);
  });
  const pipelines = g.pipelines?.length ? g.pipelines.map((p) => ({ id: p.id, name: p.name ?? p.id })) : [{ id: g.selected_pipeline ?? DEFAULT_PIPELINE, name: g.selected_pipeline ?? DEFAULT_PIPELINE }];
  const selected = g.selected_pipeline && pipelines.some((p) => p.id === g.selected_pipeline) ? g.selected_pipeline : pipelines[0]!.id;
  const nodes: GraphNode[] = g.nodes.map((n) => ({
    id: n.id,
    name: n.name,
    type: n.type,
    tags: n.tags ?? [],
    pipelines: n.pipelines ?? pipelines.map((p) => p.id),
    modular_pipelines: n.type === 'modularPipeline' ? null : (n.modular_pipelines ?? []),
    layer: n.layer ?? null,
    dataset_type: n.dataset_type ?? null,
    ...(n.parameters ? { parameters: n.parameters } : {}),
  }));
  const tree = g.modular_pipelines && !Array.isArray(g.modular_pipelines) ? normaliseTree(g.modular_pipelines) : treeFromNodes(nodes);
  const usedTags = new Set(nodes.flatMap((n) => n.tags));
  return {
    nodes,
    edges: g.edges.map((e) => ({ source: e.source, target: e.target })),
    layers: g.layers ?? [],
    tags: g.tags?.length ? g.tags.map((t) => ({ id: t.id, name: t.name ?? t.id })) : [...usedTags].sort().map((t) => ({ id: t, name: t })),
    pipelines,
    modular_pipelines: tree,
    selected_pipeline: selected,
  };
}

function normaliseTree(tree: Record<string, z.infer<typeof treeEntry>>): Record<string, ModularPipelineEntry> {
  const out: Record<string, ModularPipelineEntry> = {};
  for (const [key, e] of Object.entries(tree)) out[key] = { id: e.id, name: e.name ?? e.id, inputs: e.inputs, outputs: e.outputs, children: e.children };
  if (!out[ROOT_PIPELINE]) out[ROOT_PIPELINE] = { id: ROOT_PIPELINE, name: ROOT_PIPELINE, inputs: [], outputs: [], children: [] };
  return out;
}

/** Old exports have no tree: rebuild it from each node's `modular_pipelines` chain. */
function treeFromNodes(nodes: GraphNode[]): Record<string, ModularPipelineEntry> {
  const tree: Record<string, ModularPipelineEntry> = { [ROOT_PIPELINE]: { id: ROOT_PIPELINE, name: ROOT_PIPELINE, inputs: [], outputs: [], children: [] } };
  const mpIds = new Set(nodes.filter((n) => n.type === 'modularPipeline').map((n) => n.id));
  for (const id of [...mpIds].sort()) tree[id] = { id, name: id, inputs: [], outputs: [], children: [] };
  for (const id of [...mpIds].sort()) {
    const dot = id.lastIndexOf('.');
    const parent = dot > 0 && mpIds.has(id.slice(0, dot)) ? id.slice(0, dot) : ROOT_PIPELINE;
    tree[parent]!.children.push({ id, type: 'modularPipeline' });
  }
  for (const n of nodes) {
    if (n.type === 'modularPipeline') continue;
    const parent = [...(n.modular_pipelines ?? [])].reverse().find((m) => mpIds.has(m)) ?? ROOT_PIPELINE;
    tree[parent]!.children.push({ id: n.id, type: n.type });
  }
  return tree;
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  if (!path.length) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

/** The graph of one pipeline of a loaded file: nodes that belong to it, and the tree pruned. */
export function selectPipeline(graph: GraphJson, pipelineId: string): GraphJson {
  const keep = new Set(graph.nodes.filter((n) => n.pipelines.includes(pipelineId)).map((n) => n.id));
  const tree: Record<string, ModularPipelineEntry> = {};
  for (const [key, e] of Object.entries(graph.modular_pipelines)) {
    if (key !== ROOT_PIPELINE && !keep.has(key)) continue;
    tree[key] = {
      ...e,
      inputs: e.inputs.filter((i) => keep.has(i)),
      outputs: e.outputs.filter((o) => keep.has(o)),
      children: e.children.filter((c) => keep.has(c.id)),
    };
  }
  const nodes = graph.nodes.filter((n) => keep.has(n.id));
  const usedTags = new Set(nodes.flatMap((n) => n.tags));
  return {
    ...graph,
    nodes,
    edges: graph.edges.filter((e) => keep.has(e.source) && keep.has(e.target)),
    tags: graph.tags.filter((t) => usedTags.has(t.id)),
    modular_pipelines: tree,
    selected_pipeline: pipelineId,
  };
}
