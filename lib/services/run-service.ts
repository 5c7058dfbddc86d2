import type { DatasetFreshness, LogLine, NodeDurationPoint, PartitionMatrix, RunComparison, RunDetails, RunRecord, StoredEvent } from './run-types';

/** What the `/api/runs` route handlers call; implemented by RunManager in the `dqm viz` process. */
export interface RunServiceApi {
  start(body: unknown): Promise<RunRecord>;
  cancel(id: string): Promise<RunRecord>;
  list(opts?: { limit?: number; offset?: number }): RunRecord[];
  get(id: string): RunDetails;
  runningId(): string | undefined;
  subscribe(id: string, listener: (event: StoredEvent) => void, onEnd?: () => void, afterSeq?: number): () => void;
  /** A run's output lines, all nodes or one. */
  logs(id: string, node?: string): LogLine[];
  /** Starts the run again with the same pipeline, env, params and selection; `from: 'failed'` resumes at the failed node. */
  rerun(id: string, body: unknown): Promise<RunRecord>;
  compare(a: string, b: string): RunComparison;
  /** A node's duration across the last `limit` runs that ran it, newest first. */
  durations(node: string, limit?: number): NodeDurationPoint[];
  /** Missing and stale persisted datasets of a pipeline. */
  freshness(pipeline?: string): Promise<Record<string, DatasetFreshness>>;
  /** The run x layer view of a pipeline's partitioned inputs. */
  partitions(pipeline?: string): Promise<PartitionMatrix>;
}

// On globalThis, as the viz service: Next bundles route handlers apart from the `dqm viz`
// modules, so a module-level variable would not be shared between them; a global symbol is.
const KEY = Symbol.for('dqm.runs');

export function setRunService(service: RunServiceApi | Promise<RunServiceApi> | undefined): void {
  (globalThis as Record<symbol, unknown>)[KEY] = service === undefined ? undefined : Promise.resolve(service);
}

export function getRunService(): Promise<RunServiceApi> | undefined {
  return (globalThis as Record<symbol, unknown>)[KEY] as Promise<RunServiceApi> | undefined;
}
