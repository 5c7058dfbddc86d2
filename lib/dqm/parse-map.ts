import { MapParseError, type MapLocation } from './errors';
import { fastMoments, fastParse } from './parse-map-fast';

/** The pixel barrel cluster-position maps: 202 rows (phi) × 302 columns (z), under/overflow included. */
export const RAW_MAP_ROWS = 202;
export const RAW_MAP_COLS = 302;
export const RAW_MAP_LENGTH = RAW_MAP_ROWS * RAW_MAP_COLS;

/** Moments of the FULL parsed map (border included), accumulated in float64 during the parse. */
export interface MapMoments {
  /** Number of values read. */
  count: number;
  sum: number;
  sumSq: number;
}

/** Crop while parsing: keep the inner `(rows - 2·border) × (cols - 2·border)` bins only. */
export interface MapCrop {
  rows: number;
  cols: number;
  border: number;
}

const SPACE = 32, TAB = 9, LF = 10, CR = 13, COMMA = 44, OPEN = 91, CLOSE = 93, ZERO = 48, NINE = 57;
const MINUS = 45, PLUS = 43, DOT = 46, LOWER_E = 101, UPPER_E = 69;

/**
 * Parses a Python list literal of `expectedLength` non-negative numbers (`"[0, 3, 12, ...]"`,
 * as the pickles hold each map) into `out[offset ...]`, in one pass, without intermediate arrays
 * or substrings. Strict: a wrong length, a non-numeric token, NaN/inf or a negative count
 * throws a MapParseError naming the lumisection (`location`) and the character position.
 * Returns the map's count, sum and sum of squares, so that summary statistics over the full map
 * need no second pass. Integers take a fast path; decimals and exponents are accepted too.
 */
export function parseMapText(
  text: string | Uint8Array,
  out: Float32Array,
  offset = 0,
  expectedLength = RAW_MAP_LENGTH,
  location: MapLocation = {},
): MapMoments {
  return parse(asBytes(text), out, offset, expectedLength, undefined, location);
}

/**
 * As parseMapText, but writes only the inner bins of a `rows × cols` map (the under/overflow
 * `border` is dropped on the fly), so each map is parsed once, straight into its cropped place
 * in a HistogramSet buffer. The moments still cover the full map (as the original statistics do).
 */
export function parseMapCropped(
  text: string | Uint8Array,
  out: Float32Array,
  offset: number,
  crop: MapCrop = { rows: RAW_MAP_ROWS, cols: RAW_MAP_COLS, border: 1 },
  location: MapLocation = {},
): MapMoments {
  return parse(asBytes(text), out, offset, crop.rows * crop.cols, crop, location);
}

/**
 * The strict parser alone, without the fast path: the reference the fast path is tested
 * against (same numbers, same moments) and the benchmark's baseline.
 */
export function parseMapReference(
  text: string | Uint8Array,
  out: Float32Array,
  offset: number,
  crop: MapCrop = { rows: RAW_MAP_ROWS, cols: RAW_MAP_COLS, border: 1 },
  location: MapLocation = {},
): MapMoments {
  return parse(asBytes(text), out, offset, crop.rows * crop.cols, crop, location, false);
}

// Strings are encoded into a reused scratch buffer first (UTF-8, a memcpy for the ASCII a
// pickle holds; any non-ASCII character becomes bytes >= 0x80 and fails as a bad token): a loop
// over a Uint8Array runs ~2× faster in V8 than charCodeAt over a string, and one loop keeps the
// two inputs strictly equivalent.
let scratch = Buffer.allocUnsafe(0);

function asBytes(text: string | Uint8Array): Uint8Array {
  if (typeof text !== 'string') return text;
  if (scratch.length < text.length * 3) scratch = Buffer.allocUnsafe(Math.max(text.length * 3, 1 << 16));
  const n = scratch.write(text, 0, 'utf8');
  return scratch.subarray(0, n);
}

