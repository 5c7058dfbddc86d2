import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { table, type Table } from '../../data';
import { readPandasPickle, writePandasPickle } from './index';
import { fixture, readWithPandas, readWithPython, realPickle } from './pickle.fixtures';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-pickle-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const LUMIS = [1805, 1826, 1827, 1828, 107, 108, 109, 110, 308, 309, 310, 312, 473, 474, 475, 476];

function read(file: string): Table {
  return readPandasPickle(fs.readFileSync(file));
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected an error');
}

describe('readPandasPickle on the real Run 316187 pickles', () => {
  it.each([1, 2] as const)('layer %i: run, lumi as Int32Array and 16 maps of 202x302 values', (layer) => {
    const t = read(realPickle(layer));
    expect(Object.keys(t.columns)).toEqual(['run', 'lumi', 'map']);
    expect(t.rowCount).toBe(16);
    expect(t.columns.run).toEqual(new Int32Array(16).fill(316187));
    expect(t.columns.lumi).toEqual(Int32Array.from(LUMIS));
    for (const m of t.columns.map as string[]) {
      const values = JSON.parse(m) as number[]; // the map is a Python list literal of ints
      expect(values).toHaveLength(202 * 302);
      expect(values.every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
    }
  });

  it('agrees with Python pickle + numpy on every value', () => {
    const t = read(realPickle(2));
    const py = readWithPython(realPickle(2));
    expect(py.dtypes).toEqual({ run: 'int64', lumi: 'int64', map: 'object' });
    expect(Array.from(t.columns.run as Int32Array)).toEqual(py.columns.run);
    expect(Array.from(t.columns.lumi as Int32Array)).toEqual(py.columns.lumi);
    expect(t.columns.map).toEqual(py.columns.map);
  });

  it.each([1, 2] as const)('layer %i: re-encoding the Table gives back the original bytes exactly', (layer) => {
    const original = fs.readFileSync(realPickle(layer));
    const again = writePandasPickle(readPandasPickle(original));
    expect(again.equals(original)).toBe(true);
  });
});

describe('readPandasPickle on pickles of every protocol', () => {
  it.each([2, 3, 4, 5])('protocol %i: int64 (both widths), str, float64, bool, object, float32; non-contiguous block', (p) => {
    const t = read(fixture(`mixed-p${p}.pkl`));
    expect(Object.keys(t.columns)).toEqual(['i', 's', 'f', 'i2', 'b', 'o', 'f32']);
    expect(t.columns.i).toEqual(Int32Array.from([1, -2, 3]));
    expect(t.columns.i2).toEqual(Float64Array.from([2 ** 31, -(2 ** 40), 7])); // does not fit int32
    expect(t.columns.s).toEqual(['a', 'é ü', `${'x'.repeat(70)}ñ`]);
    expect(t.columns.f).toEqual(Float64Array.from([0.5, -1.25, Number.NaN]));
    expect(t.columns.b).toEqual([true, false, true]);
    expect(t.columns.o).toEqual(['text', null, 1.5]);
    expect(t.columns.f32).toEqual(Float32Array.from([1.5, 2.5, -3]));
  });

  it.each([2, 3, 4, 5])('protocol %i as pandas 1.5 writes it: BlockManager(blocks, axes) with _unpickle_block', (p) => {
    // written by make_pandas_fixtures.py with pandas 1.5.3 + numpy 1.24
    const t = read(fixture(`pandas1-p${p}.pkl`));
    expect(t).toEqual(
      table({
        run: Int32Array.from([316187, 316187, 316188]),
        lumi: Int32Array.from([1, 2, 3]),
        mean: Float64Array.from([0.5, Number.NaN, -2.25]),
        label: ['a', 'é', 'x'.repeat(100)],
        ok: [true, false, true],
        big: Float64Array.from([2 ** 40, -1, 0]),
      }),
    );
  });

  it.each(['fortran-p4.pkl', 'fortran-p5.pkl'])('%s: a block stored in Fortran order', (name) => {
    const t = read(fixture(name));
    expect(t.columns).toEqual({ a: Int32Array.from([10, 11, 12, 13]), b: Int32Array.from([20, 21, 22, 23]) });
  });
});

describe('readPandasPickle: bad input gets a clear message', () => {
  const real = fs.readFileSync(realPickle(1));

  it('an empty file', () => {
    expect(errorOf(() => readPandasPickle(new Uint8Array(0)))).toBe('empty file: not a pickle (0 bytes)');
  });

  it('a CSV file', () => {
    expect(errorOf(() => readPandasPickle(Buffer.from('run,lumi\n1,2\n')))).toBe(
      "not a pickle: the file starts with byte 0x72 'r', expected 0x80 (PROTO); only pickle protocols 2-5 are supported",
    );
  });

  it('a protocol 0 pickle', () => {
    expect(errorOf(() => readPandasPickle(Buffer.from('(dp0\n.')))).toBe(
      "not a pickle: the file starts with byte 0x28 '(', expected 0x80 (PROTO); only pickle protocols 2-5 are supported",
    );
  });

  it('a future protocol', () => {
    expect(errorOf(() => readPandasPickle(Uint8Array.from([0x80, 6, 0x4e, 0x2e])))).toBe('unsupported pickle protocol 6 (protocols 2-5 are supported)');
  });

  it.each([
    [1, 'truncated pickle: stream ended at byte 1 inside PROTO at byte 0 (expected STOP)'],
    [2, 'truncated pickle: stream ended at byte 2 (expected STOP)'],
    [5, 'truncated pickle: stream ended at byte 5 inside FRAME at byte 2 (expected STOP)'],
    [300, 'truncated pickle: stream ended at byte 300 inside BININT at byte 297 (expected STOP)'],
    [302, 'truncated pickle: stream ended at byte 302 (expected STOP)'],
    [600, 'truncated pickle: stream ended at byte 600 inside BYTEARRAY8 at byte 473 (expected STOP)'],
    [1000, 'truncated pickle: stream ended at byte 1000 inside BINUNICODE at byte 820 (expected STOP)'],
    [2_000_000, 'truncated pickle: stream ended at byte 2000000 inside BINUNICODE at byte 1950970 (expected STOP)'],
    [3_131_845, 'truncated pickle: stream ended at byte 3131845 (expected STOP)'],
  ])('the real pickle truncated to %i bytes', (n, message) => {
    expect(errorOf(() => readPandasPickle(real.subarray(0, n)))).toBe(message);
  });

  it('an unknown opcode', () => {
    const bad = Buffer.from(real);
    bad[45] = 0xff; // EMPTY_TUPLE after the DataFrame global
    expect(errorOf(() => readPandasPickle(bad))).toBe('corrupt pickle: unknown or unsupported opcode 0xff at byte 45');
  });

  it('a memo reference to nothing', () => {
    const bad = Buffer.from(real);
    bad[158] = 200; // BINGET 11 -> BINGET 200
    expect(errorOf(() => readPandasPickle(bad))).toBe('corrupt pickle: memo entry 200 was never stored (BINGET at byte 157)');
  });

  it('an int64 block whose bytes do not match its shape', () => {
    const bad = Buffer.from(real);
    bad[780] = 17; // shape (2, 16) -> (2, 17)
    expect(errorOf(() => readPandasPickle(bad))).toBe(
      'corrupt pickle: numpy int64 array of shape (2, 17) needs 272 bytes, found 256 (numpy array built at byte 789)',
    );
  });

  it.each([
    ['dict-p4.pkl', 'not a pandas DataFrame pickle (found builtins.dict)'],
    ['list-p5.pkl', 'not a pandas DataFrame pickle (found builtins.list)'],
    ['series-p5.pkl', 'not a pandas DataFrame pickle (found pandas.core.series.Series)'],
    ['datetime-p5.pkl', "column 't' has numpy dtype datetime64 (supported: int8-64, uint8-64, float32, float64, bool, object)"],
    ['duplicate-p5.pkl', "unexpected pandas DataFrame layout: duplicate column name 'a' (a Table needs unique column names)"],
    ['categorical-p5.pkl', "column(s) 'c' hold a pandas.core.arrays.categorical.Categorical, not a numpy array (only numpy-backed columns are supported: int, float, bool, object)"],
  ])('%s', (name, message) => {
    expect(errorOf(() => read(fixture(name)))).toBe(message);
  });
});

describe('writePandasPickle', () => {
  const mixed = (): Table =>
    table({
      run: Int32Array.from([316187, 316187, 316188]),
      name: ['a', 'é', 'long '.repeat(30)],
      mean: Float64Array.from([0.25, Number.NaN, -1e300]),
      lumi: Int32Array.from([-5, 0, 2 ** 31 - 1]),
      ok: [true, false, true],
      note: ['x', null, 2.5],
      f32: Float32Array.from([1.5, 0, -2]),
    });

  it('round-trips every column type, with int blocks spread over non-adjacent columns', () => {
    expect(readPandasPickle(writePandasPickle(mixed()))).toEqual(mixed());
  });

  it('round-trips large maps (payloads beyond a frame) and an empty table', () => {
    const maps = Array.from({ length: 3 }, (_, i) => `[${Array.from({ length: 61004 }, (_, j) => (i * j) % 97).join(', ')}]`);
    const big = table({ run: Int32Array.from([1, 2, 3]), lumi: Int32Array.from([7, 8, 9]), map: maps });
    expect(readPandasPickle(writePandasPickle(big))).toEqual(big);
    const empty = table({ run: new Int32Array(0), map: [] });
    expect(readPandasPickle(writePandasPickle(empty))).toEqual(empty);
  });

  it('writes what Python pickle + numpy load as the same DataFrame, with pandas dtypes', () => {
    const file = path.join(tmp, 'mixed.pkl');
    fs.writeFileSync(file, writePandasPickle(mixed()));
    const py = readWithPython(file);
    expect(py.rows).toBe(3);
    expect(py.dtypes).toEqual({ run: 'int64', name: 'object', mean: 'float64', lumi: 'int64', ok: 'bool', note: 'object', f32: 'float32' });
    expect(py.columns).toEqual({
      run: [316187, 316187, 316188],
      name: ['a', 'é', 'long '.repeat(30)],
      mean: [0.25, null, -1e300],
      lumi: [-5, 0, 2 ** 31 - 1],
      ok: [true, false, true],
      note: ['x', null, 2.5],
      f32: [1.5, 0, -2],
    });
  });

  it('writes pickles real pandas loads with the same dtypes and values', () => {
    const file = path.join(tmp, 'for-pandas.pkl');
    fs.writeFileSync(file, writePandasPickle(mixed()));
    const df = readWithPandas(file);
    expect(df.index).toBe('RangeIndex');
    expect(df.dtypes).toEqual({ run: 'int64', name: 'object', mean: 'float64', lumi: 'int64', ok: 'bool', note: 'object', f32: 'float32' });
    expect(df.columns).toEqual({
      run: [316187, 316187, 316188],
      name: ['a', 'é', 'long '.repeat(30)],
      mean: [0.25, null, -1e300],
      lumi: [-5, 0, 2 ** 31 - 1],
      ok: [true, false, true],
      note: ['x', null, 2.5],
      f32: [1.5, 0, -2],
    });
    const real = readPandasPickle(fs.readFileSync(realPickle(2)));
    fs.writeFileSync(file, writePandasPickle(real));
    const again = readWithPandas(file);
    expect(again.dtypes).toEqual({ run: 'int64', lumi: 'int64', map: 'object' });
    expect(again.columns.map).toEqual(real.columns.map);
  });

  it('refuses values an object column cannot hold, naming column and row', () => {
    const bad = table({ a: Int32Array.from([1, 2]), note: ['x', { y: 1 } as unknown as string] });
    expect(errorOf(() => writePandasPickle(bad))).toBe(
      "cannot pickle column 'note' row 1: a object value (object columns hold str, int, float, bool or None)",
    );
  });
});

describe('textAsBytes', () => {
  it('gives long ASCII texts as views of the pickle, short or non-ASCII ones as strings, and writes them back the same', () => {
    const long = `[${new Array(200).fill(7).join(', ')}]`;
    const accented = `é${long}`;
    const t = table({ run: Int32Array.of(1, 2, 3), name: ['short', long, accented] });
    const bytes = writePandasPickle(t);
    const back = readPandasPickle(bytes, { textAsBytes: true });
    const [short, view, nonAscii] = back.columns.name!;
    expect([short, nonAscii]).toEqual(['short', accented]);
    expect(view).toBeInstanceOf(Uint8Array);
    expect((view as Uint8Array).buffer).toBe(bytes.buffer);
    expect(Buffer.from(view as Uint8Array).toString('latin1')).toBe(long);
    // A table holding the bytes pickles exactly as the one holding the string.
    expect(writePandasPickle(back).equals(bytes)).toBe(true);
    expect(readPandasPickle(bytes)).toEqual(t);
  });
});
