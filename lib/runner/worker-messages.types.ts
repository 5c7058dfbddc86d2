import type { LogStream } from './events';

/** Messages between the parallel runner and its node workers (structured clones). */
export interface WorkerInit {
  /**
   * file: URL of the worker thread's entry module, which finds the node functions and calls
   * serveNodeWorker: the runner knows no registry (lib/session's NODE_WORKER_ENTRY loads it).
   */
  entry: string;
  /** The project root and parameters the entry loads the nodes with. */
  root: string;
  parameters: Record<string, unknown>;
  /**
   * The catalog config, so workers load and save persisted datasets themselves (as Kedro's
   * ParallelRunner): big inputs are read where they are used instead of being copied across.
   */
  catalog?: WorkerCatalogConfig;
  /** `--async`: the worker loads and saves a node's datasets concurrently too. */
  isAsync?: boolean;
}

/** What `DataCatalog.fromConfig` + `addFeedDict` need, as plain data. */
export interface WorkerCatalogConfig {
  entries: Record<string, unknown>;
  projectRoot: string;
  credentials?: Record<string, unknown>;
  loadVersions?: Record<string, string>;
  /** Must be the main thread's: every versioned save of a run uses one version. */
  saveVersion?: string;
  sources?: Record<string, string>;
  parameters: Record<string, unknown>;
}

/** Datasets a worker loads and saves through its own catalog; the rest cross threads. */
export interface IoPlan {
  load: string[];
  save: string[];
}

export type ToWorker = { type: 'run'; id: number; node: string; inputs: Record<string, unknown>; io: IoPlan };

export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  stack?: string;
}

export type FromWorker =
  | { type: 'ready'; nodes: Array<{ name: string; inputs: string[]; outputs: string[] }> }
  | { type: 'init_error'; error: SerializedError }
  | { type: 'progress'; id: number; done: number; total: number; unit: string }
  | { type: 'metric'; id: number; name: string; value: number }
  /** A line the node wrote in the worker (its output is captured there, per node). */
  | { type: 'log'; id: number; stream: LogStream; text: string }
  | { type: 'done'; id: number; outputs: Record<string, unknown>; saved: string[] }
  | { type: 'failed'; id: number; error: SerializedError };
