import type { ColumnSource } from 'hyparquet-writer';
import type { SchemaElement } from 'hyparquet';
import { type ColumnData, type Table, columnNames, table } from '../../data';
import { ParquetError } from './errors';

/**
 * Table columns <-> parquet columns. Written: Int32Array -> INT32, Float64Array -> DOUBLE,
 * Float32Array -> FLOAT (all REQUIRED); plain arrays -> STRING, BOOLEAN or DOUBLE by their
 * non-null values (OPTIONAL; nulls kept). Read (also files written by pandas/pyarrow):
 * INT32/INT64 -> Int32Array (Float64Array when a value does not fit, error past 2^53),
 * DOUBLE -> Float64Array, FLOAT -> Float32Array, nullable columns with nulls -> plain arrays,
 * strings -> string[], timestamps/dates -> ISO strings. pandas' `__index_level_N__` columns
 * are dropped (a Table has no index).
 */
export function tableColumnSources(t: Table): ColumnSource[] {
  return columnNames(t).map((name) => {
    const col = t.columns[name]!;
    if (col instanceof Int32Array) return { name, data: col, type: 'INT32', nullable: false };
    if (col instanceof Float64Array) return { name, data: col, type: 'DOUBLE', nullable: false };
    if (col instanceof Float32Array) return { name, data: col, type: 'FLOAT', nullable: false };
    const kinds = new Set(col.filter((v) => v !== null).map((v) => typeof v));
    if (kinds.size > 1) {
      throw new ParquetError(`column '${name}' mixes ${[...kinds].sort().join(' and ')} values; a parquet column holds one type`);
    }
    const kind = [...kinds][0] ?? 'string';
    if (kind === 'string') return { name, data: col, type: 'STRING', nullable: true };
    if (kind === 'boolean') return { name, data: col, type: 'BOOLEAN', nullable: true };
    if (kind === 'number') return { name, data: col, type: 'DOUBLE', nullable: true };
    throw new ParquetError(`column '${name}' holds ${kind} values, which parquet cannot store`);
  });
}

const INDEX_COLUMN = /^__index_level_\d+__$/;

/** Builds the Table from columns read in file order. */
export function tableFromColumns(schema: SchemaElement[], columns: Map<string, ArrayLike<unknown>>, rowCount: number): Table {
  const out: Record<string, ColumnData> = {};
  for (const el of schema) {
    const data = columns.get(el.name);
    if (data === undefined || INDEX_COLUMN.test(el.name)) continue;
    out[el.name] = toColumn(el, data, rowCount);
  }
  return table(out);
}

function toColumn(el: SchemaElement, data: ArrayLike<unknown>, rowCount: number): ColumnData {
  const name = el.name;
  if (el.num_children) throw new ParquetError(`column '${name}' is a nested (group) column, which a Table cannot hold`);
  if (data.length !== rowCount) throw new ParquetError(`column '${name}' has ${data.length} values for ${rowCount} rows`);
  if (data instanceof Int32Array || data instanceof Float64Array || data instanceof Float32Array) return data;
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return int64Column(name, data);
  const values = Array.from(data);
  const hasNull = values.some((v) => v === null || v === undefined);
  if (!hasNull && (el.type === 'INT32' || el.type === 'INT64') && values.every((v) => typeof v === 'number' || typeof v === 'bigint')) {
    return int64Column(name, values as Array<number | bigint>);
  }
  if (!hasNull && (el.type === 'DOUBLE' || el.type === 'FLOAT') && values.every((v) => typeof v === 'number')) {
    return el.type === 'DOUBLE' ? Float64Array.from(values as number[]) : Float32Array.from(values as number[]);
  }
  return values.map((v, i) => plainValue(name, v, i));
}

function plainValue(name: string, v: unknown, row: number): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') {
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new ParquetError(`column '${name}' row ${row} holds the integer ${v}, beyond what a JS number holds exactly (2^53)`);
    }
    return Number(v);
  }
  if (v instanceof Date) return v.toISOString();
  const what = v instanceof Uint8Array ? 'binary data' : Array.isArray(v) ? 'a list' : 'a nested value';
  throw new ParquetError(`column '${name}' row ${row} holds ${what}, which a Table cannot hold`);
}

function int64Column(name: string, data: ArrayLike<number | bigint>): Int32Array | Float64Array {
  const n = data.length;
  const values = new Float64Array(n);
  let fits = true;
  for (let i = 0; i < n; i++) {
    const v = Number(data[i]!);
    if (!Number.isSafeInteger(v)) {
      throw new ParquetError(`column '${name}' row ${i} holds the integer ${data[i]}, beyond what a JS number holds exactly (2^53)`);
    }
    if (v > 0x7fffffff || v < -0x80000000) fits = false;
    values[i] = v;
  }
  return fits ? Int32Array.from(values) : values;
}
