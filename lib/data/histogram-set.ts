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
  /**
   * Optional (added by data_processing): sum of squared bin contents of each lumisection's FULL
   * raw map (under/overflow included, before normalisation). With `entries` (the full sum) and
   * `rawBins` it gives the mean and std over the full map after cropping, as the original computes.
   */
  readonly rawSumSq?: Float64Array;
  /** Optional: number of bins of the full raw map (202 × 302 for the pixel maps). */
  readonly rawBins?: number;
  /** Optional: how `values` were normalised; absent or 'none' means raw counts. */
  readonly normalisation?: Normalisation;
}

/** `entries`: each map divided by its entries (sums to ≤ 1); `max`: divided by its maximum. */
export type Normalisation = 'none' | 'entries' | 'max';

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

/** Fields of a new set besides the per-LS arrays (which `createHistogramSet` allocates). */
export interface HistogramSetShape {
  title: string;
  ny: number;
  nx: number;
  x: Axis;
  y: Axis;
}

/**
 * A zero-filled set of `n` lumisections. `values` may be backed by a larger buffer (`capacity`
 * maps): untouched pages of a big typed array cost no memory, so a reader that does not know the
 * final count up front can over-allocate and take a subarray at the end.
 */
export function createHistogramSet(shape: HistogramSetShape, n: number, extra: Partial<Pick<HistogramSet, 'rawSumSq' | 'rawBins' | 'normalisation'>> = {}): HistogramSet {
  return {
    kind: 'histogram-set',
    ...shape,
    run: new Int32Array(n),
    lumi: new Int32Array(n),
    entries: new Float64Array(n),
    values: new Float32Array(n * shape.ny * shape.nx),
    ...extra,
  };
}
