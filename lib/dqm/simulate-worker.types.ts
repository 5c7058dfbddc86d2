import type { SimulateOptions } from './simulate';

/** One written part file. */
export interface WrittenPart {
  layer: number;
  run: number;
  rows: number;
  file: string;
  bytes: number;
}

/** Messages between writeSimulation and its simulation threads (structured clones). */
export interface SimulateWorkerInit {
  options: SimulateOptions;
  outDir: string;
}

export type ToSimulateWorker = { type: 'stream'; run: number; layer: number } | { type: 'flush' };

export type FromSimulateWorker =
  | { type: 'ready' }
  | { type: 'part'; part: WrittenPart }
  | { type: 'done'; run: number; layer: number }
  | { type: 'flushed' }
  | { type: 'failed'; run: number; layer: number; message: string };
