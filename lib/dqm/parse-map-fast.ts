/**
 * The fast path of the map parser, for the exact layout Python's `str(list)` writes and every
 * DQM pickle holds: `[` then non-negative integers separated by `, ` then `]`, nothing else.
 * Anything else (whitespace, decimals, a sign, a wrong length, a bad token) makes it return
 * false without a message; the caller then runs the strict parser (parse-map.ts), which gives
 * the same numbers for valid input and the exact error for bad input. Hand-written because no
 * library parses numbers from bytes into a typed array: JSON.parse needs a string and builds
 * a JS array of 61,004 numbers per map (~4× slower, and garbage).
 *
 * Speed notes (V8): byte values are literals (module constants cost a context load and a TDZ
 * check per use in ESM); the list must end in `]`, checked up front, so the digit and
 * separator scans need no bounds checks; zeros (~2/3 of a map) skip the digit loop and the
 * moment sums (adding 0 changes neither, so the moments are bit-identical to the strict parser's).
 */

/** The moments of the last successful fastParse (module state: no allocation per map). */
export const fastMoments = { sum: 0, sumSq: 0 };

/** The whole map, border included, before the inner rows are copied out (reused). */
let full = new Float32Array(0);

/**
 * Parses `b` (a `rows × cols` map) into `out` from `offset`, keeping the inner bins
 * (`border` dropped on each side). Returns false, having possibly written part of `out`,
 * if the text is not in the canonical layout.
 */
export function fastParse(b: Uint8Array, out: Float32Array, offset: number, rows: number, cols: number, border: number): boolean {
  const n = b.length;
  const count = rows * cols;
  const innerCols = cols - 2 * border;
  if (n < 2 || b[0] !== 91 || b[n - 1] !== 93 || count < 1) return false;
  if (offset < 0 || offset + (rows - 2 * border) * innerCols > out.length) return false;
  if (full.length < count) full = new Float32Array(count);
  if (!scan(b, full, count - 1)) return false;
  // The crop is a copy of whole inner rows (memcpy), so the scan has no per-value crop test.
  for (let r = border, w = offset; r < rows - border; r++, w += innerCols) {
    out.set(full.subarray(r * cols + border, r * cols + border + innerCols), w);
  }
  return true;
}

/** One pass over `[v, v, ..., v]`: values into `into[0..last]`, moments into fastMoments. */
function scan(b: Uint8Array, into: Float32Array, last: number): boolean {
  const end = b.length - 1; // the index of the final ']', checked by the caller
  let sum = 0;
  let sumSq = 0;
  let i = 1;
  let k = 0;
  for (;;) {
    let c = b[i]!;
    if (c === 48 /* 0 */) {
      into[k] = 0;
      c = b[i + 1]!;
      if (c === 44 /* , */) {
        if (b[i + 2] !== 32 || k === last) return false;
        i += 3;
        k++;
        continue;
      }
      i++;
      if (c !== 93 /* ] */) return false; // e.g. '05' or '0.5': the strict parser decides
      break;
    }
    let v = c - 48;
    if (v < 1 || v > 9) return false; // ']' (too few values), a sign, a space, a letter ...
    c = b[++i]!;
    while (c >= 48 && c <= 57) {
      v = v * 10 + (c - 48);
      c = b[++i]!;
    }
    into[k] = v;
    sum += v;
    sumSq += v * v;
    if (c === 44 /* , */) {
      if (b[i + 1] !== 32 || k === last) return false;
      i += 2;
      k++;
      continue;
    }
    if (c !== 93) return false;
    break;
  }
  if (k !== last || i !== end) return false;
  fastMoments.sum = sum;
  fastMoments.sumSq = sumSq;
  return true;
}
