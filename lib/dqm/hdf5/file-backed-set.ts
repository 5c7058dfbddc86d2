import { statSync } from 'node:fs';
import { DatasetError } from '../../io';
import type { BlockReadableHistogramSet, HistogramSet, HistogramSetHeader } from '../../data';
import { h5, h5Module, withH5FileSync, type H5Dataset, type H5Module, type H5wasm } from './h5';
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
  const module = await h5Module();
  const stamp = stampOf(file);
  const header = withH5FileSync(lib, file, 'r', shownWhileOpening, (f) => readHeader(f, file, shownWhileOpening).header);
  return fileBackedSet(lib, module, file, shown, header, stamp);
}

function fileBackedSet(lib: H5wasm, module: H5Module, file: string, shown: string, header: HistogramSetHeader, stamp: Stamp): FileBackedHistogramSet {
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
      // A kernel's own error inside fn is not an HDF5 read failure: carried out of withH5FileSync as is.
      let failed: { error: unknown } | undefined;
      withH5FileSync(lib, file, 'r', shown, (f) => {
        const values = readHeader(f, file, shown).values;
        const read = values.dtype === '<f' ? rawReader(module, values, blockLs * size) : undefined;
        try {
          for (let start = 0; start < n; start += blockLs) {
            const end = Math.min(n, start + blockLs);
            const maps = read ? read(start, end) : Float32Array.from(slice(values, start, end, shown));
            if (maps.length !== (end - start) * size) throw new DatasetError(`${shown}: /values gave ${maps.length} values for LS ${start}..${end - 1}`, { code: 'CORRUPT_FILE' });
            try {
              fn(blockOf(header, start, end, maps), start);
            } catch (error) {
              failed = { error };
              return;
            }
          }
        } finally {
          read?.free();
        }
      });
      if (failed) throw failed.error;
    },
    async materialise(): Promise<HistogramSet> {
      checkFresh();
      return readHistogramSetH5(file, shown);
    },
  };
}

/**
 * Float32 maps read straight into one wasm buffer kept for the whole pass, handed out as a view
 * of the wasm heap: half the time of h5wasm's slice(), which mallocs, reads, copies to a new
 * array and frees per call (measured: 60 vs 104 ms per 1,000 pixel maps). The view is valid
 * until the next read: a block's `values` must not be kept after its callback.
 */
function rawReader(module: H5Module, values: H5Dataset, maxFloats: number): ((start: number, end: number) => Float32Array) & { free(): void } {
  const dims = (values.shape ?? []).slice(1).map(BigInt);
  const ptr = module._malloc(maxFloats * 4);
  if (!ptr) throw new DatasetError(`cannot allocate ${maxFloats * 4} bytes in the HDF5 heap for a block of maps`);
  const fileId = (values as unknown as { file_id: bigint }).file_id;
  const read = (start: number, end: number): Float32Array => {
    const count = [BigInt(end - start), ...dims];
    module.get_dataset_data(fileId, values.path, count, [BigInt(start), ...dims.map(() => 0n)], count.map(() => 1n), BigInt(ptr));
    const floats = (end - start) * dims.reduce((a, b) => a * Number(b), 1);
    // HEAPU8 after the read: a read that grew the heap replaced its buffer.
    return new Float32Array(module.HEAPU8.buffer, ptr, floats);
  };
  return Object.assign(read, { free: () => module._free(ptr) });
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
