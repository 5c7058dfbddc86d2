import { messageOf } from '../errors';
import { newRunId, type RunEventListener, type RunResult } from '../runner';
import { DEFAULT_PIPELINE } from '../pipeline';
import type { Project, RunOptions } from '../session';
import { RunConflictError } from './errors';
import { redactAll, secretValues } from '../redact';
import { RunRecorder } from './run-recorder';
import { RunStore } from './run-store';
import type { RunRecord, RunSelection, StartedBy, StoredEvent } from '../services';

export interface RecordRunOptions {
  startedBy?: StartedBy;
  /** The runtime parameters the run was started with (`--params`), recorded with secrets redacted. */
  params?: Record<string, unknown>;
  /** An open store (default: the project's `.dqm/runs.sqlite`, opened and closed here). */
  store?: RunStore;
  /** The project's run lock was taken for this run id by whoever started it (the dashboard's run manager): take it over. */
  lockTakenFor?: boolean;
  /** The run this one re-runs. */
  rerunOf?: string;
  /** Called once the run is recorded as running (the dashboard's run process then says it started). */
  onCreated?: (run: RunRecord) => void;
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
  // Argument errors (an unknown pipeline or node, a selection matching nothing) are refused
  // here, before anything is recorded or locked: they are not runs.
  const selected = project.selectPipeline(options);
  const store = opts.store ?? RunStore.open(project.root);
  const runId = options.runId ?? newRunId();
  // `--pipelines a,b` is recorded as 'a,b' (a re-run runs both again).
  const pipeline = options.pipelines?.length ? options.pipelines.join(',') : options.pipeline ?? DEFAULT_PIPELINE;
  const secrets = secretValues(project.config.credentials);
  try {
    takeLock(store, runId, opts.lockTakenFor === true);
  } catch (error) {
    if (!opts.store) store.close();
    throw error;
  }
  const run = store.createRun({
    id: runId,
    pipeline,
    env: project.env,
    params: opts.params ? redactAll(opts.params, secrets) : undefined,
    selection: selectionOf(options),
    startedBy: opts.startedBy ?? 'cli',
    runner: options.runner ?? 'sequential',
    rerunOf: opts.rerunOf,
  });
  opts.onCreated?.(run);
  store.recordGitCommit(runId, project.root);
  const catalog = safely(() => project.createCatalog());
  const recorder = new RunRecorder(store, runId, {
    root: project.root,
    filepathOf: (name) => (catalog?.has(name) ? catalog.getDataset(name).filepath : undefined),
    selectedNodes: selected.nodeNames(),
    onStored: opts.onStored,
    pipeline: selected,
    parameters: project.parameters,
    secrets,
  });
  // Row counts come from the afterDatasetSaved hook; the parallel runner would then do its
  // workers' I/O in the main thread, so parallel runs record sizes only.
  const addHook = (options.runner ?? 'sequential') === 'sequential';
  if (addHook) project.hooks.push(recorder.hooks);
  const onSignal = (signal: NodeJS.Signals) => {
    recorder.close();
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
    // Errors before run_started (missing inputs) leave the run open: close it.
    recorder.close();
    safely(() => store.abortRun(runId, 'failed', messageOf(error)));
    throw error;
  } finally {
    recorder.close();
    safely(() => store.releaseLock(runId));
    if (addHook) project.hooks.splice(project.hooks.indexOf(recorder.hooks), 1);
    if (opts.handleSignals) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    if (!opts.store) store.close();
  }
}

/** The project's run lock for this run: taken, or taken over from the process that started it. */
function takeLock(store: RunStore, runId: string, takeOver: boolean): void {
  if (!takeOver) return store.acquireLock(runId, process.pid);
  store.transferLock(runId, process.pid);
  const holder = store.lockHolder();
  if (holder?.runId !== runId) {
    const other = holder?.runId ?? 'another run';
    throw new RunConflictError(`A run is already in progress in this project: ${other}${store.describeRun(other)}. Wait for it to finish or cancel it first`, other);
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
  if (options.fromInputs?.length) out.fromInputs = options.fromInputs;
  if (options.toOutputs?.length) out.toOutputs = options.toOutputs;
  if (options.namespace) out.namespace = options.namespace;
  if (options.namespaces?.length) out.namespaces = options.namespaces;
  if (options.onlyMissingOutputs) out.onlyMissingOutputs = true;
  return out;
}

/** The run options that reproduce a recorded selection (re-run). */
export function optionsOf(selection: RunSelection): RunOptions {
  return {
    nodeNames: selection.nodes,
    fromNodes: selection.fromNodes,
    toNodes: selection.toNodes,
    tags: selection.tags,
    fromInputs: selection.fromInputs,
    toOutputs: selection.toOutputs,
    namespace: selection.namespace,
    namespaces: selection.namespaces,
    onlyMissingOutputs: selection.onlyMissingOutputs,
  };
}

function safely<T>(fn: () => T): T | undefined {
  try {
    return fn();
  } catch {
    return undefined;
  }
}
