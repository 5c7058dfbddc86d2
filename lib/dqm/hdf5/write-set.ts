import { withAtomicPath } from '../../io';
import type { HistogramSet } from '../../data';
import { assertConsistentSet } from '../set-consistency';
import { writeHistogramSetH5Streamed } from './stream-write';

/**
 * Writes the set as HDF5 (./layout.ts) to a temp file renamed over `file`: a failure leaves the
 * old file. Maps go over in batches (one typed-array copy of the whole set could exceed the wasm
 * heap), each a view of the set's buffer.
 */
export async function writeHistogramSetH5(file: string, h: HistogramSet, shown = file): Promise<void> {
  assertConsistentSet(h);
  const size = h.ny * h.nx;
  await withAtomicPath(file, (tmp) => writeHistogramSetH5Streamed(tmp, h, (start, end) => h.values.subarray(start * size, end * size), shown));
}
