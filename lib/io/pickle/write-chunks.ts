import { promises as fs } from 'node:fs';
import { withAtomicPath } from '../atomic-write';

/**
 * Writes `chunks` to `file` atomically (temp file + rename) with writev, in batches, so that a
 * 100 MB pickle made of map strings is never concatenated into one buffer first.
 */
export async function writeChunksAtomic(file: string, chunks: readonly Uint8Array[]): Promise<void> {
  await withAtomicPath(file, async (tmp) => {
    const fh = await fs.open(tmp, 'w');
    try {
      for (let i = 0; i < chunks.length; i += 256) {
        const batch = chunks.slice(i, i + 256);
        const total = batch.reduce((a, c) => a + c.byteLength, 0);
        const { bytesWritten } = await fh.writev(batch);
        if (bytesWritten < total) await fh.write(Buffer.concat(batch).subarray(bytesWritten)); // a short write: finish it
      }
    } finally {
      await fh.close();
    }
  });
}
