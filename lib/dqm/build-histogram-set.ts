import { isTable, type ColumnData, type Table, type HistogramSet, type HistogramSetShape, type Normalisation } from '../data';
import { EmptyInputError, HistogramError } from './errors';
import { pixelMapShape } from './pixel-map';
import { parseMapCropped, RAW_MAP_COLS, RAW_MAP_ROWS, type MapCrop } from './parse-map';
import { completePermutation, permuteInPlace } from './permute';

/** One raw dataset: a Table (one pickle) or a PartitionedDataset's `{ id: loader }` record. */
export type RawMaps = Table | Record<string, unknown>;

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
  const crop = options.crop ?? { rows: RAW_MAP_ROWS, cols: RAW_MAP_COLS, border: 1 };
  const shape = options.shape ?? pixelMapShape('?');
  const size = shape.ny * shape.nx;
  if ((crop.rows - 2 * crop.border) * (crop.cols - 2 * crop.border) !== size) {
    throw new HistogramError(`Cropping ${crop.rows}×${crop.cols} by ${crop.border} does not give the ${shape.ny}×${shape.nx} maps of '${shape.title}'`, { code: 'SHAPE_MISMATCH' });
  }
  const parts = partitionsOf(raw, options.dataset);
  let capacity = 0;
  let values: Float32Array = new Float32Array(0);
  let run: Int32Array = new Int32Array(0);
  let lumi: Int32Array = new Int32Array(0);
  let entries: Float64Array = new Float64Array(0);
  let sumSq: Float64Array = new Float64Array(0);
  let n = 0;
  let estimate = 0;
  // The next partition's file is read (threadpool I/O) while this one is parsed (main thread);
  // its decoding still waits for the parse, so at most one more raw file is held in memory.
  let next = parts.length ? prefetch(parts[0]![1]) : undefined;
  for (let p = 0; p < parts.length; p++) {
    const [id] = parts[p]!;
    const where = parts.length > 1 || id !== '' ? `${options.dataset}[${id}]` : options.dataset;
    const t = await next!;
    next = p + 1 < parts.length ? prefetch(parts[p + 1]![1]) : undefined;
    if (!isTable(t)) throw new HistogramError(`Partition ${where} is not a table (got ${describe(t)}); expected columns run, lumi, map`, { code: 'BAD_RAW_DATA' });
    const cols = mapColumns(t, where);
    const rows = t.rowCount;
    if (n + rows > capacity) {
      // Over-allocate for the partitions still to come: untouched pages cost nothing.
      estimate = Math.max(n + rows, Math.ceil(((n + rows) / (p + 1)) * parts.length));
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
      const runNo = integerAt(cols.run, r, 'run', where);
      const lumiNo = integerAt(cols.lumi, r, 'lumi', where);
      const text: unknown = cols.map[r];
      if (typeof text !== 'string' && !(text instanceof Uint8Array)) {
        throw new HistogramError(`Row ${r} of ${where} (LS ${runNo}:${lumiNo}): the map is ${describe(text)}, expected a list string (or its bytes)`, { code: 'BAD_RAW_DATA' });
      }
      const m = parseMapCropped(text, values, n * size, crop, { run: runNo, lumi: lumiNo, source: where, row: r });
      run[n] = runNo;
      lumi[n] = lumiNo;
      entries[n] = m.sum;
      sumSq[n] = m.sumSq;
      if ((n & 63) === 63) options.onProgress?.(n + 1, Math.max(estimate, n + 1));
    }
    if (p < parts.length - 1) options.onProgress?.(n, Math.max(estimate, n));
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

/** Starts a load now; a failure surfaces when the loop awaits it, not as an unhandled rejection. */
function prefetch(load: () => Promise<unknown>): Promise<unknown> {
  const pending = load();
  pending.catch(() => undefined);
  return pending;
}

/** `[id, load, source]`: source is the partition's file when its loader says (PartitionLoader), for messages. */
function partitionsOf(raw: RawMaps, dataset: string): Array<[string, () => Promise<unknown>, string]> {
  if (isTable(raw)) return [['', async () => raw, dataset]];
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new HistogramError(`Dataset '${dataset}' must be a table (one pickle) or a partitioned dataset, got ${describe(raw)}`, { code: 'BAD_RAW_DATA' });
  }
  const ids = Object.keys(raw).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (!ids.length) throw new HistogramError(`Partitioned dataset '${dataset}' has no partitions`, { code: 'BAD_RAW_DATA' });
  return ids.map((id) => {
    const v = (raw as Record<string, unknown>)[id];
    return [id, async () => (typeof v === 'function' ? await (v as () => unknown)() : v), sourceOf(v, `${dataset}[${id}]`)];
  });
}

/** A partition loader's file (PartitionedDataset sets `filepath` on it), else `fallback`. */
export function sourceOf(loader: unknown, fallback: string): string {
  const f = typeof loader === 'function' ? (loader as { filepath?: unknown }).filepath : undefined;
  return typeof f === 'string' && f !== '' ? f : fallback;
}

function mapColumns(t: Table, where: string): { run: ColumnData; lumi: ColumnData; map: ColumnData } {
  const missing = ['run', 'lumi', 'map'].filter((c) => !(c in t.columns));
  if (missing.length) {
    throw new HistogramError(`${where} lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (has: ${Object.keys(t.columns).join(', ') || 'none'})`, { code: 'BAD_RAW_DATA' });
  }
  return { run: t.columns.run!, lumi: t.columns.lumi!, map: t.columns.map! };
}

function integerAt(col: ColumnData, r: number, name: string, where: string): number {
  const v = col[r];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 2 ** 31 - 1) {
    throw new HistogramError(`Row ${r} of ${where}: ${name} is ${JSON.stringify(v)}, expected a non-negative integer`, { code: 'BAD_RAW_DATA' });
  }
  return v;
}

function grow<T extends Int32Array | Float64Array>(a: T, capacity: number): T {
  const b = new (a.constructor as { new (n: number): T })(capacity);
  b.set(a);
  return b;
}

/** Source indices to keep, in (run, lumi) order: first of each duplicate, entries ≥ minEntries. */
function selectAndSort(run: Int32Array, lumi: Int32Array, entries: Float64Array, options: BuildOptions): number[] {
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
  if (low) options.onWarning?.(`${options.dataset}: dropped ${low} lumisection${low > 1 ? 's' : ''} with fewer than ${min} entries (min_entries)`);
  return keep;
}

/** Divides each map in place by its entries or its maximum (`none`: untouched). */
export function normalise(h: HistogramSet, how: Normalisation): void {
  if (how === 'none') return;
  const size = h.ny * h.nx;
  for (let i = 0; i < h.run.length; i++) {
    const map = h.values.subarray(i * size, (i + 1) * size);
    let scale = how === 'entries' ? h.entries[i]! : 0;
    if (how === 'max') for (let k = 0; k < size; k++) scale = Math.max(scale, map[k]!);
    if (scale > 0) for (let k = 0; k < size; k++) map[k] = map[k]! / scale;
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'object') return (v as { kind?: string }).kind ? `a ${(v as { kind: string }).kind}` : 'an object';
  return typeof v;
}

