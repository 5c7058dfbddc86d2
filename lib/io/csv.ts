import { DatasetError } from './errors';
import { table, type ColumnData, type Table } from './table';

/** One parsed cell: its text, and whether it was quoted (a quoted cell is always a string). */
interface Cell {
  text: string;
  quoted: boolean;
}

export interface CsvOptions {
  /** Field separator (pandas' `sep`), default `,`. */
  sep?: string;
  /** First row holds the column names (default true); if false, columns are named 0, 1, ... */
  header?: boolean;
}

/**
 * RFC 4180 parsing: quoted fields may hold separators, quotes (doubled) and newlines; CRLF or LF.
 * Rows must all have the header's width; the error names the line.
 */
export function parseCsv(text: string, opts: CsvOptions = {}): Table {
  const sep = opts.sep ?? ',';
  const rows = parseRows(text, sep);
  if (rows.length === 0) return table({});
  const header = opts.header === false ? rows[0]!.map((_, i) => String(i)) : rows.shift()!.map((c) => c.text);
  const width = header.length;
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) throw new DatasetError(`CSV header has column '${name}' twice`);
    seen.add(name);
  }
  rows.forEach((row, i) => {
    if (row.length !== width) {
      const line = i + (opts.header === false ? 1 : 2);
      throw new DatasetError(`CSV row ${line} has ${row.length} fields, expected ${width} (as the header)`);
    }
  });
  const columns: Record<string, ColumnData> = {};
  header.forEach((name, c) => {
    columns[name] = typeColumn(rows.map((r) => r[c]!));
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
 * written by us reads back as strings.
 */
function typeColumn(cells: Cell[]): ColumnData {
  if (cells.length === 0) return [];
  const present = cells.filter((c) => c.quoted || c.text !== '');
  if (!cells.some((c) => c.quoted) && present.length > 0) {
    if (present.every((c) => INT.test(c.text) && Math.abs(Number(c.text)) <= 2147483647) && present.length === cells.length) {
      return Int32Array.from(cells, (c) => Number(c.text));
    }
    if (present.every((c) => FLOAT.test(c.text) || c.text in SPECIAL)) {
      return Float64Array.from(cells, (c) => (c.text === '' ? NaN : c.text in SPECIAL ? SPECIAL[c.text]! : Number(c.text)));
    }
    if (present.every((c) => c.text in BOOL)) return cells.map((c) => (c.text === '' ? null : BOOL[c.text]!));
  }
  return cells.map((c) => (c.quoted || c.text !== '' ? c.text : null));
}

function parseRows(text: string, sep: string): Cell[][] {
  const rows: Cell[][] = [];
  let row: Cell[] = [];
  let i = 0;
  const n = text.length;
  if (n === 0) return rows;
  while (i <= n) {
    let cell: Cell;
    if (text[i] === '"') {
      let out = '';
      i++;
      for (;;) {
        if (i >= n) throw new DatasetError('CSV has an unterminated quoted field');
        const ch = text[i]!;
        if (ch === '"') {
          if (text[i + 1] === '"') {
            out += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        out += ch;
        i++;
      }
      cell = { text: out, quoted: true };
    } else {
      let j = i;
      while (j < n && !text.startsWith(sep, j) && text[j] !== '\n' && text[j] !== '\r') j++;
      cell = { text: text.slice(i, j), quoted: false };
      i = j;
    }
    row.push(cell);
    if (i >= n) {
      rows.push(row);
      break;
    }
    if (text.startsWith(sep, i)) {
      i += sep.length;
      continue;
    }
    if (text[i] === '\r' && text[i + 1] === '\n') i += 2;
    else if (text[i] === '\n' || text[i] === '\r') i++;
    else throw new DatasetError(`CSV has unexpected text after a quoted field at character ${i + 1}`);
    rows.push(row);
    row = [];
    if (i >= n) break;
  }
  return rows;
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
    return quoteIfNeeded(v, sep, true);
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
