import { describe, expect, it } from 'vitest';
import { histogramsToRawTable, mapTextWithBorder, parseHistogram2D } from '.';
import { syntheticMap } from './fake-website.fixtures';

const TITLE = 'clusterposition_zphi_PXLayer_1';

function playgroundRecord(id: number, ls: number, data: number[][]): Record<string, unknown> {
  return {
    id,
    run: 316187,
    lumisection: ls,
    title: TITLE,
    entries: data.flat().reduce((a, b) => a + b, 0),
    data,
    x_min: -26.7,
    x_max: 26.7,
    x_bin: data[0]?.length ?? 0,
    y_min: -3.2,
    y_max: 3.2,
    y_bin: data.length,
    source_data_file: 4,
  };
}

function dialsRecord(ls: number, data: number[][]): Record<string, unknown> {
  return {
    hist_id: 900 + ls,
    dataset_id: 1,
    run_number: '316187',
    ls_number: ls,
    me_id: 7,
    me: TITLE,
    entries: 1,
    data,
    x_min: -26.7,
    x_max: 26.7,
    x_bin: 300.0,
    y_min: -3.2,
    y_max: 3.2,
    y_bin: 200.0,
  };
}

/** Parses the Python list literal independently of the converter (JSON reads it too). */
function parseMap(text: string): number[] {
  return JSON.parse(text) as number[];
}

describe('conversion of 2D records to the raw pickle format', () => {
  it('a 200×300 playground map becomes a 202×302 flat list literal with an empty border', () => {
    const data = syntheticMap(316187, 5, TITLE, 200, 300);
    const t = histogramsToRawTable([playgroundRecord(11, 5, data)], 'playground');
    expect(Object.keys(t.columns)).toEqual(['run', 'lumi', 'map']);
    expect(Array.from(t.columns.run as Int32Array)).toEqual([316187]);
    expect(Array.from(t.columns.lumi as Int32Array)).toEqual([5]);
    const text = (t.columns.map as string[])[0]!;
    expect(text.startsWith('[0, 0, 0, ')).toBe(true); // Python's str(list) spacing, as in the pickles
    const flat = parseMap(text);
    expect(flat).toHaveLength(202 * 302);
    const expected: number[] = [];
    for (let y = 0; y < 202; y++) {
      for (let x = 0; x < 302; x++) {
        const border = y === 0 || y === 201 || x === 0 || x === 301;
        expected.push(border ? 0 : data[y - 1]![x - 1]!);
      }
    }
    expect(flat).toEqual(expected);
    expect(flat.reduce((a, b) => a + b, 0)).toBe(data.flat().reduce((a, b) => a + b, 0));
  });

  it('DIALS TH2 records convert the same way (run number as string, bins as floats)', () => {
    const data = syntheticMap(316187, 2, TITLE, 200, 300);
    const fromDials = histogramsToRawTable([dialsRecord(2, data)], 'dials');
    const fromPlayground = histogramsToRawTable([playgroundRecord(1, 2, data)], 'playground');
    expect(fromDials).toEqual(fromPlayground);
  });

  it('rows come out sorted by (run, lumi)', () => {
    const d = [[1, 2]];
    const t = histogramsToRawTable([playgroundRecord(1, 9, d), playgroundRecord(2, 3, d), playgroundRecord(3, 4, d)], 'playground');
    expect(Array.from(t.columns.lumi as Int32Array)).toEqual([3, 4, 9]);
    expect((t.columns.map as string[])[0]).toBe('[0, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0]');
  });

  it('wrong number of rows names the record id', () => {
    const rec = { ...playgroundRecord(42, 7, [[1, 2, 3], [4, 5, 6]]), y_bin: 3 };
    expect(() => histogramsToRawTable([rec], 'playground')).toThrow(
      'playground 2D histogram id 42 (run 316187, LS 7): data has 2 rows, expected y_bin = 3 (under/overflow removed)',
    );
  });

  it('wrong number of columns names the record id and the row', () => {
    const rec = playgroundRecord(43, 8, [[1, 2, 3], [4, 5]]);
    expect(() => histogramsToRawTable([rec], 'playground')).toThrow(
      'playground 2D histogram id 43 (run 316187, LS 8): data row 1 has 2 values, expected x_bin = 3 (under/overflow removed)',
    );
    const withFlow = dialsRecord(3, syntheticMap(1, 1, TITLE, 202, 302));
    expect(() => histogramsToRawTable([withFlow], 'dials')).toThrow(
      'dials 2D histogram hist_id 903 (run 316187, LS 3): data has 202 rows, expected y_bin = 200 (under/overflow removed)',
    );
  });

  it('missing and mistyped fields name the record and the fields', () => {
    const rec = playgroundRecord(44, 9, [[1]]);
    delete rec.data;
    rec.x_bin = 'three';
    expect(() => parseHistogram2D(rec, 'playground')).toThrow(
      "playground 2D histogram id 44 (run 316187, LS 9): 'data' is missing; 'x_bin': Invalid input: expected number, received string",
    );
    expect(() => parseHistogram2D({ foo: 1 }, 'dials', 3)).toThrow("dials 2D histogram #3: 'dataset_id' is missing; 'run_number' is missing; 'ls_number' is missing; 'me_id' is missing; 'me' is missing");
  });

  it('cells that are not numbers and rows that are not lists name the record and the bin', () => {
    expect(() => parseHistogram2D(playgroundRecord(46, 2, [[1, null as unknown as number]]), 'playground')).toThrow(
      'playground 2D histogram id 46 (run 316187, LS 2): data[0][1] is null, not a number',
    );
    expect(() => parseHistogram2D({ ...playgroundRecord(47, 3, [[1]]), data: ['1'] }, 'playground')).toThrow(
      'playground 2D histogram id 47 (run 316187, LS 3): data row 0 is "1", not a list',
    );
  });

  it('non-integer counts and mixed binnings are refused', () => {
    expect(() => mapTextWithBorder(parseHistogram2D(playgroundRecord(45, 1, [[1, 2.5]]), 'playground'))).toThrow(
      '2D histogram id 45 (run 316187, LS 1): data[0][1] = 2.5 is not a non-negative integer count',
    );
    expect(() => histogramsToRawTable([playgroundRecord(1, 1, [[1, 2]]), playgroundRecord(2, 2, [[1], [2]])], 'playground')).toThrow(
      '2D histogram id 2 (run 316187, LS 2) has 2×1 bins but id 1 (run 316187, LS 1) has 1×2: one raw table holds one binning',
    );
  });
});
