import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMapCropped, parseMapText } from '../../lib/dqm';
import { fuzzParams, onlyTypedErrors } from './fuzz.fixtures';

const token = fc.oneof(
  fc.nat({ max: 100000 }).map(String),
  fc.constantFrom('[', ']', ',', ' ', ', ', '-', '.', 'e', 'E', '+', 'nan', 'inf', '-1', '1e309', '0.5', '1e-3', '\n', '\t', 'None', '"', '×', '\0'),
);
const text = fc.array(token, { maxLength: 60 }).map((t) => t.join(''));
const validList = fc.array(fc.oneof(fc.nat({ max: 1e6 }), fc.double({ min: 0, max: 1e6, noNaN: true })), { minLength: 1, maxLength: 40 });

describe('fuzz: map parser', () => {
  it('fuzz: arbitrary list-like text gives moments or a MapParseError, for strings and bytes alike', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 12 }), (t, n) => {
        const out = new Float32Array(n);
        let a: unknown;
        let b: unknown;
        onlyTypedErrors(() => (a = parseMapText(t, out, 0, n, { source: 'fuzz.pkl', lumi: 1 })));
        onlyTypedErrors(() => (b = parseMapText(Buffer.from(t, 'utf8'), out, 0, n)));
        expect(a === undefined).toBe(b === undefined);
      }),
      fuzzParams(),
    );
  });
  it('fuzz: a valid list of the right length parses to its values; a wrong length is an error', () => {
    fc.assert(
      fc.property(validList, fc.constantFrom(', ', ',', ' , '), fc.integer({ min: -2, max: 2 }), (xs, sep, delta) => {
        const want = xs.length + delta;
        if (want < 1) return;
        const out = new Float32Array(Math.max(want, xs.length));
        const t = `[${xs.join(sep)}]`;
        if (delta === 0) {
          const m = parseMapText(t, out, 0, want);
          expect(Array.from(out.subarray(0, want))).toEqual(xs.map((x) => Math.fround(x)));
          expect(m).toBeDefined();
        } else {
          expect(() => parseMapText(t, out, 0, want)).toThrow(/expected|length|values|elements/i);
        }
      }),
      fuzzParams(),
    );
  });
  it('fuzz: the cropped parser only throws typed errors', () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 3, max: 5 }), fc.integer({ min: 3, max: 5 }), (t, rows, cols) => {
        onlyTypedErrors(() => parseMapCropped(t, new Float32Array((rows - 2) * (cols - 2)), 0, { rows, cols, border: 1 }));
      }),
      fuzzParams(),
    );
  });
});
