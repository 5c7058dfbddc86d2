import { randomBytes } from 'node:crypto';
import { messageOf } from '../errors';
import { DEFAULT_PIPELINE, Pipeline } from '../pipeline';
import { isPersisted, type RunnerCatalog } from './catalog';
import { RunError } from './errors';
import { timestamp, type RunEventListener } from './events';
import { callHooks, type Hooks } from './hooks';
import { ParallelRunner } from './parallel-runner';
import { checkInputsExist, checkInputsInCatalog, nodesToRun, resolveRunDatasets, resumeNodes } from './plan';
import type { NodeResult, RunResult } from './result';
import { RunState } from './run-state';
import { SequentialRunner, type Runner } from './sequential-runner';
import { errorSummary } from './task';
import { tracebackOf } from './traceback';
import type { WorkerInit } from './worker-messages.types';

export type RunnerName = 'sequential' | 'parallel';

export interface RunPipelineOptions {
  runner?: RunnerName | Runner;
  hooks?: readonly Hooks[];
  onEvent?: RunEventListener;
  runId?: string;
  /** The registered name of the pipeline, for events and messages. */
  pipelineName?: string;
  /** The config environment, for messages. */
  env?: string;
  /** Skip nodes whose persisted outputs exist (and whose inputs need no re-run). */
  onlyMissingOutputs?: boolean;
  /** The whole pipeline the run was filtered from: better messages for inputs a skipped node produces. */
  fullPipeline?: Pipeline;
  /** Builds the resume command from the nodes to restart at; default `dqm run --from-nodes a,b`. */
  resumeCommand?: (fromNodes: string[]) => string;
  /** Where parallel-runner workers import node functions from. */
  registry?: WorkerInit;
  maxWorkers?: number;
  /** Kedro's is_async (`--async`): each node's inputs load, and outputs save, concurrently. */
  isAsync?: boolean;
}

export function newRunId(): string {
  return `${new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomBytes(3).toString('hex')}`;
}

/**
 * Runs a pipeline against a catalog: checks inputs before anything runs, calls the hooks, runs
 * the nodes with the chosen runner and returns a summary. A node failure becomes a RunError that
 * names the node and the command resuming the run; outputs saved before it stay.
 */
export async function runPipeline(pipeline: Pipeline, catalog: RunnerCatalog, opts: RunPipelineOptions = {}): Promise<RunResult> {
  const t0 = performance.now();
  const runId = opts.runId ?? newRunId();
  const pipelineName = opts.pipelineName ?? DEFAULT_PIPELINE;
  const hooks = opts.hooks ?? [];
  const emit: RunEventListener = opts.onEvent ?? (() => {});
  const runner = typeof opts.runner === 'object' ? opts.runner : opts.runner === 'parallel' ? new ParallelRunner({ registry: opts.registry && { ...opts.registry, isAsync: opts.isAsync }, maxWorkers: opts.maxWorkers }) : new SequentialRunner();

  let toRun = pipeline;
  const skipped = new Set<string>();
  if (opts.onlyMissingOutputs) {
    const needed = await nodesToRun(pipeline, catalog);
    for (const n of pipeline.nodes) if (!needed.has(n.name)) skipped.add(n.name);
    toRun = new Pipeline(pipeline.nodes.filter((n) => needed.has(n.name)));
  }
  resolveRunDatasets(toRun, catalog);
  checkInputsInCatalog(toRun, catalog, { env: opts.env, fullPipeline: opts.fullPipeline ?? pipeline });
  await checkInputsExist(toRun, catalog, { env: opts.env });

  const state = new RunState(toRun);
  const summary = (status: RunResult['status'], outputs: Record<string, unknown> = {}): RunResult => ({
    runId,
    pipeline: pipelineName,
    status,
    runner: runner.name,
    nodes: pipeline.nodes.map((n): NodeResult => (skipped.has(n.name) ? { name: n.name, status: 'skipped' } : state.results.get(n.name)!)),
    datasetsSaved: [...state.saved],
    durationMs: performance.now() - t0,
    outputs,
  });

  emit({ type: 'run_started', runId, pipeline: pipelineName, nodes: toRun.nodeNames(), at: timestamp() });
  try {
    await callHooks(hooks, 'beforePipelineRun', { runId, pipeline: toRun, pipelineName });
    await runner.run(toRun, { runId, catalog, hooks, emit, state, isAsync: opts.isAsync });
  } catch (error) {
    const failed = state.failedNodes()[0] ?? '';
    const from = resumeNodes(toRun, state.unfinishedNodes(), catalog);
    const resume = (opts.resumeCommand ?? ((nodes) => `dqm run --from-nodes ${nodes.join(',')}`))(from);
    const err = error instanceof Error ? error : new Error(messageOf(error));
    const result = summary('failed');
    if (failed) emit({ type: 'node_failed', node: failed, error: errorSummary(error), resumeCommand: resume, resumeFrom: from, traceback: tracebackOf(error), at: timestamp() });
    await callHooks(hooks, 'onPipelineError', { runId, pipeline: toRun, pipelineName, error: err }).catch(() => {});
    emit({ type: 'run_finished', status: 'failed', durationMs: result.durationMs, at: timestamp() });
    const what = failed ? `Node '${failed}' failed: ${messageOf(error)}` : `Run failed: ${messageOf(error)}`;
    throw new RunError(`${what}. Resume the run with: ${resume}`, failed, resume, result, { cause: error });
  }

  const outputs: Record<string, unknown> = {};
  for (const d of toRun.outputs()) if (!isPersisted(catalog, d) && catalog.has(d)) outputs[d] = await catalog.load(d);
  await callHooks(hooks, 'afterPipelineRun', { runId, pipeline: toRun, pipelineName, outputs });
  const result = summary('success', outputs);
  emit({ type: 'run_finished', status: 'success', durationMs: result.durationMs, at: timestamp() });
  return result;
}
