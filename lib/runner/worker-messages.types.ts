/** Messages between the parallel runner and its node workers (structured clones). */
export interface WorkerInit {
  /** file: URL of the project's `pipelines/registry.ts`. */
  registryUrl: string;
  parameters: Record<string, unknown>;
}

export type ToWorker = { type: 'run'; id: number; node: string; inputs: Record<string, unknown> };

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
  | { type: 'done'; id: number; outputs: Record<string, unknown> }
  | { type: 'failed'; id: number; error: SerializedError };
