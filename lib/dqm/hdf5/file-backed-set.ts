import { statSync } from 'node:fs';
import { DatasetError } from '../../io';
import type { BlockReadableHistogramSet, HistogramSet, HistogramSetHeader } from '../../data';
import { h5, withH5FileSync, type H5wasm } from './h5';
import { readHeader, readHistogramSetH5, slice } from './read-set';

/** A stored set opened lazily: the header in memory, the maps read block by block from its file. */
export interface FileBackedHistogramSet extends BlockReadableHistogramSet {
  /** The file it reads (absolute). */
  readonly file: string;
}

interface Stamp {
  mtimeMs: number;
  size: number;
}

/**
 * Opens an HDF5 set (./layout.ts) without its maps: what a `lazy: true` HistogramSetDataset
 * loads. Each `forEachBlock` opens the file, reads /values `blockLs` LS at a time (one slice of
 * whole chunks each) and closes it. If the file changed since it was opened (another run
 * rewrote it) that is a DatasetError STALE_FILE naming it: blocks of two different files must
 * never be mixed into one result. `shownWhileOpening` names the file in errors of the open itself
 * (a dataset says `the file`: its own wrapper names it); later errors name it `shown`.
 */
export async function openFileBackedSet(file: string, shown = file, shownWhileOpening = shown): Promise<FileBackedHistogramSet> {
  const lib = await h5();
  const stamp = stampOf(file);
  const header = withH5FileSync(lib, file, 'r', shownWhileOpening, (f) => readHeader(f, file, shownWhileOpening).header);
  return fileBackedSet(lib, file, shown, header, stamp);
}

function fileBackedSet(lib: H5wasm, file: string, shown: string, header: HistogramSetHeader, stamp: Stamp): FileBackedHistogramSet {
  const checkFresh = () => {
    let now: Stamp;
    try {
      now = stampOf(file);
    } catch (error) {
      throw new DatasetError(`${shown} was removed after it was loaded; load the dataset again`, { code: 'STALE_FILE', cause: error });
    }
    if (now.mtimeMs !== stamp.mtimeMs || now.size !== stamp.size) {
      throw new DatasetError(`${shown} changed on disk after it was loaded (${stamp.size} → ${now.size} bytes, modified ${new Date(now.mtimeMs).toISOString()}); load the dataset again`, { code: 'STALE_FILE' });
    }
  };
  const size = header.ny * header.nx;
  const n = header.run.length;
  return {
    ...header,
    kind: 'block-histogram-set',
    file,
    forEachBlock(blockLs, fn) {
      if (!Number.isInteger(blockLs) || blockLs < 1) throw new DatasetError(`forEachBlock: blockLs must be a positive integer, got ${blockLs}`);
      checkFresh();
      withH5FileSync(lib, file, 'r', shown, (f) => {
        const values = readHeader(f, file, shown).values;
        for (let start = 0; start < n; start += blockLs) {
          const end = Math.min(n, start + blockLs);
          const part = slice(values, start, end, shown);
          const maps = part instanceof Float32Array ? part : Float32Array.from(part);
          if (maps.length !== (end - start) * size) throw new DatasetError(`${shown}: /values gave ${maps.length} values for LS ${start}..${end - 1}`, { code: 'CORRUPT_FILE' });
          fn(blockOf(header, start, end, maps), start);
        }
      });
    },
    async materialise(): Promise<HistogramSet> {
      checkFresh();
      return readHistogramSetH5(file, shown);
    },
  };
}

/** LS `start..end` of the set as a HistogramSet: views of the header's arrays, the block's maps. */
function blockOf(h: HistogramSetHeader, start: number, end: number, values: Float32Array): HistogramSet {
  return {
    ...h,
    kind: 'histogram-set',
    run: h.run.subarray(start, end),
    lumi: h.lumi.subarray(start, end),
    entries: h.entries.subarray(start, end),
    ...(h.rawSumSq ? { rawSumSq: h.rawSumSq.subarray(start, end) } : {}),
    values,
  };
}

function stampOf(file: string): Stamp {
  const s = statSync(file);
  return { mtimeMs: s.mtimeMs, size: s.size };
}
