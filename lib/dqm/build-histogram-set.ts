import type { HistogramSet, HistogramSetShape, Normalisation } from '../data';
import { EmptyInputError, HistogramError } from './errors';
import { pixelMapShape } from './pixel-map';
import { parseMapCropped, RAW_MAP_COLS, RAW_MAP_ROWS, type MapCrop } from './parse-map';
import { completePermutation, permuteInPlace } from './permute';
import { partitionsOf, rawPartitions, type RawMaps } from './raw-partitions';

export type { RawMaps } from './raw-partitions';
export { sourceOf } from './raw-partitions';

export interface BuildOptions {
  /** Name of the raw dataset, for messages (e.g. `raw_pixel_layer_1`). */
  dataset: string;
  shape?: HistogramSetShape;
  /** Full raw map and border to crop; defaults to 202×302 with a 1-bin border. */
  crop?: MapCrop;
  /** Drop lumisections with fewer entries (full-map sum); 0 keeps all. */
  minEntries?: number;
  normalisation?: Normalisation;
  onProgress?: (done: number, total: number) => void;
  onWarning?: (message: string) => void;
}

/**
 * Raw per-LS map tables (columns run, lumi, map) to one HistogramSet: each map parsed ONCE,
 * cropped on the fly straight into its place in the set's buffer; then sorted by (run, lumi)
 * in place, duplicates dropped (first kept, with a warning), the low-statistics filter and the
 * normalisation applied. Partitions are loaded and parsed one at a time, so a run split over
 * many files never holds more than one file's text in memory.
 */
export async function buildHistogramSet(raw: RawMaps, options: BuildOptions): Promise<HistogramSet> {
  const { crop, shape, size } = cropOf(options);
  const parts = partitionsOf(raw, options.dataset);
  let capacity = 0;
  let values: Float32Array = new Float32Array(0);
  let run: Int32Array = new Int32Array(0);
  let lumi: Int32Array = new Int32Array(0);
  let entries: Float64Array = new Float64Array(0);
  let sumSq: Float64Array = new Float64Array(0);
  let n = 0;
  let estimate = 0;
  for await (const part of rawPartitions(parts, options.dataset)) {
    const { rows, where } = part;
    if (n + rows > capacity) {
      // Over-allocate for the partitions still to come: untouched pages cost nothing.
      estimate = Math.max(n + rows, Math.ceil(((n + rows) / (part.index + 1)) * part.count));
      capacity = Math.max(estimate, Math.ceil(capacity * 1.5));
      const grown = new Float32Array(capacity * size);
      grown.set(values.subarray(0, n * size));
      values = grown;
      run = grow(run, capacity);
      lumi = grow(lumi, capacity);
      entries = grow(entries, capacity);
      sumSq = grow(sumSq, capacity);
    }
    for (let r = 0; r < rows; r++, n++) {
      const runNo = part.run(r);
      const lumiNo = part.lumi(r);
      const m = parseMapCropped(part.map(r), values, n * size, crop, { run: runNo, lumi: lumiNo, source: where, row: r });
      run[n] = runNo;
      lumi[n] = lumiNo;
      entries[n] = m.sum;
      sumSq[n] = m.sumSq;
      if ((n & 63) === 63) options.onProgress?.(n + 1, Math.max(estimate, n + 1));
    }
    if (part.index < part.count - 1) options.onProgress?.(n, Math.max(estimate, n));
  }
  options.onProgress?.(n, n);
  if (n === 0) throw new EmptyInputError(options.dataset, parts.map(([, , source]) => source));
  const keep = selectAndSort(run.subarray(0, n), lumi.subarray(0, n), entries.subarray(0, n), options);
  if (!keep.length) throw new EmptyInputError(options.dataset, parts.map(([, , source]) => source), { rows: n, minEntries: options.minEntries ?? 0 });
  permuteInPlace(values, size, completePermutation(keep, n));
  const m = keep.length;
  const set: HistogramSet = {
    kind: 'histogram-set',
    ...shape,
    run: Int32Array.from(keep, (i) => run[i]!),
    lumi: Int32Array.from(keep, (i) => lumi[i]!),
    entries: Float64Array.from(keep, (i) => entries[i]!),
    rawSumSq: Float64Array.from(keep, (i) => sumSq[i]!),
    rawBins: crop.rows * crop.cols,
    values: values.subarray(0, m * size),
    normalisation: options.normalisation ?? 'none',
    source: { format: 'pickle' },
  };
  normalise(set, options.normalisation ?? 'none');
  return set;
}

