import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LumiMask, LumiMaskError, loadLumiMask } from './index';
import { sharedPath } from '../../../tests/shared-data.fixtures';

const SHARED = sharedPath('data');

function tmpFile(name: string, text: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumimask-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

function errorOf(fn: () => unknown): LumiMaskError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(LumiMaskError);
    return error as LumiMaskError;
  }
  throw new Error('expected a LumiMaskError');
}

describe('LumiMask from Golden JSON', () => {
  it('parses the real 2018 golden JSON', () => {
    const mask = loadLumiMask(path.join(SHARED, 'lumimasks/golden_2018.json'));
    expect(mask.runCount).toBe(478);
    expect(mask.rangeCount).toBe(762);
    expect(mask.lumiCount).toBe(234529);
    expect(mask.ranges(315257)).toEqual([[1, 88], [91, 92]]);
    expect(mask.contains(315257, 1)).toBe(true);
    expect(mask.contains(315257, 88)).toBe(true);
    expect(mask.contains(315257, 89)).toBe(false);
    expect(mask.contains(315257, 92)).toBe(true);
    expect(mask.contains(315257, 93)).toBe(false);
    expect(mask.contains(999999, 1)).toBe(false);
  });

  it('parses the real 2018 DCS-only JSON, whose ranges come unsorted, and sorts them', () => {
    const mask = loadLumiMask(path.join(SHARED, 'lumimasks/dcsonly_2018.json'));
    expect(mask.runCount).toBe(681);
    expect(mask.lumiCount).toBe(258508);
    expect(mask.ranges(314515)).toEqual([[1, 5], [6, 6], [7, 75]]);
    expect(mask.contains(314515, 6)).toBe(true);
    // round trip: the Golden JSON written back parses to the same mask
    const again = LumiMask.fromGoldenJson(JSON.parse(JSON.stringify(mask.toGoldenJson())));
    expect(again.toGoldenJson()).toEqual(mask.toGoldenJson());
  });

  it('selects indices of (run, lumi) arrays inside the mask', () => {
    const mask = LumiMask.fromGoldenJson({ '316187': [[1, 3], [10, 10]] });
    const idx = mask.select(Int32Array.from([316187, 316187, 316187, 316188, 316187]), Int32Array.from([1, 4, 10, 1, 3]));
    expect([...idx]).toEqual([0, 2, 4]);
    expect(mask.describe()).toBe('1 runs, 2 ranges, 4 lumisections');
  });

  it('builds merged ranges from pairs', () => {
    const mask = LumiMask.fromPairs([5, 5, 5, 5, 7, 5], [3, 1, 2, 2, 9, 8]);
    expect(mask.toGoldenJson()).toEqual({ '5': [[1, 3], [8, 8]], '7': [[9, 9]] });
  });

  const bad: Array<[string, unknown, string]> = [
    ['not an object', [[1, 2]], 'Lumi mask m.json: expected an object {"<run>": [[first, last], ...]}, got an array'],
    ['non-numeric run', { abc: [[1, 2]] }, "Lumi mask m.json: run 'abc' is not a run number (expected a positive integer)"],
    ['run 0', { '0': [[1, 2]] }, "Lumi mask m.json: run '0' is not a run number (expected a positive integer)"],
    ['ranges not a list', { '316187': { a: 1 } }, 'Lumi mask m.json: run 316187 must be a list of [first, last] lumisection ranges, got an object'],
    ['range not a pair', { '316187': [[1, 2, 3]] }, 'Lumi mask m.json: run 316187 range #1 must be a [first, last] pair, got [1,2,3]'],
    ['flat range', { '316187': [1, 2] }, 'Lumi mask m.json: run 316187 range #1 must be a [first, last] pair, got 1'],
    ['non-numeric LS', { '316187': [[1, 'x']] }, 'Lumi mask m.json: run 316187 range [1,"x"]: lumisections must be integers'],
    ['fractional LS', { '316187': [[1.5, 3]] }, 'Lumi mask m.json: run 316187 range [1.5,3]: lumisections must be integers'],
    ['LS below 1', { '316187': [[0, 5]] }, 'Lumi mask m.json: run 316187 range [0, 5]: lumisections start at 1'],
    ['reversed range', { '316187': [[300, 250]] }, 'Lumi mask m.json: run 316187 range [300, 250] is reversed (first > last)'],
    ['overlapping ranges', { '316187': [[250, 300], [1, 200], [150, 249]] }, 'Lumi mask m.json: run 316187 ranges [1, 200] and [150, 249] overlap'],
    ['touching ranges', { '316187': [[1, 200], [200, 300]] }, 'Lumi mask m.json: run 316187 ranges [1, 200] and [200, 300] overlap'],
  ];
  for (const [what, json, message] of bad) {
    it(`rejects ${what} with a clear message`, () => {
      const error = errorOf(() => LumiMask.fromGoldenJson(json, 'm.json'));
      expect(error.message).toBe(message);
      expect(error.code).toBe('LUMI_MASK_ERROR');
      expect(error.file).toBe('m.json');
    });
  }

  it('names the run of a bad range', () => {
    expect(errorOf(() => LumiMask.fromGoldenJson({ '316187': [[3, 2]] }, 'm.json')).run).toBe('316187');
  });

  it('rejects a file that is not JSON, a missing file and an unknown extension', () => {
    const broken = tmpFile('broken.json', '{"316187": [[1, 2]');
    expect(errorOf(() => loadLumiMask(broken)).message).toMatch(new RegExp(`^Lumi mask ${escape(broken)} is not valid JSON: `));
    const missing = path.join(os.tmpdir(), 'no-such-mask-xyz.json');
    expect(errorOf(() => loadLumiMask(missing)).message).toBe(
      `Lumi mask ${missing} cannot be read: ENOENT: no such file or directory, open '${missing}'`,
    );
    expect(errorOf(() => loadLumiMask('mask.txt')).message).toBe("Lumi mask mask.txt: unsupported extension '.txt' (expected .json or .csv)");
  });

  it('names the file of a bad mask on disk', () => {
    const file = tmpFile('bad.json', JSON.stringify({ '316187': [[5, 1]] }));
    expect(errorOf(() => loadLumiMask(file)).message).toBe(`Lumi mask ${file}: run 316187 range [5, 1] is reversed (first > last)`);
  });
});

