import type { RunEvent } from '../runner';

export type RunStatus = 'running' | 'success' | 'failed' | 'cancelled';
export type NodeRunStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';
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
}

export interface NodeRunRecord {
  node: string;
  position: number;
  status: NodeRunStatus;
  startedAt: string | null;
  durationMs: number | null;
  error: { code: string; message: string } | null;
  resumeCommand: string | null;
  progress: { done: number; total: number; unit: string } | null;
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
}

/** What the recorder learns about a saved dataset beyond its name. */
export interface DatasetFacts {
  sizeBytes?: number | null;
  rows?: number | null;
}
