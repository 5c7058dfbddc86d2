import { DatasetError } from './errors';
import { table, type ColumnData, type Table } from '../data';

export interface CsvOptions {
  /** Field separator (pandas' `sep`), default `,`. */
  sep?: string;
  /** First row holds the column names (default true); if false, columns are named 0, 1, ... */
  header?: boolean;
}

/**
 * RFC 4180 parsing as pandas' `read_csv` and csv-parse (`bom`, `skip_empty_lines`,
 * `relax_quotes`) read it: quoted fields may hold separators, quotes (doubled) and newlines; CRLF,
 * LF or CR; a UTF-8 BOM is dropped; blank lines (trailing ones too) are skipped; a quote inside an
 * unquoted field is literal. tests/fuzz/csv.fuzz.test.ts checks it against csv-parse and Python's
 * csv module. Hand-written (not csv-parse at run time) to type columns as pandas does in one pass.
 * Rows must all have the header's width; the error names the line.
 */
export function parseCsv(text: string, opts: CsvOptions = {}): Table {
  const sep = opts.sep ?? ',';
  const hasHeader = opts.header !== false;
  const { rows, quotedCols, starts } = parseCsvRows(text, sep, hasHeader);
  if (rows.length === 0) return table({});
  const header = hasHeader ? rows.shift()!.map((c) => c ?? '') : rows[0]!.map((_, i) => String(i));
  if (hasHeader) starts.shift();
  const width = header.length;
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new DatasetError(`CSV header has column '${name}' twice`);
    seen.add(name);
  }
  rows.forEach((row, i) => {
    if (row.length !== width) {
      throw new DatasetError(`CSV line ${lineAt(text, starts[i]!)} has ${row.length} field${row.length > 1 ? 's' : ''}, expected ${width} (as the header)`);
    }
  });
  const columns: Record<string, ColumnData> = {};
  header.forEach((name, c) => {
    columns[name] = typeColumn(rows.map((r) => r[c]!), quotedCols.has(c));
  });
  return table(columns);
}

const INT = /^[-+]?\d+$/;
const FLOAT = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const SPECIAL: Record<string, number> = { nan: NaN, NaN: NaN, inf: Infinity, '-inf': -Infinity, Infinity: Infinity, '-Infinity': -Infinity };
const BOOL: Record<string, boolean> = { True: true, False: false, true: true, false: false };

/**
 * A column's type from its cells, as pandas infers it: all integers fitting int32 -> Int32Array;
 * all numbers (empty = missing = NaN) -> Float64Array; all True/False -> booleans; else strings
 * (empty unquoted = null). A quoted cell forces strings, so a string column like ["1", "2"]
 * written by us reads back as strings. Cells arrive as text, or null for an empty unquoted field.
 */
function typeColumn(cells: Array<string | null>, anyQuoted: boolean): ColumnData {
  if (cells.length === 0) return [];
  if (!anyQuoted) {
    let ints = true;
    let nums = true;
    let bools = true;
    let present = 0;
    for (const c of cells) {
      if (c === null) {
        ints = false;
        continue;
      }
      present++;
      if (ints && !(INT.test(c) && Math.abs(Number(c)) <= 2147483647)) ints = false;
      if (nums && !(FLOAT.test(c) || c in SPECIAL)) nums = false;
      if (bools && !(c in BOOL)) bools = false;
      if (!ints && !nums && !bools) break;
    }
    if (present > 0) {
      if (ints) return Int32Array.from(cells, (c) => Number(c));
      if (nums) return Float64Array.from(cells, (c) => (c === null ? NaN : c in SPECIAL ? SPECIAL[c]! : Number(c)));
      if (bools) return cells.map((c) => (c === null ? null : BOOL[c]!));
    }
  }
  return cells;
}

/** 1-based line of character `at` (CRLF, LF or CR line ends), for messages. */
function lineAt(text: string, at: number): number {
  let line = 1;
  for (let i = 0; i < at; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 10 || (ch === 13 && text.charCodeAt(i + 1) !== 10)) line++;
  }
  return line;
}

/**
 * Rows of cells (null = empty unquoted field), the columns that had a quoted cell (below the
 * header row when `header`) and each row's first character (for line numbers in messages).
 * Unquoted fields are sliced between separators (the common case, kept fast).
 */