// Shaped as two nested loops (rows, then columns) so that cropping costs one comparison per
// value: V8 runs this about twice as fast as one loop that tracks the position by hand. Byte
// values are literals in the hot loop: module-level constants are context loads with a TDZ check
// in V8's ESM code, which also costs a lot here.
function parse(b: Uint8Array, out: Float32Array, offset: number, expected: number, crop: MapCrop | undefined, loc: MapLocation, fast = true): MapMoments {
  const n = b.length;
  const outLength = crop ? (crop.rows - 2 * crop.border) * (crop.cols - 2 * crop.border) : expected;
  if (offset < 0 || offset + outLength > out.length) {
    throw new MapParseError(`the output buffer holds ${out.length} values, cannot write ${outLength} at offset ${offset}`, 0, loc);
  }
  // The canonical layout (every real pickle) takes the fast path; anything else, or bad input,
  // is parsed again here, strictly, for the same numbers or the exact error.
  if (fast && fastParse(b, out, offset, crop ? crop.rows : 1, crop ? crop.cols : expected, crop ? crop.border : 0)) {
    return { count: expected, sum: fastMoments.sum, sumSq: fastMoments.sumSq };
  }
  let i = skipSpace(b, 0, n);
  if (i >= n || b[i] !== 91 /* [ */) {
    throw unexpected(b, i, "'['", loc);
  }
  i = skipSpace(b, i + 1, n);
  const rows = crop ? crop.rows : 1;
  const cols = crop ? crop.cols : expected;
  const lo = crop ? crop.border : 0;
  const rowHi = crop ? crop.rows - crop.border : 1;
  const colHi = crop ? crop.cols - crop.border : expected;
  let sum = 0;
  let sumSq = 0;
  let w = offset;
  let closed = false;
  for (let r = 0; r < rows; r++) {
    const innerRow = r >= lo && r < rowHi;
    for (let col = 0; col < cols; col++) {
      if (i >= n) throw missingEnd(n, loc);
      const start = i;
      let c = b[i]!;
      let v: number;
      if (c >= 48 && c <= 57) {
        v = c - 48;
        i++;
        while (i < n) {
          c = b[i]!;
          if (c < 48 || c > 57) break;
          v = v * 10 + (c - 48);
          i++;
        }
        if (c === 46 /* . */ || c === 101 /* e */ || c === 69 /* E */) {
          v = parseDecimal(b, start, n, loc);
          i = cursor;
        }
      } else {
        if (c === 93 /* ] */) throw wrongLength(r * cols + col, expected, crop, i, loc);
        if (c !== 46 /* . */ && c !== 43 /* + */) throw badToken(b, start, n, loc);
        v = parseDecimal(b, start, n, loc);
        i = cursor;
      }
      sum += v;
      sumSq += v * v;
      if (innerRow && col >= lo && col < colHi) out[w++] = v;
      // Separator: ", " nearly always; any whitespace around the comma is accepted.
      if (i < n && b[i] === 44 /* , */) {
        i++;
        if (i < n && b[i] === 32 /* space */) i++;
        if (i < n && b[i]! <= 32) i = skipSpace(b, i, n);
        continue;
      }
      i = skipSpace(b, i, n);
      if (i >= n) throw missingEnd(n, loc);
      c = b[i]!;
      if (c === 44 /* , */) {
        i = skipSpace(b, i + 1, n);
      } else if (c === 93 /* ] */) {
        const k = r * cols + col + 1;
        if (k !== expected) throw wrongLength(k, expected, crop, i, loc);
        i++;
        closed = true;
      } else {
        throw unexpected(b, i, "',' or ']'", loc);
      }
    }
  }
  // All values read: the list must end here (after the last value, or after a trailing comma).
  if (!closed) {
    i = skipSpace(b, i, n);
    if (i >= n) throw missingEnd(n, loc);
    const c = b[i]!;
    if (c !== CLOSE) {
      if ((c >= ZERO && c <= NINE) || c === MINUS || c === DOT || c === PLUS) {
        throw new MapParseError(`has more than ${expected} values${shapeOf(crop)}; value ${expected + 1} starts at character ${i}`, i, loc);
      }
      throw unexpected(b, i, "']'", loc);
    }
    i++;
  }
  i = skipSpace(b, i, n);
  if (i < n) throw new MapParseError(`unexpected text after ']' at character ${i}: ${token(b, i, n)}`, i, loc);
  return { count: expected, sum, sumSq };
}

