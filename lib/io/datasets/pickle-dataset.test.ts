import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { realPickle } from '../pickle/pickle.fixtures';
import { table, type Table } from '../../data';
import { PickleDataset } from './pickle-dataset';
import { named, rejection, tempProjectRoot } from './dataset-test.fixtures';

const root = tempProjectRoot('dqm-pickle-ds-');

function dataset(filepath: string, extra: Record<string, unknown> = {}, name = 'raw_pixel_layer_1'): PickleDataset {
  return named(new PickleDataset({ filepath, ...extra }, { projectRoot: root }), name);
}

describe('PickleDataset', () => {
  it('loads the real pickle from an absolute path and describes itself', async () => {
    const ds = dataset(realPickle(1));
    const t = await ds.load();
    expect(t.rowCount).toBe(16);
    expect(Object.keys(t.columns)).toEqual(['run', 'lumi', 'map']);
    expect(ds.filepath).toBe(realPickle(1));
    expect(ds.describe()).toEqual({ type: 'PickleDataset', filepath: realPickle(1), format: 'pandas DataFrame pickle' });
    expect(await ds.exists()).toBe(true);
  });

  it('saves a Table under the project root (creating folders) and loads it back', async () => {
    const ds = dataset('data/02_intermediate/t.pkl', {}, 'features');
    expect(await ds.exists()).toBe(false);
    const t = table({ run: Int32Array.from([1, 2]), mean: Float64Array.from([0.5, 1.5]), label: ['a', 'b'] });
    await ds.save(t);
    expect(await ds.exists()).toBe(true);
    expect(ds.filepath).toBe('data/02_intermediate/t.pkl');
    expect(await ds.load()).toEqual(t);
    expect(fs.readdirSync(path.join(root, 'data/02_intermediate'))).toEqual(['t.pkl']);
  });

  it('a truncated pickle names the dataset, the file and where the stream ended', async () => {
    fs.mkdirSync(path.join(root, 'data/01_raw'), { recursive: true });
    fs.writeFileSync(path.join(root, 'data/01_raw/x.pkl'), fs.readFileSync(realPickle(1)).subarray(0, 1234));
    const ds = dataset('data/01_raw/x.pkl');
    expect(await rejection(ds.load())).toBe(
      "Failed while loading data from dataset 'raw_pixel_layer_1' (data/01_raw/x.pkl): truncated pickle: stream ended at byte 1234 inside BINUNICODE at byte 820 (expected STOP)",
    );
    await expect(ds.load()).rejects.toMatchObject({ code: 'PICKLE_ERROR' });
  });

  it('a pickled dict is not a DataFrame', async () => {
    // pickle.dumps({'run': 1}, protocol=4), built byte by byte
    const bytes = Buffer.concat([Buffer.from([0x80, 4, 0x95, 12, 0, 0, 0, 0, 0, 0, 0, 0x7d, 0x94, 0x8c, 3]), Buffer.from('run'), Buffer.from([0x94, 0x4b, 1, 0x73, 0x2e])]);
    fs.writeFileSync(path.join(root, 'dict.pkl'), bytes);
    expect(await rejection(dataset('dict.pkl').load())).toBe(
      "Failed while loading data from dataset 'raw_pixel_layer_1' (dict.pkl): not a pandas DataFrame pickle (found builtins.dict)",
    );
  });

  it('a missing file says so', async () => {
    expect(await rejection(dataset('data/01_raw/missing.pkl').load())).toBe(
      "Failed while loading data from dataset 'raw_pixel_layer_1' (data/01_raw/missing.pkl): the file does not exist (run the node that produces it first, or check 'filepath' in the catalog)",
    );
  });

  it('refuses to save what is not a Table, and keeps the old file when a save fails', async () => {
    const ds = dataset('keep.pkl', {}, 'kept');
    const good = table({ a: Int32Array.from([1]) });
    await ds.save(good);
    const histogramLike = { kind: 'histogram-set' } as unknown as Parameters<PickleDataset['save']>[0];
    expect(await rejection(ds.save(histogramLike))).toBe("Failed while saving data to dataset 'kept' (keep.pkl): PickleDataset saves a Table (a pandas DataFrame), got a histogram-set");
    const bad = table({ a: [undefined as unknown as string] });
    expect(await rejection(ds.save(bad))).toBe(
      "Failed while saving data to dataset 'kept' (keep.pkl): cannot pickle column 'a' row 0: a undefined value (object columns hold str, int, float, bool or None)",
    );
    expect(await ds.load()).toEqual(good);
    expect(fs.readdirSync(root).filter((f) => f.startsWith('keep.pkl'))).toEqual(['keep.pkl']);
  });

  it.each([
    [{ backend: 'joblib' }, "PickleDataset backend 'joblib' is not supported (only 'pickle': pandas DataFrame pickles)"],
    [{ save_args: { protocol: 4 } }, 'PickleDataset save_args.protocol 4 is not supported: it writes protocol 5 (Python >= 3.8, pandas >= 1.0)'],
    [{ load_args: { mmap_mode: 'r' } }, "PickleDataset load_args 'mmap_mode' is not supported (supported: encoding, errors, fix_imports, text_as_bytes)"],
    [{ load_args: { text_as_bytes: 'yes' } }, 'PickleDataset load_args.text_as_bytes must be true or false, got "yes"'],
    [{ filepath: undefined }, 'PickleDataset needs \'filepath\' (a non-empty string), got nothing'],
  ])('bad config %j', (extra, message) => {
    expect(() => dataset('x.pkl', extra)).toThrow(message);
  });

  it('loads long texts as views of the file bytes with load_args.text_as_bytes', async () => {
    const plain = (await dataset(realPickle(1)).load()) as Table;
    const asBytes = (await dataset(realPickle(1), { load_args: { text_as_bytes: true } }).load()) as Table;
    expect(Array.from(asBytes.columns.map as Uint8Array[], (m) => Buffer.from(m).toString('latin1'))).toEqual(plain.columns.map);
    expect(Array.from(asBytes.columns.lumi!)).toEqual(Array.from(plain.columns.lumi!));
  });

  it('accepts the pickle.load/dump arguments Kedro catalogs carry', () => {
    expect(() => dataset('x.pkl', { load_args: { encoding: 'latin1' }, save_args: { protocol: 5 } })).not.toThrow();
  });
});