/** The crop and the set's shape, checked against each other. */
export function cropOf(options: BuildOptions): { crop: MapCrop; shape: HistogramSetShape; size: number } {
  const crop = options.crop ?? { rows: RAW_MAP_ROWS, cols: RAW_MAP_COLS, border: 1 };
  const shape = options.shape ?? pixelMapShape('?');
  const size = shape.ny * shape.nx;
  if ((crop.rows - 2 * crop.border) * (crop.cols - 2 * crop.border) !== size) {
    throw new HistogramError(`Cropping ${crop.rows}×${crop.cols} by ${crop.border} does not give the ${shape.ny}×${shape.nx} maps of '${shape.title}'`, { code: 'SHAPE_MISMATCH' });
  }
  return { crop, shape, size };
}

function grow<T extends Int32Array | Float64Array>(a: T, capacity: number): T {
  const b = new (a.constructor as { new (n: number): T })(capacity);
  b.set(a);
  return b;
}

/** Source indices to keep, in (run, lumi) order: first of each duplicate, entries ≥ minEntries. */
export function selectAndSort(run: Int32Array, lumi: Int32Array, entries: Float64Array, options: BuildOptions): number[] {
  const order = Array.from({ length: run.length }, (_, i) => i);
  order.sort((a, b) => run[a]! - run[b]! || lumi[a]! - lumi[b]! || a - b);
  const keep: number[] = [];
  const dups: string[] = [];
  let low = 0;
  const min = options.minEntries ?? 0;
  for (let j = 0; j < order.length; j++) {
    const i = order[j]!;
    if (j > 0 && run[order[j - 1]!] === run[i] && lumi[order[j - 1]!] === lumi[i]) {
      if (dups[dups.length - 1] !== `${run[i]}:${lumi[i]}`) dups.push(`${run[i]}:${lumi[i]}`);
      continue;
    }
    if (entries[i]! < min) {
      low++;
      continue;
    }
    keep.push(i);
  }
  if (dups.length) {
    const shown = dups.slice(0, 5).join(', ') + (dups.length > 5 ? `, ... (${dups.length} in all)` : '');
    options.onWarning?.(`${options.dataset}: dropped duplicate lumisections (kept the first of each): ${shown}`);
  }
  warnLowStatistics(options, low);
  return keep;
}

/** The warning for `low` lumisections dropped by the min_entries filter (none: no warning). */
export function warnLowStatistics(options: Pick<BuildOptions, 'dataset' | 'minEntries' | 'onWarning'>, low: number): void {
  if (low) options.onWarning?.(`${options.dataset}: dropped ${low} lumisection${low > 1 ? 's' : ''} with fewer than ${options.minEntries ?? 0} entries (min_entries)`);
}

/** Divides each map in place by its entries or its maximum (`none`: untouched). */
export function normalise(h: HistogramSet, how: Normalisation): void {
  if (how === 'none') return;
  const size = h.ny * h.nx;
  for (let i = 0; i < h.run.length; i++) normaliseMap(h.values.subarray(i * size, (i + 1) * size), h.entries[i]!, how);
}

/** One map divided in place by its entries or its maximum. */
export function normaliseMap(map: Float32Array, entries: number, how: Normalisation): void {
  if (how === 'none') return;
  const size = map.length;
  let scale = how === 'entries' ? entries : 0;
  if (how === 'max') for (let k = 0; k < size; k++) scale = Math.max(scale, map[k]!);
  if (scale > 0) for (let k = 0; k < size; k++) map[k] = map[k]! / scale;
}


