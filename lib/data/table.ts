import { DataError } from './errors';

/**
 * One column: numeric columns as typed arrays, others as plain arrays (null = missing). A text
 * cell may be its bytes (a view into the file it was read from) when a reader was asked for
 * that, e.g. the raw maps of the DQM pickles: parsing them from bytes needs no JS strings.
 */
export type ColumnData = Float64Array | Float32Array | Int32Array | Array<number | string | boolean | null | Uint8Array>;

/**
 * The tabular data that flows between nodes (our pandas DataFrame): named columns of equal
 * length, in key order. Plain data, so it can be structured-cloned to worker threads.
 */
export interface Table {
  readonly kind: 'table';
  readonly columns: Readonly<Record<string, ColumnData>>;
  readonly rowCount: number;
}

export function table(columns: Record<string, ColumnData>): Table {
  const names = Object.keys(columns);
  const rowCount = names.length ? columns[names[0]!]!.length : 0;
  for (const n of names) {
    if (columns[n]!.length !== rowCount) {
      throw new DataError(`Table column '${n}' has ${columns[n]!.length} rows, expected ${rowCount} (as column '${names[0]}')`);
    }
  }
  return { kind: 'table', columns, rowCount };
}

export function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'table';
}

export function columnNames(t: Table): string[] {
  return Object.keys(t.columns);
}

/** Rows as objects (for previews and JSON); `limit` rows at most. */
export function tableToRows(t: Table, limit = t.rowCount): Array<Record<string, unknown>> {
  const names = columnNames(t);
  const n = Math.min(limit, t.rowCount);
  const rows: Array<Record<string, unknown>> = new Array(n);
  for (let i = 0; i < n; i++) {
    const row: Record<string, unknown> = {};
    for (const c of names) row[c] = t.columns[c]![i];
    rows[i] = row;
  }
  return rows;
}

/** A table from row objects; columns are the union of keys in first-seen order. */
export function tableFromRows(rows: ReadonlyArray<Record<string, unknown>>): Table {
  const names: string[] = [];
  for (const r of rows) for (const k of Object.keys(r)) if (!names.includes(k)) names.push(k);
  const columns: Record<string, ColumnData> = {};
  for (const c of names) {
    const values = rows.map((r) => r[c]);
    columns[c] = values.every((v) => typeof v === 'number')
      ? Float64Array.from(values as number[])
      : (values.map((v) => (v === undefined ? null : v)) as Array<number | string | boolean | null>);
  }
  return table(columns);
}
