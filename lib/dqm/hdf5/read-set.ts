import * as path from 'node:path';
import { DatasetError } from '../../io';
import type { Axis, HistogramSet, HistogramSetHeader, HistogramSetLs, HistogramSource, Normalisation } from '../../data';
import { BATCH_BYTES, withH5File, type H5Dataset, type H5File } from './h5';
import { DATASETS, lsPerBatch } from './layout';

/** Reads a whole set; the maps come over in batches straight into one Float32Array. */
export function readHistogramSetH5(file: string, shown = file): Promise<HistogramSet> {
  return withH5File(file, 'r', shown, (f) => {
    const { header, values } = readHeader(f, file, shown);
    const n = header.run.length;
    const size = header.ny * header.nx;
    const out = new Float32Array(n * size);
    const batch = lsPerBatch(header.ny, header.nx, BATCH_BYTES);
    for (let i = 0; i < n; i += batch) {
      const end = Math.min(n, i + batch);
      out.set(slice(values, i, end, shown), i * size);
    }
    return { kind: 'histogram-set', ...header, values: out };
  });
}

/** The header alone (the small datasets and the attributes, no map). */
export function readHistogramSetH5Header(file: string, shown = file): Promise<HistogramSetHeader> {
  return withH5File(file, 'r', shown, (f) => readHeader(f, file, shown).header);
}

/** One lumisection: the header's small arrays and one slice of /values (one chunk on disk). */
export function readHistogramSetH5Ls(file: string, ls: number, shown = file): Promise<HistogramSetLs> {
  return withH5File(file, 'r', shown, (f) => {
    const { header, values } = readHeader(f, file, shown);
    const n = header.run.length;
    if (!Number.isInteger(ls) || ls < 0 || ls >= n) {
      throw new DatasetError(`LS index ${ls} is out of range: ${shown} has ${n} lumisections${n ? ` (0..${n - 1})` : ''}`, { code: 'BAD_LS' });
    }
    return { header, ls, map: Float32Array.from(slice(values, ls, ls + 1, shown)) };
  });
}

export function slice(values: H5Dataset, start: number, end: number, shown: string): ArrayLike<number> {
  const part = values.slice([[start, end]]);
  if (!ArrayBuffer.isView(part)) throw new DatasetError(`${shown}: /values is not numeric (dtype ${JSON.stringify(values.dtype)})`, { code: 'CORRUPT_FILE' });
  return part as unknown as ArrayLike<number>;
}

/**
 * The set's header from the small datasets and the attributes. Lenient with files a person
 * wrote in Python: only /values, /run, /lumi are required; a 2-D /values is a 1D set (ny = 1).
 */
export function readHeader(f: H5File, file: string, shown: string): { header: HistogramSetHeader; values: H5Dataset } {
  const bad = (why: string) => new DatasetError(`${shown} is not a histogram set: ${why}`, { code: 'CORRUPT_FILE' });
  const dataset = (name: string, required: boolean): H5Dataset | undefined => {
    const d = f.get(name);
    if (d instanceof Object && (d as { type?: string }).type === 'Dataset') return d as H5Dataset;
    if (required) throw bad(`it has no '${name}' dataset (it holds: ${f.keys().join(', ') || 'nothing'})`);
    return undefined;
  };
  const values = dataset(DATASETS.values, true)!;
  const shape = values.shape ?? [];
  if (shape.length !== 2 && shape.length !== 3) throw bad(`'values' has shape (${shape.join(', ')}), expected (n, ny, nx) or (n, nx)`);
  const n = shape[0]!;
  const ny = shape.length === 3 ? shape[1]! : 1;
  const nx = shape.at(-1)!;
  const column = <T extends Int32Array | Float64Array>(name: string, Type: { from(a: ArrayLike<number>): T; new (n: number): T }, required: boolean): T | undefined => {
    const d = dataset(name, required);
    if (!d) return undefined;
    const v = d.value;
    if (!ArrayBuffer.isView(v) || (d.shape ?? []).length !== 1) throw bad(`'${name}' must be a 1-D numeric array, got dtype ${JSON.stringify(d.dtype)} shape (${(d.shape ?? []).join(', ')})`);
    // int64 columns (numpy's default integer) come as BigInt64Array.
    const numbers = v instanceof BigInt64Array || v instanceof BigUint64Array ? Array.from(v, Number) : (v as unknown as ArrayLike<number>);
    const arr = Type.from(numbers);
    if (arr.length !== n) throw bad(`'${name}' has ${arr.length} values, 'values' has ${n} lumisections`);
    return arr;
  };
  const run = column(DATASETS.run, Int32Array, true)!;
  const lumi = column(DATASETS.lumi, Int32Array, true)!;
  const entries = column(DATASETS.entries, Float64Array, false) ?? new Float64Array(n);
  const rawSumSq = column(DATASETS.rawSumSq, Float64Array, false);
  const attr = attributes(f);
  const title = attr.text('title') ?? attr.text('me') ?? path.basename(file, path.extname(file));
  const me = attr.text('me');
  const source = sourceOf(attr);
  const normalisation = attr.text('normalisation') as Normalisation | undefined;
  const rawBins = attr.number('raw_bins');
  const header: HistogramSetHeader = {
    title,
    ...(me && me !== title ? { name: me } : {}),
    ...(source ? { source } : {}),
    run,
    lumi,
    entries,
    ny,
    nx,
    x: axisOf(attr, 'x', nx),
    y: axisOf(attr, 'y', ny),
    ...(rawSumSq ? { rawSumSq } : {}),
    ...(rawBins ? { rawBins } : {}),
    ...(normalisation ? { normalisation } : {}),
  };
  return { header, values };
}

interface Attributes {
  text(name: string): string | undefined;
  number(name: string): number | undefined;
}

function attributes(f: H5File): Attributes {
  const names = new Set(Object.keys(f.attrs));
  const raw = (name: string) => (names.has(name) ? f.get_attribute(name, false) : undefined);
  return {
    text: (name) => {
      const v = raw(name);
      return typeof v === 'string' ? v : undefined;
    },
    number: (name) => {
      const v = raw(name);
      if (typeof v === 'number') return v;
      if (typeof v === 'bigint') return Number(v);
      return ArrayBuffer.isView(v) && (v as unknown as ArrayLike<number>).length === 1 ? Number((v as unknown as ArrayLike<number>)[0]) : undefined;
    },
  };
}

function axisOf(attr: Attributes, p: 'x' | 'y', bins: number): Axis {
  const unit = attr.text(`${p}_unit`);
  return {
    min: attr.number(`${p}_min`) ?? 0,
    max: attr.number(`${p}_max`) ?? bins,
    label: attr.text(`${p}_title`) ?? '',
    ...(unit !== undefined ? { unit } : {}),
  };
}

function sourceOf(attr: Attributes): HistogramSource | undefined {
  const format = attr.text('source');
  if (!format) return undefined;
  const p = attr.text('source_path');
  const url = attr.text('source_url');
  const metype = attr.number('source_metype');
  return { format: format as HistogramSource['format'], ...(p !== undefined ? { path: p } : {}), ...(url !== undefined ? { url } : {}), ...(metype !== undefined ? { metype } : {}) };
}