// Errors are built out of line: template literals inside the hot loop slow it down in V8.
function missingEnd(n: number, loc: MapLocation): MapParseError {
  return new MapParseError(`missing ']' at the end (character ${n})`, n, loc);
}

function wrongLength(k: number, expected: number, crop: MapCrop | undefined, i: number, loc: MapLocation): MapParseError {
  return new MapParseError(`has ${k} values, expected ${expected}${shapeOf(crop)}`, i, loc);
}

function unexpected(b: Uint8Array, i: number, what: string, loc: MapLocation): MapParseError {
  return new MapParseError(`expected ${what} at character ${i}, found ${found(b, i)}`, i, loc);
}

function shapeOf(crop: MapCrop | undefined): string {
  return crop ? ` (${crop.rows}×${crop.cols})` : '';
}

function skipSpace(b: Uint8Array, i: number, n: number): number {
  while (i < n) {
    const c = b[i];
    if (c !== SPACE && c !== LF && c !== CR && c !== TAB) break;
    i++;
  }
  return i;
}

/** Where parseDecimal stopped (module state rather than a tuple: no allocation on the hot path). */
let cursor = 0;

/** Slow path for `1.5`, `2e3`, `+4`: the token up to the next separator, validated, then Number(). */
function parseDecimal(b: Uint8Array, start: number, n: number, loc: MapLocation): number {
  let end = start;
  while (end < n) {
    const c = b[end];
    if (c === COMMA || c === CLOSE || c === SPACE || c === LF || c === CR || c === TAB) break;
    end++;
  }
  const text = latin1(b, start, end);
  const v = /^[+]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(v)) throw new MapParseError(`non-numeric token '${text}' at character ${start}`, start, loc);
  cursor = end;
  return v;
}

/** The error for a token that does not start like a count. */
function badToken(b: Uint8Array, start: number, n: number, loc: MapLocation): MapParseError {
  const c = b[start];
  if (c === MINUS) {
    let end = start + 1;
    while (end < n && ((b[end]! >= ZERO && b[end]! <= NINE) || b[end] === DOT)) end++;
    if (end > start + 1) return new MapParseError(`negative count ${latin1(b, start, end)} at character ${start}`, start, loc);
  }
  if (c === COMMA || c === CLOSE) return new MapParseError(`missing value at character ${start}`, start, loc);
  const t = token(b, start, n);
  const bare = t.slice(1, -1).toLowerCase();
  if (bare === 'nan') return new MapParseError(`NaN at character ${start}`, start, loc);
  if (bare === 'inf' || bare === 'infinity' || bare === '-inf') return new MapParseError(`infinite count ${t} at character ${start}`, start, loc);
  return new MapParseError(`non-numeric token ${t} at character ${start}`, start, loc);
}

/** The offending token, quoted and at most 20 characters, up to the next separator. */
function token(b: Uint8Array, i: number, n: number): string {
  let end = i;
  while (end < n && end - i < 20) {
    const c = b[end];
    if (end > i && (c === COMMA || c === CLOSE || c === SPACE)) break;
    end++;
  }
  return `'${latin1(b, i, end)}'`;
}

function found(b: Uint8Array, i: number): string {
  return i >= b.length ? 'end of text' : `'${latin1(b, i, i + 1)}'`;
}

/** Text of bytes [start, end) for messages (UTF-8, as strings are encoded for the parse). */
function latin1(b: Uint8Array, start: number, end: number): string {
  return Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('utf8');
}
