/**
 * Parses the `histo` (DQMIO) or `data` (website) cell of an export, a Python list literal of
 * floats as Python prints them (`[0.0, 39.0, 198.0, ...]`), straight from the file's bytes into
 * `out`; returns the number of values (counting beyond out.length, so the caller can report a
 * wrong length). Separate from parse-map.ts (the pickles' integer maps): here nearly every value
 * has a fraction (`2940.0`), which gets a fast path instead of a Number() per token.
 * A token that is not a number throws ListTokenError; NaN, inf and negatives are returned as
 * such: `firstBadCount` finds them, so the hot loop stays free of checks.
 */
export function parseHistoList(b: Uint8Array, s: number, e: number, out: Float32Array): number {
  let bad = -1;
  let p = s;
  while (p < e && b[p] !== 91) p++;
  p++;
  let k = 0;
  const cap = out.length;
  const pow10 = POW10;
  // Byte values are literals: module-level constants cost a context load per use in V8's hot loop.
  while (p < e) {
    let c = b[p]!;
    while (c === 32 || c === 44) c = b[++p]!;
    if (c === 93 || p >= e) break;
    // "0.0" (most bins of an occupancy map): no arithmetic
    if (c === 48 && b[p + 1] === 46 && b[p + 2] === 48) {
      const after = b[p + 3];
      if (after === 44 || after === 93) {
        if (k < cap) out[k] = 0;
        k++;
        p += 3;
        continue;
      }
    }
    const t0 = p;
    const neg = c === 45;
    if (neg) c = b[++p]!;
    let int = 0;
    let digits = 0;
    let dgt = (c - 48) >>> 0; // one unsigned compare tests '0'..'9'
    while (dgt < 10) {
      int = int * 10 + dgt;
      digits++;
      dgt = ((c = b[++p]!) - 48) >>> 0;
    }
    let v = int;
    if (c === 46) {
      // fraction: the common "123.0" needs no division
      let frac = 0;
      let scale = 0;
      let fd = ((c = b[++p]!) - 48) >>> 0;
      while (fd < 10) {
        frac = frac * 10 + fd;
        scale++;
        fd = ((c = b[++p]!) - 48) >>> 0;
      }
      if (frac !== 0) {
        if (scale > 22 || digits + scale > 15) v = NaN; // precision: slow path below
        else v = int + frac / pow10[scale]!;
      }
    }
    if (c === 101 || c === 69 || digits === 0 || digits > 15 || v !== v || (c !== 44 && c !== 93 && c !== 32 && p < e)) {
      // exponent, nan/inf, too many digits for exact arithmetic, or junk: the whole token
      while (p < e && b[p] !== 44 && b[p] !== 93) p++;
      v = slowToken(b, t0, p, k);
      if (bad < 0 && k < cap && !isCount(Math.fround(v))) bad = k;
    } else if (neg) {
      v = -v;
      if (bad < 0 && v !== 0 && k < cap) bad = k; // -0.0 is a count (>= 0), as firstBadCount says
    }
    if (k < cap) out[k] = v;
    k++;
  }
  histoScan.firstBad = bad;
  return k;
}

/**
 * What the last parseHistoList saw besides the values: the index of the first stored value that
 * is not a count, as firstBadCount(out) would return it (found during the parse: only negative
 * and slow-path tokens can be bad, so the common values pay nothing), or -1.
 */
export const histoScan = { firstBad: -1 };

function isCount(v: number): boolean {
  return v === v && v >= 0 && v < Infinity;
}

/** A token of the list that is not a number (index = its position in the list, from 0). */
export class ListTokenError extends Error {
  constructor(readonly index: number, readonly token: string) {
    super(`value ${index + 1} is not a number: '${token}'`);
  }
}

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$|^[-+]?(nan|inf|infinity)$/i;

/** Kept out of parseHistoList so the hot loop stays small and monomorphic for V8. */
function slowToken(b: Uint8Array, s: number, e: number, index: number): number {
  const t = Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('latin1').trim();
  if (!NUMBER.test(t)) throw new ListTokenError(index, t.length > 20 ? `${t.slice(0, 20)}...` : t);
  const lower = t.toLowerCase().replace(/^\+/, '');
  if (lower === 'nan' || lower === '-nan') return NaN;
  if (lower === 'inf' || lower === 'infinity') return Infinity;
  if (lower === '-inf' || lower === '-infinity') return -Infinity;
  return Number(t);
}

const POW10 = Float64Array.from({ length: 23 }, (_, i) => 10 ** i);

/** Index of the first value that is not a count (NaN, infinite or negative), or -1. */
export function firstBadCount(row: Float32Array, n = row.length): number {
  for (let i = 0; i < n; i++) {
    const v = row[i]!;
    // v !== v is NaN; the second test catches both infinities and negatives
    if (v !== v || !(v >= 0 && v < Infinity)) return i;
  }
  return -1;
}

/** `NaN`, `negative (-3)`, `infinite`: what is wrong with a bad count, for messages. */
export function describeBadCount(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return 'infinite';
  return `negative (${v})`;
}
