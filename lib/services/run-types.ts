import type { LogStream, RunEvent } from '../runner';

export type RunStatus = 'running' | 'success' | 'failed' | 'cancelled';
/** `not_run`: the run ended (a node failed, it was cancelled) before this node started. */
export type NodeRunStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped' | 'not_run';
export type StartedBy = 'cli' | 'dashboard';

/**
 * What the store appends to a run's event log besides the runner's events: the run ended
 * without a `run_finished` (cancelled, or its process died). Consumers close on either.
 */
export type RunAbortedEvent = { type: 'run_aborted'; status: 'failed' | 'cancelled'; reason: string; at: string };
export type RunLogEvent = RunEvent | RunAbortedEvent;
/** An event as stored and streamed: its position in the run's log first. */
export type StoredEvent = RunLogEvent & { seq: number };

/** The filters of a run, as `dqm run` takes them. */
export interface RunSelection {
  nodes?: string[];
  fromNodes?: string[];
  toNodes?: string[];
  tags?: string[];
  fromInputs?: string[];
  toOutputs?: string[];
  namespace?: string;
  namespaces?: string[];
  onlyMissingOutputs?: boolean;
}

export interface RunRecord {
  id: string;
  pipeline: string;
  env: string;
  /** Runtime parameters (`--params`), secrets redacted. */
  params: Record<string, unknown>;
  selection: RunSelection;
  gitCommit: string | null;
  startedBy: StartedBy;
  user: string | null;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  status: RunStatus;
  error: string | null;
  pid: number | null;
  /** 'sequential' or 'parallel' (null for runs recorded before it was). */
  runner: string | null;
  /** The run this one re-ran (the dashboard's Re-run), if any. */
  rerunOf: string | null;
}

export interface NodeRunRecord {
  node: string;
  position: number;
  status: NodeRunStatus;
  startedAt: string | null;
  durationMs: number | null;
  error: { code: string; message: string } | null;
  resumeCommand: string | null;
  /** The nodes the resume command restarts at. */
  resumeFrom: string[] | null;
  progress: { done: number; total: number; unit: string } | null;
  /** A failed node's stack, source-mapped to the project's files, with its causes (secrets redacted). */
  traceback: string | null;
}

/** One line of a node's output, as `GET /api/runs/{id}/logs` answers. */
export interface LogLine {
  seq: number;
  node: string;
  stream: LogStream;
  time: string;
  text: string;
}

/** A number a node reported (`reportMetric`). */
export interface MetricRecord {
  node: string;
  name: string;
  value: number;
}

export interface DatasetSaveRecord {
  dataset: string;
  savedAt: string;
  sizeBytes: number | null;
  rows: number | null;
}

export interface RunDetails {
  run: RunRecord;
  nodes: NodeRunRecord[];
  datasets: DatasetSaveRecord[];
  metrics: MetricRecord[];
}

/** One node's duration in one past run (the node's history). */
export interface NodeDurationPoint {
  runId: string;
  startedAt: string;
  status: NodeRunStatus;
  durationMs: number | null;
}

/** A row of a comparison: the value in run a and in run b (null: absent there). */
export interface ComparedValue<T> {
  key: string;
  a: T | null;
  b: T | null;
}

/** Two runs side by side (`GET /api/runs/compare?a=&b=`): only what differs is flagged `changed`. */
export interface RunComparison {
  a: RunRecord;
  b: RunRecord;
  params: Array<ComparedValue<unknown> & { changed: boolean }>;
  fields: Array<ComparedValue<string> & { changed: boolean }>;
  nodes: Array<ComparedValue<{ status: NodeRunStatus; durationMs: number | null }>>;
  datasets: Array<ComparedValue<{ rows: number | null; sizeBytes: number | null }>>;
  metrics: Array<ComparedValue<number> & { node: string; name: string }>;
}

/** Whether a persisted dataset is up to date with what produces it. */
export type FreshnessState = 'fresh' | 'missing' | 'stale';

export interface DatasetFreshness {
  dataset: string;
  state: FreshnessState;
  /** Why it is missing or stale, one sentence each (`parameter 'x' changed`, `input 'raw' changed`). */
  reasons: string[];
  /** The run that last wrote it, when the run store knows. */
  runId: string | null;
  savedAt: string | null;
}

/** One cell of the run x layer view: one CMS run of one partitioned input. */
export type PartitionState = 'processed' | 'missing' | 'failed' | 'stale';

export interface PartitionCell {
  state: PartitionState;
  /** The partitions (files) of this run in the input. */
  partitions: string[];
  /** First and last LS and their count, once processed (from the saved data). */
  ls: { first: number; last: number; count: number } | null;
  reasons: string[];
  /** Link to the run's plots (DQM plots page), when the column is a pixel layer. */
  plotsUrl: string | null;
}

/** The run x layer view: rows are CMS runs, columns are the pipeline's partitioned inputs. */
export interface PartitionMatrix {
  pipeline: string;
  columns: Array<{
    dataset: string;
    label: string;
    /** The nodes reading it: a run --from-nodes these reprocesses the column. */
    consumers: string[];
    /** The persisted datasets derived from it. */
    outputs: string[];
  }>;
  rows: Array<{ run: string; cells: Record<string, PartitionCell | null> }>;
}

export interface NewRun {
  id: string;
  pipeline: string;
  env: string;
  params?: Record<string, unknown>;
  selection?: RunSelection;
  startedBy: StartedBy;
  /** Default: the current OS user. */
  user?: string | null;
  /** Default: `git rev-parse HEAD` in the project root, null outside a repository. */
  gitCommit?: string | null;
  pid?: number | null;
  startedAt?: string;
  runner?: string | null;
  rerunOf?: string | null;
}

/** What the recorder learns about a saved dataset beyond its name. */
export interface DatasetFacts {
  sizeBytes?: number | null;
  rows?: number | null;
}
