/**
 * Why HDF5 (h5wasm) and not Arrow IPC / Feather: physicists open it with h5py, which Debian ships
 * (so CI checks our files with it; Debian has no pyarrow), and chunked datasets give the
 * one-LS partial read natively (`f["values"][i]` in Python, loadLs here).
 *
 * The HDF5 layout of a HistogramSet, the contract with Python users (h5py, pandas, uproot users):
 *   /values   float32 (n, ny, nx), chunked so one LS is one chunk (small 1D maps: several LS a chunk)
 *   /run, /lumi  int32 (n)    /entries  float64 (n)    /raw_sum_sq  float64 (n), when present
 * Root attributes: format, version, title, me (the ME name), source (+ source_path, source_url,
 * source_metype), x_title, x_min, x_max, x_bins, x_unit (same for y), normalisation, raw_bins.
 */
export const FORMAT = 'dqm-histogram-set';
export const VERSION = 1;
export const DATASETS = { values: 'values', run: 'run', lumi: 'lumi', entries: 'entries', rawSumSq: 'raw_sum_sq' } as const;

/** Chunks hold whole lumisections and at least ~64 KiB (a 1D map of 100 bins is 400 bytes). */
export const MIN_CHUNK_BYTES = 64 << 10;

export function lsPerChunk(ny: number, nx: number): number {
  const lsBytes = Math.max(1, ny * nx * 4);
  return Math.max(1, Math.floor(MIN_CHUNK_BYTES / lsBytes));
}

/** Lumisections moved between JS and the wasm heap per call. */
export function lsPerBatch(ny: number, nx: number, batchBytes: number): number {
  return Math.max(1, Math.floor(batchBytes / Math.max(1, ny * nx * 4)));
}
