import { writeChunksAtomic } from '../io';
import { HistogramError } from './errors';
import type { WrittenPart } from './simulate-worker.types';

/**
 * Writes a thread's part files one after the other, each in the background (libuv's threadpool)
 * while the thread simulates the next part, across streams too: a stream's last file is still
 * being written while the next stream starts. At most one file is pending (two parts alive).
 */
export class PartWriter {
  private pending: Promise<void> = Promise.resolve();
  private last: WrittenPart | undefined;

  /** Waits for the previous file, then starts this one; `onWritten` runs once it is in place. */
  async write(part: WrittenPart, chunks: readonly Uint8Array[], onWritten?: (p: WrittenPart) => void): Promise<void> {
    await this.pending;
    this.last = part;
    this.pending = writeChunksAtomic(part.file, chunks).then(
      () => onWritten?.(part),
      (error: unknown) => {
        throw new HistogramError(`Writing ${part.file} failed: ${error instanceof Error ? error.message : String(error)}`, { code: 'SIMULATION_FAILED', cause: error });
      },
    );
    // Awaited by the next write or by flush(); until then a failure must not count as unhandled.
    this.pending.catch(() => undefined);
  }

  /** Resolves once every file is written; rejects with the first failure. */
  flush(): Promise<void> {
    return this.pending;
  }

  /** The part written last (the one a flush() failure is about). */
  get lastPart(): WrittenPart | undefined {
    return this.last;
  }
}
