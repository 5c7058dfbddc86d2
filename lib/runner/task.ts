import { isDqmError, messageOf } from '../errors';
import type { Node } from '../pipeline';
import type { RunnerCatalog } from './catalog';
import { timestamp, type RunEventListener } from './events';
import { callHooks, type Hooks } from './hooks';
import { withMetrics, withProgress, type MetricSink, type ProgressSink } from '../progress';
import { outsideNodeOutput, withNodeOutput, type LogSink } from './node-output';
import type { RunState } from './run-state';
import type { IoPlan } from './worker-messages.types';

/** What one node's execution needs from its run. */
export interface TaskContext {
  runId: string;
  catalog: RunnerCatalog;
  hooks: readonly Hooks[];
  emit: RunEventListener;
  state: RunState;
  /** Kedro's is_async (`--async`): load a node's inputs, and save its outputs, concurrently. */
  isAsync?: boolean;
}

/** Where what a running node reports goes: progress, metrics, and (from a worker thread) its output lines. */
export interface NodeReporter {
  progress: ProgressSink;
  metric: MetricSink;
  log: LogSink;
}

/**
 * Calls the node's function on loaded inputs: in this thread, or in a worker (parallel runner).
 * Returns the outputs to save. An executor with a `plan` loads the planned inputs itself and may
 * save planned outputs itself: those it saved are left out of the returned outputs.
 */
export type Executor = ((node: Node, inputs: Record<string, unknown>, report: NodeReporter) => Promise<Record<string, unknown>>) & {
  plan?: (node: Node) => IoPlan;
};

export const inProcess: Executor = (node, inputs, report) => withProgress(report.progress, () => withMetrics(report.metric, () => node.run(inputs)));

/**
 * One node's execution, as Kedro's `run_node`: load inputs, before-hooks, call, after-hooks,
 * save outputs, then release memory datasets whose last consumer this was. Rethrows the node's
 * error after recording it; outputs already saved by earlier nodes stay.
 */
export async function runTask(node: Node, ctx: TaskContext, execute: Executor = inProcess): Promise<void> {
  // The run's listeners (progress line, run store) never count as the node's own output.
  const emit: RunEventListener = (e) => outsideNodeOutput(() => ctx.emit(e));
  const log: LogSink = (stream, text) => emit({ type: 'log', node: node.name, stream, text, at: timestamp() });
  // Everything the node writes while it loads, runs and saves is its output.
  await withNodeOutput(log, () => runCapturedTask(node, ctx, emit, log, execute));
}

async function runCapturedTask(node: Node, ctx: TaskContext, emit: RunEventListener, log: LogSink, execute: Executor): Promise<void> {
  const { catalog, hooks, runId, state } = ctx;
  const isAsync = ctx.isAsync === true;
  const index = state.start();
  emit({ type: 'node_started', node: node.name, index, total: state.total, at: timestamp() });
  const t0 = performance.now();
  const inputs: Record<string, unknown> = {};
  const plan = execute.plan?.(node);
  try {
    const load = async (d: string) => {
      await callHooks(hooks, 'beforeDatasetLoaded', { dataset: d, node });
      const data = await catalog.load(d);
      inputs[d] = data;
      await callHooks(hooks, 'afterDatasetLoaded', { dataset: d, data, node });
    };
    await forEachDataset(node.inputs.filter((d) => !plan?.load.includes(d)), isAsync, load);
    await callHooks(hooks, 'beforeNodeRun', { runId, node, inputs, isAsync });
    const report: NodeReporter = {
      progress: (done, total, unit) => emit({ type: 'progress', node: node.name, done, total, unit, at: timestamp() }),
      metric: (name, value) => emit({ type: 'metric', node: node.name, name, value, at: timestamp() }),
      log,
    };
    let outputs: Record<string, unknown>;
    try {
      outputs = await execute(node, inputs, report);
    } catch (error) {
      await callHooks(hooks, 'onNodeError', { runId, node, inputs, error: error instanceof Error ? error : new Error(messageOf(error)), isAsync });
      throw error;
    }
    await callHooks(hooks, 'afterNodeRun', { runId, node, inputs, outputs, isAsync });
    await forEachDataset(Object.keys(outputs), isAsync, async (d) => {
      const data = outputs[d];
      await callHooks(hooks, 'beforeDatasetSaved', { dataset: d, data, node });
      await catalog.save(d, data);
      state.saved.push(d);
      emit({ type: 'dataset_saved', dataset: d, at: timestamp() });
      await callHooks(hooks, 'afterDatasetSaved', { dataset: d, data, node });
    });
    for (const d of plan?.save ?? []) {
      if (d in outputs) continue;
      state.saved.push(d); // saved by the worker
      emit({ type: 'dataset_saved', dataset: d, at: timestamp() });
    }
  } catch (error) {
    state.fail(node, performance.now() - t0, errorSummary(error));
    throw error;
  }
  const durationMs = performance.now() - t0;
  for (const d of state.finish(node, durationMs)) await catalog.release(d);
  emit({ type: 'node_finished', node: node.name, durationMs, at: timestamp() });
}

/** One dataset after the other, or all at once (`--async`; the first failure rejects once all have settled). */
export async function forEachDataset(names: readonly string[], isAsync: boolean, fn: (name: string) => Promise<void>): Promise<void> {
  if (!isAsync) {
    for (const d of names) await fn(d);
    return;
  }
  const failed = (await Promise.allSettled(names.map(fn))).find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

export function errorSummary(error: unknown): { code: string; message: string } {
  return { code: isDqmError(error) ? error.code : error instanceof Error ? error.name : 'ERROR', message: messageOf(error) };
}
