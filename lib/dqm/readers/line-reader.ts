import * as fs from 'node:fs';
import { HistogramFileError } from './errors';

/**
 * The lines of a (possibly GBs large) text file, read in fixed chunks: memory is one chunk plus the
 * longest line, whatever the file size. `onLine` gets the chunk buffer and the line's byte range
 * (newline and CR excluded) and must not keep references into the buffer. Empty lines are skipped.
 * Hand-written rather than readline/csv-parse: those build a string per line and per field, and
 * the DQMIO exports are GBs of number lists we parse straight from the bytes.
 */
export function forEachLine(
  file: string,
  shown: string,
  onLine: (b: Uint8Array, start: number, end: number, line: number) => void,
  opts: { chunkBytes?: number; onProgress?: (bytes: number, total: number) => void } = {},
): { bytes: number; lines: number } {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new HistogramFileError({ file: shown }, code === 'ENOENT' ? 'no such file' : `cannot be opened (${code ?? String(error)})`, { cause: error });
  }
  try {
    const total = fs.fstatSync(fd).size;
    // a small file needs no 8 MB chunk (allocating one costs more than reading an 850 KB export)
    let buf = Buffer.allocUnsafe(opts.chunkBytes ?? Math.min(8 << 20, Math.max(64 << 10, total + 1)));
    // parsers run on a plain Uint8Array view: V8's element loads on it beat Buffer's
    let u8 = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
    let filled = 0;
    let pos = 0;
    let eof = false;
    let bytes = 0;
    let line = 0;
    for (;;) {
      let nl = buf.indexOf(10, pos);
      if (nl < 0 || nl >= filled) {
        if (eof) {
          if (pos >= filled) break;
          nl = filled; // last line without a newline
        } else {
          // move the partial line to the front, grow if one line fills the buffer, read more
          if (pos > 0) {
            buf.copy(buf, 0, pos, filled);
            filled -= pos;
            pos = 0;
          }
          if (filled === buf.length) {
            const bigger = Buffer.allocUnsafe(buf.length * 2);
            buf.copy(bigger, 0, 0, filled);
            buf = bigger;
            u8 = new Uint8Array(buf.buffer, buf.byteOffset, buf.length);
          }
          const got = fs.readSync(fd, buf, filled, buf.length - filled, null);
          if (got === 0) eof = true;
          filled += got;
          bytes += got;
          opts.onProgress?.(bytes, total);
          continue;
        }
      }
      line++;
      let end = nl;
      if (end > pos && buf[end - 1] === 13) end--; // CRLF
      if (line === 1 && end - pos >= 3 && buf[pos] === 0xef && buf[pos + 1] === 0xbb && buf[pos + 2] === 0xbf) pos += 3; // BOM
      if (end > pos) onLine(u8, pos, end, line);
      pos = nl + 1;
    }
    return { bytes, lines: line };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Buffer's indexOf is memchr (~20 GB/s), Uint8Array's a generic element loop (~3 GB/s): the
 * quoted lists are most of a line, so they are found with Buffer's, called on the plain view.
 */
const memchr = Buffer.prototype.indexOf as (this: Uint8Array, value: number, byteOffset: number) => number;

/**
 * Field boundaries of one CSV line into `starts`/`ends` (quotes stripped), returns the field count.
 * A quoted field ends at the next quote: the exports' quoted fields are number lists, which hold no
 * quotes (a doubled quote inside is not supported, and reported as an unexpected character).
 */
export function splitFields(b: Uint8Array, start: number, end: number, starts: Int32Array, ends: Int32Array, shown: string, line: number): number {
  let k = 0;
  let p = start;
  for (;;) {
    if (k >= starts.length) throw new HistogramFileError({ file: shown, line }, `more than ${starts.length} fields`);
    if (b[p] === 34) {
      const q = memchr.call(b, 34, p + 1);
      if (q < 0 || q >= end) throw new HistogramFileError({ file: shown, line }, `unterminated quoted field ${k + 1}`);
      starts[k] = p + 1;
      ends[k] = q;
      k++;
      p = q + 1;
      if (p >= end) return k;
      if (b[p] !== 44) throw new HistogramFileError({ file: shown, line }, `expected ',' after quoted field ${k}, found '${String.fromCharCode(b[p]!)}'`);
      p++;
    } else {
      // short fields (run, LS, name, bin counts): a byte loop beats any indexOf call's overhead
      let c = p;
      const stop = Math.min(end, p + 64);
      while (c < stop && b[c] !== 44) c++;
      if (c === stop && c < end) {
        c = memchr.call(b, 44, c);
        if (c < 0 || c > end) c = end;
      }
      starts[k] = p;
      ends[k] = c;
      k++;
      if (c >= end) return k;
      p = c + 1;
    }
  }
}

/** Text of bytes [s, e) (names, numbers in the small columns). */
export function text(b: Uint8Array, s: number, e: number): string {
  return Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('utf8').trim();
}

/** A header line's column indices by name. */
export function headerColumns(b: Uint8Array, starts: Int32Array, ends: Int32Array, n: number): Map<string, number> {
  const col = new Map<string, number>();
  for (let k = 0; k < n; k++) col.set(text(b, starts[k]!, ends[k]!), k);
  return col;
}

export function sameBytes(b: Uint8Array, s: number, e: number, target: Uint8Array): boolean {
  if (e - s !== target.length) return false;
  for (let i = 0; i < target.length; i++) if (b[s + i] !== target[i]) return false;
  return true;
}

/**
 * The number in bytes [s, e) of a small field (run, LS, entries, axis bounds: `297047`,
 * `96516.0`, `-26.7`) without making a string: the exports' common forms are parsed from the
 * bytes, anything else (exponents, spaces, nan) goes through Number(text). NaN if not a number.
 */
export function numberAt(b: Uint8Array, s: number, e: number): number {
  let p = s;
  const neg = b[p] === 45;
  if (neg) p++;
  let int = 0;
  let digits = 0;
  let d = (b[p]! - 48) >>> 0;
  while (p < e && d < 10) {
    int = int * 10 + d;
    digits++;
    d = (b[++p]! - 48) >>> 0;
  }
  let v = int;
  if (p < e && b[p] === 46) {
    let frac = 0;
    let scale = 1;
    d = (b[++p]! - 48) >>> 0;
    while (p < e && d < 10) {
      frac = frac * 10 + d;
      scale *= 10;
      d = (b[++p]! - 48) >>> 0;
    }
    if (frac !== 0) v = scale > 1e15 ? NaN : int + frac / scale;
  }
  if (p !== e || digits === 0 || digits > 15 || v !== v) return Number(text(b, s, e) || 'x');
  return neg ? -v : v;
}
