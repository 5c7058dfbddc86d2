import { type Node, type Pipeline, isParameter } from '../pipeline';
import { uniqueDnsLabels } from './dns-name';
import { DeployError } from './errors';

/** The tag that marks a node as processing one run at a time (fanned out with `--partition-by run`). */
export const PER_RUN_TAG = 'per_run';
/** The entrypoint DAG template's name; no task may take it. */
export const ENTRYPOINT = 'dqm-pipeline';

export type Granularity = 'node' | 'pipeline';

/** One Argo task: a node, or every node of a top-level namespace (granularity `pipeline`). */
export interface TaskUnit {
  /** Node name (granularity node, or an un-namespaced node) or top-level namespace. */
  key: string;
  kind: 'node' | 'namespace';
  /** DNS-1123 label used for the task AND its template. */
  label: string;
  nodes: Node[];
  /** Labels of the tasks producing this task's inputs. */
  dependencies: string[];
  /** Datasets read from outside the task (parameters excluded). */
  inputs: string[];
  /** Datasets written by the task. */
  outputs: string[];
  /** Every node carries the `per_run` tag. */
  perRun: boolean;
}

/**
 * Cuts the pipeline into tasks and derives each task's dependencies: a task depends on the
 * tasks producing its inputs. Tasks come out in the pipeline's topological order.
 */
export function planTasks(pipeline: Pipeline, granularity: Granularity): TaskUnit[] {
  const keyOf = (n: Node): { key: string; kind: TaskUnit['kind'] } =>
    granularity === 'pipeline' && n.namespace ? { key: n.namespace.split('.')[0]!, kind: 'namespace' } : { key: n.name, kind: 'node' };
  const groups = new Map<string, { kind: TaskUnit['kind']; nodes: Node[] }>();
  for (const n of pipeline.nodes) {
    const { key, kind } = keyOf(n);
    const group = groups.get(key) ?? groups.set(key, { kind, nodes: [] }).get(key)!;
    if (group.kind !== kind) {
      throw new DeployError(`Node '${key}' has the same name as the namespace '${key}'; rename one or use --granularity node`);
    }
    group.nodes.push(n);
  }
  const labels = uniqueDnsLabels(groups.keys(), [ENTRYPOINT]);
  const producerKey = new Map<string, string>();
  for (const [key, g] of groups) for (const n of g.nodes) for (const o of n.outputs) producerKey.set(o, key);

  const units: TaskUnit[] = [];
  for (const [key, g] of groups) {
    const outputs = g.nodes.flatMap((n) => n.outputs);
    const own = new Set(outputs);
    const inputs = [...new Set(g.nodes.flatMap((n) => n.inputs))].filter((d) => !own.has(d) && !isParameter(d));
    const deps = new Set<string>();
    for (const d of inputs) {
      const p = producerKey.get(d);
      if (p !== undefined && p !== key) deps.add(p);
    }
    units.push({
      key,
      kind: g.kind,
      label: labels.get(key)!,
      nodes: g.nodes,
      dependencies: [...deps].map((k) => labels.get(k)!).sort(),
      inputs,
      outputs,
      perRun: g.nodes.every((n) => n.tags.has(PER_RUN_TAG)),
    });
  }
  if (granularity === 'pipeline') checkAcyclic(units);
  return units;
}

/** Grouping nodes by namespace can close a loop (ns a -> x -> ns a) that the node graph does not have. */
function checkAcyclic(units: TaskUnit[]): void {
  const byLabel = new Map(units.map((u) => [u.label, u]));
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (label: string, path: string[]): void => {
    if (state.get(label) === 'done') return;
    if (state.get(label) === 'visiting') {
      const cycle = [...path.slice(path.indexOf(label)), label].map((l) => byLabel.get(l)!.key);
      throw new DeployError(
        `Grouping by namespace creates a cycle between tasks: ${cycle.join(' -> ')}. Use --granularity node`,
      );
    }
    state.set(label, 'visiting');
    for (const d of byLabel.get(label)!.dependencies) visit(d, [...path, label]);
    state.set(label, 'done');
  };
  for (const u of units) visit(u.label, []);
}
