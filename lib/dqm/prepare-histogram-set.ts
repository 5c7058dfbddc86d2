import { isHistogramSet, type HistogramSet, type Normalisation } from '../data';
import { normalise, sourceOf } from './build-histogram-set';
import { EmptyInputError, HistogramError } from './errors';
import { completePermutation, permuteInPlace } from './permute';

export interface PrepareOptions {
  /** Name of the raw dataset, for messages (e.g. `chargeInner_PXLayer_1.raw`). */
  dataset: string;
  minEntries?: number;
  normalisation?: Normalisation;
  onProgress?: (done: number, total: number) => void;
  onWarning?: (message: string) => void;
}

/**
 * data_processing for an ME that is read as a HistogramSet already (DQMIO CSV, the website's CSV
 * export, data_extraction's 1D cache; any dimension): one set, or a PartitionedDataset's
 * `{ id: loader }` of sets (one per run), joined into one buffer sorted by (run, LS); then the
 * low-statistics filter and the normalisation, as for the pixel maps. Parts must share one
 * binning; a (run, LS) in two parts is an error naming both (which is right cannot be guessed).
 */
export async function prepareHistogramSet(raw: unknown, options: PrepareOptions): Promise<HistogramSet> {
  const { parts, sources } = await loadParts(raw, options);
  const first = parts[0]![1];
  const size = first.ny * first.nx;
  for (const [id, h] of parts) {
    if (h.ny !== first.ny || h.nx !== first.nx || h.x.min !== first.x.min || h.x.max !== first.x.max) {
      throw new HistogramError(
        `${options.dataset}[${id}] has ${shape(h)} bins but ${options.dataset}[${parts[0]![0]}] has ${shape(first)}: one set holds one binning`,
        { code: 'SHAPE_MISMATCH' },
      );
    }
  }
  const total = parts.reduce((s, [, h]) => s + h.run.length, 0);
  if (total === 0) throw new EmptyInputError(options.dataset, sources);
  const joined = parts.length === 1 ? first : concat(parts.map(([, h]) => h), total, size);
  const from = partOf(parts);
  const order = Int32Array.from({ length: total }, (_, i) => i).sort((a, b) => joined.run[a]! - joined.run[b]! || joined.lumi[a]! - joined.lumi[b]!);
  const min = options.minEntries ?? 0;
  const keep: number[] = [];
  for (let j = 0; j < total; j++) {
    const i = order[j]!;
    const prev = j > 0 ? order[j - 1]! : -1;
    if (prev >= 0 && joined.run[prev] === joined.run[i] && joined.lumi[prev] === joined.lumi[i]) {
      throw new HistogramError(
        `${options.dataset}: run ${joined.run[i]}, LS ${joined.lumi[i]} is in both ${from(prev)} and ${from(i)}: duplicate lumisection`,
        { code: 'BAD_RAW_DATA' },
      );
    }
    if (joined.entries[i]! >= min) keep.push(i);
  }
  if (!keep.length) throw new EmptyInputError(options.dataset, sources, { rows: total, minEntries: min });
  const low = total - keep.length;
  if (low) options.onWarning?.(`${options.dataset}: dropped ${low} lumisection${low > 1 ? 's' : ''} with fewer than ${min} entries (min_entries)`);
  const how = options.normalisation ?? 'none';
  const identity = keep.length === total && keep.every((i, j) => i === j);
  if (identity && how === 'none') return joined;
  // a copy of the values when the set came in as one (the loader's set may be cached or shared)
  const values = parts.length === 1 ? joined.values.slice() : joined.values;
  permuteInPlace(values, size, completePermutation(keep, total));
  const out: HistogramSet = {
    ...joined,
    run: Int32Array.from(keep, (i) => joined.run[i]!),
    lumi: Int32Array.from(keep, (i) => joined.lumi[i]!),
    entries: Float64Array.from(keep, (i) => joined.entries[i]!),
    values: values.subarray(0, keep.length * size),
    normalisation: how,
  };
  normalise(out, how);
  options.onProgress?.(keep.length, keep.length);
  return out;
}

/** The sets, with each one's source for messages (its file when the loader says, else `dataset[id]`). */
async function loadParts(raw: unknown, options: PrepareOptions): Promise<{ parts: Array<[string, HistogramSet]>; sources: string[] }> {
  if (isHistogramSet(raw)) return { parts: [['', raw]], sources: [options.dataset] };
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new HistogramError(`Dataset '${options.dataset}' must be a HistogramSet (dqm.DQMIOCSVDataset, dqm.WebsiteHistogramsCSVDataset, ...) or a partitioned dataset of them`, { code: 'BAD_RAW_DATA' });
  }
  const ids = Object.keys(raw).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  if (!ids.length) throw new HistogramError(`Partitioned dataset '${options.dataset}' has no partitions`, { code: 'BAD_RAW_DATA' });
  const out: Array<[string, HistogramSet]> = [];
  const sources: string[] = [];
  for (const [k, id] of ids.entries()) {
    const v = (raw as Record<string, unknown>)[id];
    sources.push(sourceOf(v, `${options.dataset}[${id}]`));
    const h = typeof v === 'function' ? await (v as () => unknown)() : v;
    if (!isHistogramSet(h)) throw new HistogramError(`Partition ${options.dataset}[${id}] is not a HistogramSet`, { code: 'BAD_RAW_DATA' });
    out.push([id, h]);
    options.onProgress?.(k + 1, ids.length);
  }
  return { parts: out, sources };
}

function concat(sets: HistogramSet[], total: number, size: number): HistogramSet {
  const values = new Float32Array(total * size);
  const run = new Int32Array(total);
  const lumi = new Int32Array(total);
  const entries = new Float64Array(total);
  let o = 0;
  for (const h of sets) {
    values.set(h.values.subarray(0, h.run.length * size), o * size);
    run.set(h.run, o);
    lumi.set(h.lumi, o);
    entries.set(h.entries, o);
    o += h.run.length;
  }
  return { ...sets[0]!, run, lumi, entries, values };
}

/** Index -> `[partition id]` for messages. */
function partOf(parts: Array<[string, HistogramSet]>): (i: number) => string {
  const ends: number[] = [];
  let o = 0;
  for (const [, h] of parts) ends.push((o += h.run.length));
  return (i) => {
    const p = ends.findIndex((e) => i < e);
    return parts[p]![0] ? `[${parts[p]![0]}]` : 'the same set';
  };
}

function shape(h: HistogramSet): string {
  return `${h.ny === 1 ? h.nx : `${h.ny}×${h.nx}`} on [${h.x.min}, ${h.x.max}]`;
}
