import { withAtomicPath } from '../../io';
import { meName, type Axis, type HistogramSet } from '../../data';
import { assertConsistentSet } from '../set-consistency';
import { BATCH_BYTES, withH5File, type H5File } from './h5';
import { DATASETS, FORMAT, VERSION, lsPerBatch, lsPerChunk } from './layout';

/**
 * Writes the set as HDF5 (./layout.ts) to a temp file renamed over `file`: a failure leaves the
 * old file. Maps go over in batches (one typed-array copy of the whole set could exceed the wasm heap).
 */
export async function writeHistogramSetH5(file: string, h: HistogramSet, shown = file): Promise<void> {
  assertConsistentSet(h);
  await withAtomicPath(file, (tmp) => withH5File(tmp, 'w', shown, (f) => {
    writeAttributes(f, h);
    f.create_dataset({ name: DATASETS.run, data: h.run });
    f.create_dataset({ name: DATASETS.lumi, data: h.lumi });
    f.create_dataset({ name: DATASETS.entries, data: h.entries });
    if (h.rawSumSq) f.create_dataset({ name: DATASETS.rawSumSq, data: h.rawSumSq });
    writeValues(f, h);
  }));
}

function writeValues(f: H5File, h: HistogramSet): void {
  const n = h.run.length;
  const size = h.ny * h.nx;
  const values = f.create_dataset({
    name: DATASETS.values,
    data: new Float32Array(0),
    shape: [0, h.ny, h.nx],
    maxshape: [null, h.ny, h.nx],
    chunks: [lsPerChunk(h.ny, h.nx), h.ny, h.nx],
  });
  if (!n) return;
  values.resize([n, h.ny, h.nx]);
  const batch = lsPerBatch(h.ny, h.nx, BATCH_BYTES);
  for (let i = 0; i < n; i += batch) {
    const end = Math.min(n, i + batch);
    values.write_slice([[i, end], [], []], h.values.subarray(i * size, end * size));
  }
}

function writeAttributes(f: H5File, h: HistogramSet): void {
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
