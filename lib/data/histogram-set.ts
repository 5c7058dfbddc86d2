/**
 * One histogram axis: equal bins spanning [min, max]; the bin count is the set's `nx` (x) or `ny`
 * (y), so it cannot disagree with the buffer. `label` is the axis title ("Charge"), `unit` its
 * unit when known ("e", "cm"); a 1D set's y axis counts entries per bin.
 */
export interface Axis {
  readonly min: number;
  readonly max: number;
  readonly label: string;
  readonly unit?: string;
}

/**
 * Where a set's lumisections came from (plain data: it travels with the set into files, worker
 * threads and the dashboard). `format` names the reader; `path` the file, `url` the website.
 */
export interface HistogramSource {
  readonly format: 'pickle' | 'dqmio-csv' | 'website-csv' | 'website' | 'dials' | 'simulation';
  readonly path?: string;
  readonly url?: string;
  /** DQMIO's ROOT type code (3-5 TH1, 6-8 TH2), when the source says. */
  readonly metype?: number;
}

/**
 * All lumisections of one monitoring element (ME) in one contiguous buffer:
 * `values[(i * ny + y) * nx + x]` is bin (y, x) of lumisection i, under/overflow cropped. A 1D ME
 * (cluster charge, ADC, ...) has ny = 1: one row per LS. Rows (y) are phi, columns (x) are z for
 * the pixel barrel maps. Plain data: kernels are loops over `values`, and the buffers move to
 * worker threads without copying.
 */
export interface HistogramSet {
  readonly kind: 'histogram-set';
  /** What a person reads, e.g. `clusterposition_zphi_PXLayer_1` (the ME name when there is no other). */
  readonly title: string;
  /** The ME name as its source spells it (DQMIO `hname`, the website's `title`, DIALS `me`), if not the title. */
  readonly name?: string;
  readonly source?: HistogramSource;
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

/** Everything of a stored set but its maps: what a one-LS preview needs besides the map it shows. */
export type HistogramSetHeader = Omit<HistogramSet, 'kind' | 'values'>;

/** One lumisection's map read alone from a stored set, with the set's header. */
export interface HistogramSetLs {
  readonly header: HistogramSetHeader;
  readonly ls: number;
  /** ny × nx, row-major. */
  readonly map: Float32Array;
}

/** A dataset that reads one lumisection without loading the set (HDF5 chunked per LS). */
export interface LsReadable {
  /** The header alone: run/lumi/entries, shape, axes (a few kB even for thousands of LS). */
  loadHeader(): Promise<HistogramSetHeader>;
  loadLs(ls: number): Promise<HistogramSetLs>;
}

export function isLsReadable(value: unknown): value is LsReadable {
  return typeof value === 'object' && value !== null && typeof (value as { loadLs?: unknown }).loadLs === 'function' && typeof (value as { loadHeader?: unknown }).loadHeader === 'function';
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

/** A 1D set: one row of bins per lumisection (kernels pick the 1D ones: mean, RMS, quantiles, ...). */
export function isOneDimensional(h: Pick<HistogramSet, 'ny'>): boolean {
  return h.ny === 1;
}

/** The ME's name: `name` if the source gave one, else the title. */
export function meName(h: Pick<HistogramSet, 'name' | 'title'>): string {
  return h.name ?? h.title;
}

/** Fields of a new set besides the per-LS arrays (which `createHistogramSet` allocates). */
export interface HistogramSetShape {
  title: string;
  ny: number;
  nx: number;
  x: Axis;
  y: Axis;
  name?: string;
  source?: HistogramSource;
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
