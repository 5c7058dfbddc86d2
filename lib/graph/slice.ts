import type { GraphJson } from './graph-types';
import { DEFAULT_PIPELINE } from '../pipeline';

/** A visual slice: the nodes on a path from `from` to `to`, and the command that runs them. */
export interface Slice {
  from: string;
  to: string;
  /** Ids of every task, dataset and parameter on a path from `from` to `to`. */
  nodes: Set<string>;
  /** Task names for `--from-nodes` / `--to-nodes` (a dataset end stands for its consumers / producer). */
  fromNodes: string[];
  toNodes: string[];
  command: string;
}

function adjacency(graph: GraphJson) {
  const isBase = new Set(graph.nodes.filter((n) => n.type !== 'modularPipeline').map((n) => n.id));
  const succ = new Map<string, string[]>();
  const pred = new Map<string, string[]>();
  for (const e of graph.edges) {
    if (!isBase.has(e.source) || !isBase.has(e.target)) continue;
    (succ.get(e.source) ?? succ.set(e.source, []).get(e.source)!).push(e.target);
    (pred.get(e.target) ?? pred.set(e.target, []).get(e.target)!).push(e.source);
  }
  return { succ, pred };
}

function reach(start: string, next: Map<string, string[]>): Set<string> {
  const seen = new Set([start]);
  const stack = [start];
  while (stack.length) for (const u of next.get(stack.pop()!) ?? []) if (!seen.has(u)) (seen.add(u), stack.push(u));
  return seen;
}

/**
 * What `dqm run --from-nodes A --to-nodes B` runs, as Kedro filters it: A and what follows it,
 * intersected with B and what precedes it. Null when no path joins them (the command would run
 * nothing). Ends may be datasets: a start dataset stands for the tasks reading it, an end one for
 * the task writing it.
 */
export function sliceBetween(graph: GraphJson, from: string, to: string): Slice | null {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const a = byId.get(from);
  const b = byId.get(to);
  if (!a || !b || a.type === 'modularPipeline' || b.type === 'modularPipeline') return null;
  const { succ, pred } = adjacency(graph);
  const down = reach(from, succ);
  const up = reach(to, pred);
  const nodes = new Set([...down].filter((id) => up.has(id)));
  if (!nodes.size) return null;
  const taskName = (id: string) => byId.get(id)!.name;
  const isTask = (id: string) => byId.get(id)?.type === 'task';
  const fromNodes = (isTask(from) ? [from] : (succ.get(from) ?? []).filter((id) => nodes.has(id) && isTask(id))).map(taskName).sort();
  const toNodes = (isTask(to) ? [to] : (pred.get(to) ?? []).filter((id) => nodes.has(id) && isTask(id))).map(taskName).sort();
  if (!fromNodes.length || !toNodes.length) return null;
  // Inputs read by the sliced tasks belong to the picture too (parameters, raw data).
  for (const id of [...nodes]) if (isTask(id)) for (const p of pred.get(id) ?? []) nodes.add(p);
  const pipeline = graph.selected_pipeline === DEFAULT_PIPELINE ? '' : ` --pipeline ${graph.selected_pipeline}`;
  return { from, to, nodes, fromNodes, toNodes, command: `dqm run${pipeline} --from-nodes ${fromNodes.join(',')} --to-nodes ${toNodes.join(',')}` };
}

/** Focus mode: the nodes inside a modular pipeline (any depth), its inputs and its outputs. */
export function focusSet(graph: GraphJson, pipelineId: string): Set<string> {
  const entry = Object.hasOwn(graph.modular_pipelines, pipelineId) ? graph.modular_pipelines[pipelineId] : undefined;
  const out = new Set<string>([pipelineId]);
  if (!entry) return out;
  for (const n of graph.nodes) if (n.id === pipelineId || n.modular_pipelines?.includes(pipelineId)) out.add(n.id);
  for (const [key, e] of Object.entries(graph.modular_pipelines)) if (key === pipelineId || key.startsWith(`${pipelineId}.`)) for (const c of e.children) out.add(c.id);
  for (const id of [...entry.inputs, ...entry.outputs]) out.add(id);
  return out;
}
