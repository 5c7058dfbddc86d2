import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { table } from '../data';
import { readPandasPickle, writePandasPickle } from '../io';
import { buildHistogramSet } from './build-histogram-set';
import { MapParseError } from './errors';
import { parseMapCropped, parseMapReference, RAW_MAP_LENGTH, type MapCrop } from './parse-map';
import { fastParse } from './parse-map-fast';
import { realPickle } from './real-run.fixtures';

const bytes = (s: string) => Buffer.from(s, 'latin1');
const INNER = (RAW_MAP_LENGTH / 302 - 2) * 300;

/** Fast path and strict parser on the same input: both values and moments, or both errors. */
function both(text: string | Uint8Array, crop: MapCrop, size: number) {
  const run = (fn: typeof parseMapCropped) => {
    const out = new Float32Array(size + 2).fill(-7);
    try {
      return { moments: fn(text, out, 1, crop, { run: 1, lumi: 2 }), values: Array.from(out) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };
  return { fast: run(parseMapCropped), strict: run(parseMapReference) };
}

describe('the fast map parser', () => {
  it('takes the fast path on every real map, from the pickle bytes, with the strict parser’s numbers', () => {
    for (const layer of [1, 2] as const) {
      const file = readFileSync(realPickle(layer));
      const maps = readPandasPickle(file, { textAsBytes: true }).columns.map!;
      const texts = readPandasPickle(file).columns.map as string[];
      expect(maps.length).toBe(16);
      maps.forEach((m, i) => {
        // Views into the file's own buffer: no string, no copy.
        expect(m).toBeInstanceOf(Uint8Array);
        expect((m as Uint8Array).buffer).toBe(file.buffer);
        expect(Buffer.from(m as Uint8Array).toString('latin1')).toBe(texts[i]);
        const fast = new Float32Array(INNER);
        expect(fastParse(m as Uint8Array, fast, 0, 202, 302, 1)).toBe(true);
        const strict = new Float32Array(INNER);
        const ref = parseMapReference(texts[i]!, strict, 0);
        expect(parseMapCropped(m as Uint8Array, fast, 0)).toEqual(ref);
        expect(Buffer.from(fast.buffer).equals(Buffer.from(strict.buffer))).toBe(true);
      });
    }
  });

  const crop = { rows: 3, cols: 4, border: 1 };
  const list = (vs: Array<number | string>) => `[${vs.join(', ')}]`;
  const twelve = [0, 1, 2, 0, 30, 0, 4, 5, 999, 0, 0, 7];

  it('refuses what is not canonical, and the strict parser gives the same numbers', () => {
    const variants = [
      list(twelve),
      ` ${list(twelve)}\n`,
      list(twelve).replace(', 30,', ',30 ,'),
      list(twelve).replace(']', ',]'),
      list(twelve).replace('30', '030'),
      list(twelve).replace('30', '30.0'),
      list(twelve).replace('999', '9.99e2'),
      list(twelve).replace('4', '+4'),
    ];
    for (const v of variants) {
      const canonical = v === list(twelve);
      expect(fastParse(bytes(v), new Float32Array(2), 0, 3, 4, 1), v).toBe(canonical);
      const { fast, strict } = both(bytes(v), crop, 2);
      expect(fast, v).toEqual(strict);
      expect(fast.values, v).toEqual([-7, 0, 4, -7]);
      expect(fast.moments, v).toEqual({ count: 12, sum: 1048, sumSq: 1 + 4 + 900 + 16 + 25 + 999 * 999 + 49 });
    }
  });

  it('leaves bad maps to the strict parser: the same exact error, from bytes as from strings', () => {
    const bad: Array<[string, string]> = [
      [list(twelve).replace('30', '-30'), 'negative count -30 at character 13'],
      [list(twelve).replace('30', 'x'), "non-numeric token 'x' at character 13"],
      [list(twelve).replace('30', 'nan'), 'NaN at character 13'],
      [list(twelve.slice(1)), 'has 11 values, expected 12 (3×4)'],
      [list([...twelve, 0]), 'has more than 12 values (3×4); value 13 starts at character 40'],
      [list(twelve).slice(0, -1), "missing ']' at the end (character 38)"],
      [list(twelve).replace(', 30', ',, 30'), 'missing value at character 12'],
      [`${list(twelve)} 5`, "unexpected text after ']' at character 40: '5'"],
    ];
    for (const [text, detail] of bad) {
      expect(fastParse(bytes(text), new Float32Array(2), 0, 3, 4, 1), text).toBe(false);
      const { fast, strict } = both(bytes(text), crop, 2);
      expect(fast, text).toEqual({ error: `Cannot parse the map of LS 1:2: ${detail}` });
      expect(strict, text).toEqual(fast);
      expect(both(text, crop, 2).fast, text).toEqual(fast);
    }
  });

  it('equals the strict parser on any canonical list and on random damage to it', () => {
    const values = fc.array(fc.oneof(fc.constant(0), fc.nat(99), fc.nat(2 ** 40)), { minLength: 12, maxLength: 12 });
    const damage = fc.tuple(fc.nat(200), fc.constantFrom('', ' ', ',', '-', '.', ']', '[', 'e', '0', 'a', '\n'));
    fc.assert(
      fc.property(values, fc.option(damage), (vs, hit) => {
        let text = list(vs);
        if (hit) {
          const at = hit[0] % (text.length + 1);
          text = text.slice(0, at) + hit[1] + text.slice(at + (hit[1] === '' ? 1 : 0));
        }
        const { fast, strict } = both(bytes(text), crop, 2);
        expect(fast).toEqual(strict);
      }),
      { numRuns: 3000 },
    );
  });

  it('names the file, the row and the LS of a bad map read from pickle bytes', async () => {
    const maps = [list(new Array(120).fill(3)), list(new Array(120).fill(3)).replace('3, 3]', '3, -3]')];
    const pickle = writePandasPickle(table({ run: Int32Array.of(7, 7), lumi: Int32Array.of(12, 11), map: maps }));
    const raw = { Run_7_0: async () => readPandasPickle(pickle, { textAsBytes: true }) };
    const loaded = await raw.Run_7_0();
    expect(loaded.columns.map![1]).toBeInstanceOf(Uint8Array);
    const error = await buildHistogramSet(raw, { dataset: 'raw_pixel_layer_2', crop: { rows: 10, cols: 12, border: 1 }, shape: { title: 't', ny: 8, nx: 10, x: { min: 0, max: 1, label: 'z' }, y: { min: 0, max: 1, label: 'phi' } } }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(MapParseError);
    expect((error as Error).message).toBe('Cannot parse the map of LS 7:11 (raw_pixel_layer_2[Run_7_0], row 1): negative count -3 at character 358');
  });
});
