import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDqmioCsv } from './index';
import { sharedPath } from '../../../tests/shared-data.fixtures';

/**
 * The byte-level DQMIO reader (line-reader + parse-histo, no strings per line) against a plain
 * reference reader (strings, split, Number() per token) on the real ZeroBias 2017B export, as it
 * is and with its values rewritten into the forms the fast path hands to its slow path or must
 * flag: exponents (1e-05 as Python prints it), long fractions, negatives, NaN, inf, a float32
 * overflow. Same numbers to the bit, same first bad value.
 */
const ZB = sharedPath('data/zerobias2017b/ZeroBias_2017B_chargeInner_PXLayer_1.csv');
const HNAME = 'chargeInner_PXLayer_1';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dqmio-ref-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Row {
  run: number;
  lumi: number;
  entries: number;
  /** The inner bins (under/overflow cropped), as float32 like the reader stores them. */
  values: Float32Array;
  /** Index in the full list of the first value that is not a count, or -1. */
  firstBad: number;
}

/** The reference: one string per line, the quoted list cut out by a regex, Number() per token. */
function referenceRead(text: string): Row[] {
  const [header, ...lines] = text.split('\n').filter((l) => l.length > 0);
  const names = header!.split(',');
  const at = (c: string) => names.indexOf(c);
  const out: Row[] = [];
  for (const line of lines) {
    const m = /^(.*?)"\[(.*)\]"(.*)$/.exec(line)!;
    const before = m[1]!.split(',');
    const after = m[3]!.split(',');
    const field = (c: string) => {
      const k = at(c);
      return k < at('histo') ? before[k]! : after[k - at('histo')]!;
    };
    if (field('hname') !== HNAME) continue;
    const tokens = m[2]!.split(',').map((t) => t.trim());
    const all = Float32Array.from(tokens, (t) => (/^-?nan$/i.test(t) ? NaN : /^-?inf$/i.test(t) ? (t.startsWith('-') ? -Infinity : Infinity) : Number(t)));
    const firstBad = all.findIndex((v) => !(v >= 0 && v < Infinity));
    out.push({ run: Number(field('fromrun')), lumi: Number(field('fromlumi')), entries: Number(field('entries')), values: all.slice(1, all.length - 1), firstBad });
  }
  return out.sort((a, b) => a.run - b.run || a.lumi - b.lumi);
}

/** The real export with every histo value passed through `rewrite(value, line, index)`. */
function rewritten(name: string, rewrite: (v: string, line: number, index: number) => string): { file: string; text: string } {
  const lines = fs.readFileSync(ZB, 'utf8').split('\n');
  const text = lines
    .map((l, i) => (i === 0 ? l : l.replace(/"\[(.*)\]"/, (_, list: string) => `"[${list.split(', ').map((v, k) => rewrite(v, i + 1, k)).join(', ')}]"`)))
    .join('\n');
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return { file, text };
}

function expectSame(file: string, text: string): void {
  const fast = readDqmioCsv(file, { hname: HNAME });
  const ref = referenceRead(text);
  expect(fast.run.length).toBe(ref.length);
  expect(Array.from(fast.run)).toEqual(ref.map((r) => r.run));
  expect(Array.from(fast.lumi)).toEqual(ref.map((r) => r.lumi));
  expect(Array.from(fast.entries)).toEqual(ref.map((r) => r.entries));
  const d = fast.nx;
  let differing = 0;
  ref.forEach((r, i) => {
    const got = fast.values.subarray(i * d, (i + 1) * d);
    for (let j = 0; j < d; j++) if (!Object.is(got[j], r.values[j])) differing++;
  });
  expect(differing).toBe(0);
}

/** Value forms the fast path must hand to its slow path (exponents, > 15 digits) or parse exactly. */
const FORMS = ['1e-05', '2.5e+03', '1E3', '3.0e-7', '0.1', '123.456', '0.30000000000000004', '12345678901234567.0', '3.4028234663852886e+38', '-0.0', '7.0', '65504.125'];

describe('DQMIO fast reader = reference reader on the real ZeroBias 2017B export', () => {
  it('reads the export as it is: 1,054 LS, every bin, entries, run and LS identical', () => {
    const text = fs.readFileSync(ZB, 'utf8');
    expectSame(ZB, text);
    expect(referenceRead(text).every((r) => r.firstBad < 0)).toBe(true);
  });

  it('reads exponents, long fractions and float32 edge values as Number() does', () => {
    // every 7th value of every line becomes one of the forms (cycling), the others stay as they are
    const { file, text } = rewritten('forms.csv', (v, line, k) => ((line + k) % 7 === 0 ? FORMS[(line + k) % FORMS.length]! : v));
    expect(FORMS.filter((f) => text.includes(`, ${f},`) || text.includes(`, ${f}]`)).length).toBe(FORMS.length);
    expectSame(file, text);
  });

  it.each([
    ['a negative count', '-3.0', 'negative (-3)'],
    ['a small negative fraction', '-0.5', 'negative (-0.5)'],
    ['a negative exponent form', '-1e-05', 'negative (-0.000009999999747378752)'],
    ['NaN', 'nan', 'NaN'],
    ['inf', 'inf', 'infinite'],
    ['a value beyond float32 (stored as infinity)', '1e39', 'infinite'],
  ])('finds %s where the reference does, with the exact message', (_, token, what) => {
    // line 300, value 42 (and a later one on line 301, never reached: the first error stops the read)
    const { file, text } = rewritten(`bad-${token}.csv`, (v, line, k) => ((line === 300 && k === 41) || (line === 301 && k === 5) ? token : v));
    const ref = referenceRead(text).find((r) => r.firstBad >= 0)!;
    expect(ref.firstBad).toBe(41);
    const head = text.split('\n')[299]!.split(',');
    expect(() => readDqmioCsv(file, { hname: HNAME, shown: 'zb.csv' })).toThrow(
      `zb.csv: line 300 (run ${head[0]}, LS ${head[1]}): histo value ${ref.firstBad + 1} of 102 is ${what}: bin contents must be counts ≥ 0`,
    );
  });

  it('-0.0 is a count (≥ 0), as the reference says', () => {
    const { file, text } = rewritten('minus-zero.csv', (v, line, k) => (k === 3 ? '-0.0' : v));
    expect(referenceRead(text).every((r) => r.firstBad < 0)).toBe(true);
    expectSame(file, text);
  });
});