describe('LumiMask from CSV', () => {
  it("parses the website's task.csv export", () => {
    const mask = loadLumiMask(path.join(SHARED, 'run297176/task.csv'));
    expect(mask.toGoldenJson()).toEqual({ '297176': [[118, 119], [121, 122], [189, 190], [192, 195]] });
    expect(mask.lumiCount).toBe(10);
  });

  it('accepts column aliases, extra columns, blank lines and duplicates', () => {
    const mask = LumiMask.fromCsv('run_number,ls_number,label\n1,2,x\n\n1,3,y\n1,2,z\n', 't.csv');
    expect(mask.toGoldenJson()).toEqual({ '1': [[2, 3]] });
  });

  it('a BOM, CRLF, trailing blank lines and quoted fields (commas, doubled quotes) read as csv-parse reads them', () => {
    const text = '\uFEFFrun,lumisection,comment\r\n"297176",118,"hot, pixel"\r\n297176,"119","say ""bad"""\r\n\r\n\r\n';
    expect(LumiMask.fromCsv(text, 't.csv').toGoldenJson()).toEqual({ '297176': [[118, 119]] });
  });

  const bad: Array<[string, string, string]> = [
    ['an unterminated quote', 'run,lumisection\n1,"2\n', 'Lumi mask t.csv line 2: opens a quoted field that is never closed'],
    ['a wrong header', 'a,b\n1,2\n', "Lumi mask t.csv line 1: expected a header with columns 'run' and 'lumisection', got 'a,b'"],
    ['a short row', 'run,lumisection\n1,2\n3\n', 'Lumi mask t.csv line 3: expected 2 values, got 1'],
    ['a non-numeric run', 'run,lumisection\nabc,2\n', "Lumi mask t.csv line 2: run 'abc' is not a run number"],
    ['a non-numeric LS', 'run,lumisection\n1,x\n', "Lumi mask t.csv line 2: lumisection 'x' is not a lumisection number"],
    ['LS 0', 'run,lumisection\n1,0\n', 'Lumi mask t.csv line 2: lumisection 0 is below 1 (lumisections start at 1)'],
    ['an empty file', '\n', "Lumi mask t.csv is empty (expected a header 'run,lumisection')"],
  ];
  for (const [what, text, message] of bad) {
    it(`rejects ${what}`, () => {
      expect(errorOf(() => LumiMask.fromCsv(text, 't.csv')).message).toBe(message);
    });
  }
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
