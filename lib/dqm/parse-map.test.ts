import { describe, expect, it } from 'vitest';
import { MapParseError } from './errors';
import { parseMapCropped, parseMapText, RAW_MAP_LENGTH } from './parse-map';
import { pythonReference, realPickle } from './real-run.fixtures';

const loc = { run: 316187, lumi: 107, source: 'raw_pixel_layer_1' };
const parse = (text: string, n = 4) => parseMapText(text, new Float32Array(n), 0, n, loc);
const where = 'Cannot parse the map of LS 316187:107 (raw_pixel_layer_1): ';

describe('parseMapText', () => {
  it('parses a list literal into the buffer at the offset and returns the moments', () => {
    const out = new Float32Array(6).fill(-1);
    const m = parseMapText('[1, 20, 0,300]', out, 2, 4);
    expect(Array.from(out)).toEqual([-1, -1, 1, 20, 0, 300]);
    expect(m).toEqual({ count: 4, sum: 321, sumSq: 1 + 400 + 90000 });
  });

  it('accepts any whitespace, a trailing comma, decimals, exponents and bytes', () => {
    const out = new Float32Array(4);
    parseMapText(' [ 1 ,\n2,\t3.5 , 4e1 , ] \n', out, 0, 4);
    expect(Array.from(out)).toEqual([1, 2, 3.5, 40]);
    parseMapText(new TextEncoder().encode('[5, 6, 7, 8]'), out, 0, 4);
    expect(Array.from(out)).toEqual([5, 6, 7, 8]);
  });

  it('crops the under/overflow border while parsing, moments over the full map', () => {
    // 4 × 5 map: the inner 2 × 3 is 10..15, the border is 1s.
    const full = [1, 1, 1, 1, 1, 1, 10, 11, 12, 1, 1, 13, 14, 15, 1, 1, 1, 1, 1, 1];
    const out = new Float32Array(8);
    const m = parseMapCropped(`[${full.join(', ')}]`, out, 1, { rows: 4, cols: 5, border: 1 });
    expect(Array.from(out)).toEqual([0, 10, 11, 12, 13, 14, 15, 0]);
    expect(m.sum).toBe(full.reduce((a, b) => a + b, 0));
    expect(m.sumSq).toBe(full.reduce((a, b) => a + b * b, 0));
  });

  it('parses the real maps exactly (every value checked against Python)', () => {
    const ref = pythonReference(realPickle(1));
    const first = ref.maps[0]!;
    const out = new Float32Array(RAW_MAP_LENGTH);
    const m = parseMapText(first.text, out);
    const expected = first.text.slice(1, -1).split(',').map(Number);
    expect(Array.from(out)).toEqual(expected);
    expect(m.sum).toBe(ref.rows.find((r) => r.lumi === first.lumi)!.entries);
  });

  describe('rejects malformed maps with the LS and the position', () => {
    const cases: Array<[string, string, string]> = [
      ['too few values', '[1, 2, 3]', 'has 3 values, expected 4'],
      ['too many values', '[1, 2, 3, 4, 5]', "has more than 4 values; value 5 starts at character 13"],
      ['an empty list', '[]', 'has 0 values, expected 4'],
      ['a non-numeric token', '[1, abc, 3, 4]', "non-numeric token 'abc' at character 4"],
      ['a non-ASCII token', '[1, 2, é, 4]', "non-numeric token 'é' at character 7"],
      ['NaN', '[1, nan, 3, 4]', 'NaN at character 4'],
      ['NaN (numpy spelling)', '[1, 2, NaN, 4]', 'NaN at character 7'],
      ['infinity', '[1, 2, 3, inf]', "infinite count 'inf' at character 10"],
      ['a negative count', '[1, -2, 3, 4]', 'negative count -2 at character 4'],
      ['a missing value', '[1, , 3, 4]', 'missing value at character 4'],
      ['a bad decimal', '[1, 2.5.1, 3, 4]', "non-numeric token '2.5.1' at character 4"],
      ['no opening bracket', '1, 2, 3, 4]', "expected '[' at character 0, found '1'"],
      ['no closing bracket', '[1, 2, 3, 4', "missing ']' at the end (character 11)"],
      ['a bad separator', '[1; 2, 3, 4]', "expected ',' or ']' at character 2, found ';'"],
      ['text after the list', '[1, 2, 3, 4] x', "unexpected text after ']' at character 13: 'x'"],
      ['an empty string', '', "expected '[' at character 0, found end of text"],
    ];
    for (const [what, text, message] of cases) {
      it(what, () => {
        let error: unknown;
        try {
          parse(text);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(MapParseError);
        expect((error as MapParseError).message).toBe(where + message);
        expect((error as MapParseError).code).toBe('MAP_PARSE_ERROR');
      });
    }

    it('names the full shape when cropping', () => {
      expect(() => parseMapCropped('[1, 2, 3]', new Float32Array(1), 0, { rows: 3, cols: 3, border: 1 }, loc)).toThrow(
        `${where}has 3 values, expected 9 (3×3)`,
      );
    });

    it('refuses to write past the end of the buffer', () => {
      expect(() => parseMapText('[1, 2]', new Float32Array(3), 2, 2, loc)).toThrow(`${where}the output buffer holds 3 values, cannot write 2 at offset 2`);
    });

    it('says "an unnamed map" without a location', () => {
      expect(() => parseMapText('[x]', new Float32Array(1), 0, 1)).toThrow("Cannot parse the map of an unnamed map: non-numeric token 'x' at character 1");
    });
  });
});
