/**
 * The entry of the HDF5 read threads (read-pool.ts): each opens the file with its own h5wasm,
 * reads the header or one LS, and sends the typed arrays back, their buffers transferred.
 */
import type { Transferable } from 'node:worker_threads';
import { servePool } from '../../io';
import type { HistogramSetHeader } from '../../data';
import { readHistogramSetH5Header, readHistogramSetH5Ls } from './read-set';
import type { H5ReadRequest, H5ReadResult } from './read-pool';

function buffersOf(header: HistogramSetHeader): Transferable[] {
  return [header.run, header.lumi, header.entries, header.rawSumSq].flatMap((a) => (a ? [a.buffer as ArrayBuffer] : []));
}

servePool<H5ReadRequest, H5ReadResult>(async (req) => {
  if (req.op === 'header') {
    const header = await readHistogramSetH5Header(req.file, req.shown);
    return { value: { header }, transfer: buffersOf(header) };
  }
  const { header, map } = await readHistogramSetH5Ls(req.file, req.ls, req.shown);
  return { value: { header, map }, transfer: [...buffersOf(header), map.buffer as ArrayBuffer] };
});
