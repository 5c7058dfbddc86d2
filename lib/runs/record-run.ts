import { messageOf } from '../errors';
import { newRunId, type RunEventListener, type RunResult } from '../runner';
import { DEFAULT_PIPELINE } from '../pipeline';
import type { Project, RunOptions } from '../session';
import { RunRecorder } from './run-recorder';
import { RunStore } from './run-store';
import type { RunSelection, StartedBy, StoredEvent } from '../services';

export interface RecordRunOptions {
  startedBy?: StartedBy;
  /** The runtime parameters the run was started with (`--params`), recorded with secrets redacted. */
  params?: Record<string, unknown>;
  /** An open store (default: the project's `.dqm/runs.sqlite`, opened and closed here). */
  store?: RunStore;
  /** The run row exists already (the dashboard's run manager created it). */
  existingRun?: boolean;
  /** Also told every runner event (the CLI's progress line). */
  onEvent?: RunEventListener;
  /** Every event once stored, with its sequence number. */
  onStored?: (event: StoredEvent) => void;
  /** Mark the run cancelled on Ctrl+C / SIGTERM before exiting (the CLI). */
  handleSignals?: boolean;
}

/**
 * `project.run` that records the run in the project's run store: the run row, every event,
 * node statuses, saved datasets with size and rows. A failure to start (bad inputs) is
 * recorded as a failed run too. The run's result or error is passed through unchanged.
 */
export async function recordRun(project: Project, options: RunOptions = {}, opts: RecordRunOptions = {}): Promise<RunResult> {
  const store = opts.store ?? RunStore.open(project.root);
  const runId = options.runId ?? newRunId();
  const pipeline = options.pipelines?.length ? options.pipelines.join(',') : options.pipeline ?? DEFAULT_PIPELINE;
  const selectedNodes = safely(() => project.selectPipeline(options).nodeNames());
  if (!opts.existingRun) {
    store.createRun({ id: runId, pipeline, env: project.env, params: opts.params, selection: selectionOf(options), startedBy: opts.startedBy ?? 'cli' });
  }
  store.recordGitCommit(runId, project.root);
  const catalog = safely(() => project.createCatalog());
  const recorder = new RunRecorder(store, runId, {
    root: project.root,
    filepathOf: (name) => (catalog?.has(name) ? catalog.getDataset(name).filepath : undefined),
    selectedNodes,
    onStored: opts.onStored,
  });
  // Row counts come from the afterDatasetSaved hook; the parallel runner would then do its
  // workers' I/O in the main thread, so parallel runs record sizes only.
  const addHook = (options.runner ?? 'sequential') === 'sequential';
  if (addHook) project.hooks.push(recorder.hooks);
  const onSignal = (signal: NodeJS.Signals) => {
    store.abortRun(runId, 'cancelled', `interrupted (${signal})`);
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  if (opts.handleSignals) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  try {
    return await project.run({ ...options, runId }, (event) => {
      recorder.onEvent(event);
      opts.onEvent?.(event);
    });
  } catch (error) {
    // Errors before run_started (missing inputs, unknown nodes) leave the run open: close it.
    safely(() => store.abortRun(runId, 'failed', messageOf(error)));
    throw error;
  } finally {
    if (addHook) project.hooks.splice(project.hooks.indexOf(recorder.hooks), 1);
    if (opts.handleSignals) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    if (!opts.store) store.close();
  }
}

/**
 * What `dqm run` calls instead of `project.run`, so a run started by hand shows in the
 * dashboard's history. Same arguments and result as `project.run`.
 */
export async function recordCliRun(project: Project, options: RunOptions, onEvent?: RunEventListener, extra: { params?: Record<string, unknown> } = {}): Promise<RunResult> {
  let store: RunStore;
  try {
    store = RunStore.open(project.root);
  } catch (error) {
    // The history is a convenience: a read-only checkout still runs, with one warning.
    process.stderr.write(`Warning: this run is not recorded in the run history: ${messageOf(error)}\n`);
    return project.run(options, onEvent);
  }
  try {
    return await recordRun(project, options, { store, startedBy: 'cli', onEvent, params: extra.params, handleSignals: true });
  } finally {
    store.close();
  }
}

export function selectionOf(options: RunOptions): RunSelection {
  const out: RunSelection = {};
  if (options.nodeNames?.length) out.nodes = options.nodeNames;
  if (options.fromNodes?.length) out.fromNodes = options.fromNodes;
  if (options.toNodes?.length) out.toNodes = options.toNodes;
  if (options.tags?.length) out.tags = options.tags;
  return out;
}

function safely<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
