import { DatasetError, WorkerPool } from '../../io';
import type { ErrorCode } from '../../errors';
import type { HistogramSetHeader, HistogramSetLs } from '../../data';
import { READ_WORKER_ENTRY } from './read-worker-entry';

export type H5ReadRequest = { op: 'header'; file: string; shown: string } | { op: 'ls'; file: string; ls: number; shown: string };
export type H5ReadResult = { header: HistogramSetHeader; map?: Float32Array };

let pool: WorkerPool<H5ReadRequest, H5ReadResult> | undefined;

/** The pool's name in workerPoolStats() (GET /api/server-stats). */
export const HDF5_READ_POOL = 'hdf5-read';

/**
 * Reads on a worker thread: a set's first header read costs ~65 ms of h5wasm and the wasm's
 * start-up, which on the `dqm viz` event loop stalled every other request (bench:load).
 */
function run(req: H5ReadRequest): Promise<H5ReadResult> {
  pool ??= new WorkerPool<H5ReadRequest, H5ReadResult>(HDF5_READ_POOL, READ_WORKER_ENTRY);
  return pool.run(req).catch((error: unknown) => {
    // The thread's DatasetError, same message and code, as a reader in this thread would throw.
    const code = (error as { code?: ErrorCode }).code;
    throw new DatasetError(error instanceof Error ? error.message : String(error), { code: code === 'DQM_ERROR' ? undefined : code, cause: error });
  });
}

/** readHistogramSetH5Header, on a read thread. */
export async function readHistogramSetH5HeaderOffThread(file: string, shown = file): Promise<HistogramSetHeader> {
  return (await run({ op: 'header', file, shown })).header;
}

/** readHistogramSetH5Ls, on a read thread. */
export async function readHistogramSetH5LsOffThread(file: string, ls: number, shown = file): Promise<HistogramSetLs> {
  const { header, map } = await run({ op: 'ls', file, ls, shown });
  return { header, ls, map: map! };
}
