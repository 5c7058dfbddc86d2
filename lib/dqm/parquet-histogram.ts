import type { ColumnSource } from 'hyparquet-writer';
import type { SchemaElement } from 'hyparquet';
import { isHistogramSet, type Axis, type HistogramSet, type HistogramSource } from '../data';
import { ParquetError, type ParquetKind } from '../io';

/** The key-value metadata key of a HistogramSet's title, shape and axes (JSON). */
export const HISTOGRAM_KEY = 'dqm.histogram-set';

/**
 * A HistogramSet as parquet: columns run (INT32), lumi (INT32), entries (DOUBLE) and map
 * (BYTE_ARRAY: each lumisection's ny*nx float32 values, little-endian, row-major), with title,
 * shape and axes in the `dqm.histogram-set` key-value metadata (JSON). One binary blob per LS
 * is by far the fastest layout to write and read (a LIST<FLOAT> column is 10-30x slower).
 */
export interface HistogramSetMeta {
  title: string;
  ny: number;
  nx: number;
  x: Axis;
  y: Axis;
  name?: string;
  source?: HistogramSource;
  map: 'float32-le';
}

export function histogramColumnSources(h: HistogramSet): { columns: ColumnSource[]; meta: HistogramSetMeta } {
  const n = h.run.length;
  const size = h.ny * h.nx;
  if (h.lumi.length !== n || h.entries.length !== n || h.values.length !== n * size) {
    throw new ParquetError(
      `inconsistent HistogramSet '${h.title}': ${n} runs, ${h.lumi.length} lumis, ${h.entries.length} entries and ${h.values.length} values (expected ${n}×${h.ny}×${h.nx})`,
    );
  }
  const bytes = new Uint8Array(h.values.buffer, h.values.byteOffset, h.values.byteLength);
  const maps = Array.from({ length: n }, (_, i) => bytes.subarray(i * size * 4, (i + 1) * size * 4));
  return {
    columns: [
      { name: 'run', data: h.run, type: 'INT32', nullable: false },
      { name: 'lumi', data: h.lumi, type: 'INT32', nullable: false },
      { name: 'entries', data: h.entries, type: 'DOUBLE', nullable: false },
      // PLAIN and no statistics: a dictionary or min/max over 240 KB blobs is wasted work
      { name: 'map', data: maps, type: 'BYTE_ARRAY', nullable: false, encoding: 'PLAIN', statistics: false },
    ],
    meta: { title: h.title, ny: h.ny, nx: h.nx, x: h.x, y: h.y, ...(h.name ? { name: h.name } : {}), ...(h.source ? { source: h.source } : {}), map: 'float32-le' },
  };
}

const REQUIRED: Record<string, string> = { run: 'INT32', lumi: 'INT32', entries: 'DOUBLE', map: 'BYTE_ARRAY' };

export function parseHistogramMeta(json: string | undefined): HistogramSetMeta {
  let meta: Partial<HistogramSetMeta>;
  try {
    meta = JSON.parse(json ?? '') as Partial<HistogramSetMeta>;
  } catch {
    throw new ParquetError(`the 'dqm.histogram-set' metadata is missing or not JSON (it holds title, ny, nx, x, y)`);
  }
  const axisOk = (a: unknown): boolean => typeof a === 'object' && a !== null && typeof (a as Axis).min === 'number' && typeof (a as Axis).max === 'number';
  if (typeof meta.title !== 'string' || !Number.isInteger(meta.ny) || !Number.isInteger(meta.nx) || !axisOk(meta.x) || !axisOk(meta.y)) {
    throw new ParquetError(`the 'dqm.histogram-set' metadata lacks title, ny, nx or the x/y axes: ${json}`);
  }
  if (meta.map !== undefined && meta.map !== 'float32-le') throw new ParquetError(`unsupported map encoding '${meta.map}' (expected float32-le)`);
  return meta as HistogramSetMeta;
}

/** Checks the columns a histogram-set parquet must have, before reading any data. */
export function checkHistogramSchema(schema: SchemaElement[]): void {
  const found = new Map(schema.map((el) => [el.name, el.type]));
  for (const [name, type] of Object.entries(REQUIRED)) {
    if (!found.has(name)) {
      throw new ParquetError(`histogram-set parquet lacks column '${name}' (found: ${[...found.keys()].join(', ') || 'none'})`);
    }
    if (found.get(name) !== type) throw new ParquetError(`histogram-set parquet column '${name}' is ${found.get(name)}, expected ${type}`);
  }
}

export function histogramFromColumns(meta: HistogramSetMeta, columns: Map<string, ArrayLike<unknown>>, rowCount: number): HistogramSet {
  const size = meta.ny * meta.nx;
  const maps = columns.get('map') ?? [];
  const values = new Float32Array(rowCount * size);
  const bytes = new Uint8Array(values.buffer);
  for (let i = 0; i < rowCount; i++) {
    const m = maps[i];
    if (!(m instanceof Uint8Array) || m.byteLength !== size * 4) {
      const got = m instanceof Uint8Array ? `${m.byteLength} bytes` : m === null || m === undefined ? 'nothing' : typeof m;
      throw new ParquetError(`row ${i}: map has ${got}, expected ${size * 4} bytes (${meta.ny}×${meta.nx} float32)`);
    }
    bytes.set(m, i * size * 4);
  }
  return {
    kind: 'histogram-set',
    title: meta.title,
    run: Int32Array.from((columns.get('run') ?? []) as ArrayLike<number>),
    lumi: Int32Array.from((columns.get('lumi') ?? []) as ArrayLike<number>),
    entries: Float64Array.from((columns.get('entries') ?? []) as ArrayLike<number>),
    ny: meta.ny,
    nx: meta.nx,
    x: meta.x,
    y: meta.y,
    values,
    ...(meta.name ? { name: meta.name } : {}),
    ...(meta.source ? { source: meta.source } : {}),
  };
}

/** HistogramSets in parquet files (ParquetDataset), registered with lib/io by lib/dqm. */
export const histogramSetParquet: ParquetKind<HistogramSet> = {
  name: 'histogram-set',
  matches: isHistogramSet,
  defaultCodec: 'GZIP',
  encode(h) {
    const { columns, meta } = histogramColumnSources(h);
    return { columns, kv: [{ key: HISTOGRAM_KEY, value: JSON.stringify(meta) }], sizeHint: h.values.byteLength + h.run.length * 24 };
  },
  async decode(contents, read) {
    const meta = parseHistogramMeta(contents.kv.get(HISTOGRAM_KEY));
    checkHistogramSchema(contents.schema);
    return histogramFromColumns(meta, await read(['run', 'lumi', 'entries', 'map'], { utf8: false }), contents.rowCount);
  },
};
