import { promises as fs } from 'node:fs';

/** Reads go to the file in steps of this size (fs.readFile reads 512 KiB at a time). */
const READ_STEP = 8 << 20;

/**
 * One buffer that whole files are read into, one after the other: a reader that is done with a
 * file's bytes before it reads the next (the DQM raw-map partitions) touches no new memory per
 * file. Why not fs.readFile: it allocates a new buffer per file, and on a VM a page touched for
 * the first time costs a host fault: at 5,000 LS × 4 layers that was 3.8 GB of new memory
 * (~970k page faults; 160k with this) at the 300-600 MB/s bench:dqm measures for fresh memory.
 */
export class ReusableBuffer {
  private buffer = Buffer.allocUnsafeSlow(0);

  /**
   * All of `file`, read into this buffer (grown when the file is bigger): a view of its bytes.
   * The next read overwrites them, so the caller must be done with this one (and every view
   * of it) by then.
   */
  async readFile(file: string): Promise<Buffer> {
    const handle = await fs.open(file, 'r');
    try {
      const { size } = await handle.stat();
      // Headroom for the next, slightly bigger file; pages never written are never touched.
      if (size > this.buffer.length) this.buffer = Buffer.allocUnsafeSlow(Math.ceil(size * 1.125));
      let read = 0;
      while (read < size) {
        const { bytesRead } = await handle.read(this.buffer, read, Math.min(READ_STEP, size - read), read);
        if (bytesRead === 0) break; // truncated while being read: what is there
        read += bytesRead;
      }
      return this.buffer.subarray(0, read);
    } finally {
      await handle.close();
    }
  }
}

/** A dataset that can load with its file's bytes read into a ReusableBuffer (PickleDataset). */
export interface LoadsIntoBuffer<T> {
  loadInto(buffer: ReusableBuffer): Promise<T>;
}

export function loadsIntoBuffer<T>(dataset: object): dataset is LoadsIntoBuffer<T> {
  return typeof (dataset as Partial<LoadsIntoBuffer<T>>).loadInto === 'function';
}
