import { meName, type Axis, type HistogramSetHeader } from '../../data';
import { DatasetError } from '../../io';
import { BATCH_BYTES, hdf5Reason, openH5File, withH5File, type H5File } from './h5';
import { DATASETS, FORMAT, VERSION, lsPerBatch, lsPerChunk } from './layout';

/**
 * The maps of LS `start` to `end` (exclusive) in file order, `(end - start) · ny · nx` floats, at
 * most `batchLs` LS at a time. The in-memory writer hands a view of its buffer; the streaming
 * one reads them back from its scratch file into one reused batch buffer.
 */
export type FillMaps = (start: number, end: number) => Float32Array;

/** LS per write_slice call for a set in memory (64 MiB of maps: few calls, views of its buffer). */
export function writeBatchLs(h: Pick<HistogramSetHeader, 'ny' | 'nx'>): number {
  return lsPerBatch(h.ny, h.nx, BATCH_BYTES);
}

/**
 * LS per call when the maps are read back from scratch (4 MiB): each call copies its batch into
 * the wasm heap, which never shrinks, so small batches keep both the JS buffer and the heap small.
 * HDF5 allocates and indexes the chunks in the same order whatever the batch: the same bytes.
 */
export function streamBatchLs(h: Pick<HistogramSetHeader, 'ny' | 'nx'>): number {
  return lsPerBatch(h.ny, h.nx, 4 << 20);
}

/**
 * Writes a set as HDF5 (./layout.ts) to `file` (the caller makes it atomic): attributes, the small
 * per-LS datasets, then the chunked /values, batch after batch, each batch asked of `fill`. The
 * one writer of both paths (whole set in memory, streamed from scratch), so the bytes are the same.
 */
export function writeHistogramSetH5Streamed(file: string, h: HistogramSetHeader, fill: FillMaps, shown = file, batchLs = writeBatchLs(h)): Promise<void> {
  return withH5File(file, 'w', shown, (f) => {
    writeAttributes(f, h);
    writeSmallDatasets(f, h);
    writeValues(f, h, fill, batchLs);
  });
}

function createValues(f: H5File, h: Pick<HistogramSetHeader, 'ny' | 'nx'>) {
  return f.create_dataset({
    name: DATASETS.values,
    data: new Float32Array(0),
    shape: [0, h.ny, h.nx],
    maxshape: [null, h.ny, h.nx],
    chunks: [lsPerChunk(h.ny, h.nx), h.ny, h.nx],
  });
}

/** An HDF5 set being written as its maps come, in file order: `append` them, then `finish` with the header of what was appended. */
export interface AppendingSetWriter {
  append(maps: Float32Array): void;
  /** Writes the attributes and the per-LS datasets (the header's LS are those appended) and closes the file. */
  finish(h: HistogramSetHeader): void;
  /** Closes the file without finishing it (the caller removes it). Safe after finish. */
  close(): void;
}

/**
 * For input already in (run, lumi) order (what the simulator, DQMIO and the website write): the
 * maps go to /values as they are parsed, no scratch file and no second pass over them. The same
 * layout as writeHistogramSetH5Streamed (./layout.ts, same chunks), objects in another order.
 */
export async function openAppendingSet(file: string, shape: Pick<HistogramSetHeader, 'ny' | 'nx'>, shown = file): Promise<AppendingSetWriter> {
  const f = await openH5File(file, 'w', shown);
  let open = true;
  const size = shape.ny * shape.nx;
  let n = 0;
  const close = () => {
    if (open) f.close();
    open = false;
  };
  try {
    const values = createValues(f, shape);
    // As withH5File says it: an HDF5 failure names the file and HDF5's own reason.
    const writing = (what: () => void) => {
      try {
        what();
      } catch (error) {
        throw new DatasetError(`${shown}: HDF5 write failed: ${hdf5Reason(error)}`, { cause: error });
      }
    };
    return {
      append(maps) {
        const k = maps.length / size;
        if (!k) return;
        writing(() => {
          values.resize([n + k, shape.ny, shape.nx]);
          values.write_slice([[n, n + k], [], []], maps);
        });
        n += k;
      },
      finish(h) {
        if (h.run.length !== n) throw new Error(`internal: a header of ${h.run.length} LS for ${n} maps written`);
        writing(() => {
          writeAttributes(f, h);
          writeSmallDatasets(f, h);
        });
        close();
      },
      close,
    };
  } catch (error) {
    f.close();
    throw error;
  }
}

function writeSmallDatasets(f: H5File, h: HistogramSetHeader): void {
  f.create_dataset({ name: DATASETS.run, data: h.run });
  f.create_dataset({ name: DATASETS.lumi, data: h.lumi });
  f.create_dataset({ name: DATASETS.entries, data: h.entries });
  if (h.rawSumSq) f.create_dataset({ name: DATASETS.rawSumSq, data: h.rawSumSq });
}

function writeValues(f: H5File, h: HistogramSetHeader, fill: FillMaps, batch: number): void {
  const n = h.run.length;
  const size = h.ny * h.nx;
  const values = createValues(f, h);
  if (!n) return;
  values.resize([n, h.ny, h.nx]);
  for (let i = 0; i < n; i += batch) {
    const end = Math.min(n, i + batch);
    const maps = fill(i, end);
    if (maps.length !== (end - i) * size) throw new Error(`internal: ${maps.length} values for LS ${i}..${end} of ${size} bins`);
    values.write_slice([[i, end], [], []], maps);
  }
}

function writeAttributes(f: H5File, h: HistogramSetHeader): void {
  const text = (name: string, value: string | undefined) => {
    if (value !== undefined) f.create_attribute(name, value);
  };
  const float = (name: string, value: number) => f.create_attribute(name, value, null, '<d');
  const int = (name: string, value: number) => f.create_attribute(name, value, null, '<i');
  text('format', FORMAT);
  int('version', VERSION);
  text('title', h.title);
  text('me', meName(h));
  text('source', h.source?.format);
  text('source_path', h.source?.path);
  text('source_url', h.source?.url);
  if (h.source?.metype !== undefined) int('source_metype', h.source.metype);
  const axis = (prefix: 'x' | 'y', a: Axis, bins: number) => {
    text(`${prefix}_title`, a.label);
    float(`${prefix}_min`, a.min);
    float(`${prefix}_max`, a.max);
    int(`${prefix}_bins`, bins);
    text(`${prefix}_unit`, a.unit);
  };
  axis('x', h.x, h.nx);
  axis('y', h.y, h.ny);
  text('normalisation', h.normalisation);
  if (h.rawBins) int('raw_bins', h.rawBins);
}
