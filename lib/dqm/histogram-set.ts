/** One histogram axis: bin edges span [min, max] in `nbins` equal bins. */
export interface Axis {
  readonly min: number;
  readonly max: number;
  readonly label: string;
}

/**
 * All lumisections of one monitoring element (e.g. the cluster-position map of one pixel layer)
 * in one contiguous buffer: `values[(i * ny + y) * nx + x]` is bin (y, x) of lumisection i.
 * Rows (y) are phi, columns (x) are z for the pixel barrel maps. Plain data: kernels are loops
 * over `values`, and the buffers move to worker threads without copying.
 */
export interface HistogramSet {
  readonly kind: 'histogram-set';
  /** e.g. `clusterposition_zphi_PXLayer_1`. */
  readonly title: string;
  readonly run: Int32Array;
  readonly lumi: Int32Array;
  /** Total entries of each lumisection's map, under/overflow included. */
  readonly entries: Float64Array;
  readonly ny: number;
  readonly nx: number;
  readonly x: Axis;
  readonly y: Axis;
  readonly values: Float32Array;
}

export function isHistogramSet(value: unknown): value is HistogramSet {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'histogram-set';
}

/** Number of lumisections in the set. */
export function lsCount(h: HistogramSet): number {
  return h.run.length;
}

/** The map of lumisection `i` as a view (no copy). */
export function mapOf(h: HistogramSet, i: number): Float32Array {
  const size = h.ny * h.nx;
  return h.values.subarray(i * size, (i + 1) * size);
}
