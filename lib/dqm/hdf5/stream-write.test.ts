import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHistogramSet } from '../../data';
import { writeHistogramSetH5Streamed } from './stream-write';

describe('writeHistogramSetH5Streamed', () => {
  it('writes the same bytes whatever the batch: HDF5 allocates and indexes the chunks in the same order', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'stream-write-'));
    // 100 × 100 maps: one LS a chunk, 40 chunks.
    const h = createHistogramSet({ title: 'm', ny: 100, nx: 100, x: { min: 0, max: 1, label: 'z' }, y: { min: 0, max: 1, label: 'phi' } }, 40, { rawSumSq: new Float64Array(40), rawBins: 10404 });
    h.values.forEach((_, k) => (h.values[k] = k % 7));
    const size = h.ny * h.nx;
    const asked: number[] = [];
    const write = (name: string, batch: number) =>
      writeHistogramSetH5Streamed(path.join(dir, name), h, (start, end) => (asked.push(end - start), h.values.subarray(start * size, end * size)), name, batch);
    // HDF5 object headers carry a time in seconds: compare writes made within one second.
    for (;;) {
      const t0 = Math.floor(Date.now() / 1000);
      asked.length = 0;
      await write('one-batch.h5', 40);
      await write('by-7.h5', 7);
      await write('by-1.h5', 1);
      if (Math.floor(Date.now() / 1000) === t0) break;
    }
    expect(asked.slice(0, 7)).toEqual([40, 7, 7, 7, 7, 7, 5]);
    const one = readFileSync(path.join(dir, 'one-batch.h5'));
    expect(readFileSync(path.join(dir, 'by-7.h5')).equals(one)).toBe(true);
    expect(readFileSync(path.join(dir, 'by-1.h5')).equals(one)).toBe(true);
  });
});