export function parseCsvRows(text: string, sep = ',', header = true): { rows: Array<Array<string | null>>; quotedCols: Set<number>; starts: number[] } {
  const rows: Array<Array<string | null>> = [];
  const quotedCols = new Set<number>();
  const starts: number[] = [];
  const n = text.length;
  const sepCode = sep.length === 1 ? sep.charCodeAt(0) : -1;
  const isSep = (i: number) => (sepCode >= 0 ? text.charCodeAt(i) === sepCode : text.startsWith(sep, i));
  let row: Array<string | null> = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // UTF-8 BOM (Excel's "CSV UTF-8")
  for (;;) {
    if (row.length === 0) {
      // blank lines are no rows (pandas' skip_blank_lines), wherever they are
      while (i < n && (text.charCodeAt(i) === 10 || text.charCodeAt(i) === 13)) i++;
      if (i >= n) break;
      starts.push(i);
    }
    if (text.charCodeAt(i) === 34 /* " */) {
      let out = '';
      let from = ++i;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) throw new DatasetError(`CSV line ${lineAt(text, from - 1)} opens a quoted field that is never closed`);
        if (text.charCodeAt(q + 1) === 34) {
          out += text.slice(from, q + 1);
          i = from = q + 2;
          continue;
        }
        out += text.slice(from, q);
        i = q + 1;
        break;
      }
      if (!header || rows.length > 0) quotedCols.add(row.length);
      row.push(out);
    } else {
      let j = i;
      while (j < n) {
        const ch = text.charCodeAt(j);
        if (ch === 10 || ch === 13 || isSep(j)) break;
        j++;
      }
      row.push(j === i ? null : text.slice(i, j));
      i = j;
    }
    if (i >= n) {
      rows.push(row);
      break;
    }
    if (isSep(i)) {
      i += sep.length;
      continue;
    }
    const ch = text.charCodeAt(i);
    if (ch === 13 && text.charCodeAt(i + 1) === 10) i += 2;
    else if (ch === 10 || ch === 13) i++;
    else throw new DatasetError(`CSV line ${lineAt(text, i)} has text after a closing quote (a quote inside a quoted field is written as two)`);
    rows.push(row);
    row = [];
  }
  return { rows, quotedCols, starts };
}

/**
 * A Table as CSV text (header + rows, LF line ends). Numbers are written with `String(x)`, the
 * shortest text that reads back to the same double; integral values of float columns get `.0`
 * (as pandas writes them) so they read back as floats. NaN is an empty field; null too.
 * Strings are quoted when they hold the separator, a quote or a line break, or would otherwise
 * read back as a number, boolean or missing value.
 */
export function formatCsv(t: Table, opts: CsvOptions = {}): string {
  const sep = opts.sep ?? ',';
  const names = Object.keys(t.columns);
  const lines: string[] = [];
  if (opts.header !== false) lines.push(names.map((nm) => quoteIfNeeded(nm, sep, false)).join(sep));
  const writers = names.map((nm) => cellWriter(t.columns[nm]!, sep));
  for (let r = 0; r < t.rowCount; r++) lines.push(writers.map((w) => w(r)).join(sep));
  return lines.length ? `${lines.join('\n')}\n` : '';
}

function cellWriter(col: ColumnData, sep: string): (r: number) => string {
  if (col instanceof Int32Array) return (r) => String(col[r]);
  if (col instanceof Float64Array || col instanceof Float32Array) return (r) => formatFloat(col[r]!);
  return (r) => {
    const v = col[r];
    if (v === null || v === undefined) return '';
    if (typeof v === 'number') return formatFloat(v);
    if (typeof v === 'boolean') return v ? 'True' : 'False';
    return quoteIfNeeded(typeof v === 'string' ? v : Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8'), sep, true);
  };
}

function formatFloat(x: number): string {
  if (Number.isNaN(x)) return '';
  if (x === Infinity) return 'inf';
  if (x === -Infinity) return '-inf';
  const s = String(x);
  return Number.isInteger(x) && !s.includes('e') ? `${s}.0` : s;
}

function quoteIfNeeded(s: string, sep: string, guardType: boolean): string {
  const ambiguous = guardType && (s === '' || FLOAT.test(s) || s in SPECIAL || s in BOOL);
  if (ambiguous || s.includes(sep) || s.includes('"') || s.includes('\n') || s.includes('\r')) {
    return `"${s.replace(/"/g, '""')}"`;
  }
  return s;
}
