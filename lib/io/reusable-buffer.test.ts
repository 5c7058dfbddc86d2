import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { table } from '../data';
import { DataCatalog, type Partitions } from './index';
import { ReusableBuffer } from './reusable-buffer';
import { PickleDataset } from './datasets/pickle-dataset';
import { named, rejection, tempProjectRoot } from './datasets/dataset-test.fixtures';
import { realPickle } from './pickle/pickle.fixtures';

const root = tempProjectRoot('dqm-reusable-buffer-');
const file = (name: string, bytes: Buffer) => {
  const p = path.join(root, name);
  fs.writeFileSync(p, bytes);
  return p;
};
const bytes = (n: number, seed: number) => {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = (i * 7 + seed) & 255;
  return b;
};

describe('ReusableBuffer', () => {
  it('reads each file exactly, into the same memory while it fits, into a bigger buffer when not', async () => {
    const buffer = new ReusableBuffer();
    const a = await buffer.readFile(file('a.bin', bytes(1000, 1)));
    expect(a.equals(bytes(1000, 1))).toBe(true);
    const b = await buffer.readFile(file('b.bin', bytes(600, 2)));
    expect(b.equals(bytes(600, 2))).toBe(true);
    expect(b.buffer).toBe(a.buffer); // no new memory for a smaller file
    expect(a.subarray(0, 600).equals(bytes(600, 2))).toBe(true); // and the old view sees the new bytes: why callers must be done with it
    const c = await buffer.readFile(file('c.bin', bytes(20_000_000, 3))); // bigger than one 8 MiB read step
    expect(c.equals(bytes(20_000_000, 3))).toBe(true);
    expect(c.buffer).not.toBe(a.buffer);
    expect((await buffer.readFile(file('empty.bin', Buffer.alloc(0)))).length).toBe(0);
  });

  it('a missing file rejects as fs.readFile does (ENOENT), and the buffer still works after', async () => {
    const buffer = new ReusableBuffer();
    await expect(buffer.readFile(path.join(root, 'nope.bin'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await buffer.readFile(file('d.bin', bytes(10, 4)))).equals(bytes(10, 4))).toBe(true);
  });
});

describe('PickleDataset.loadInto', () => {
  const dataset = (filepath: string) => named(new PickleDataset({ filepath, load_args: { text_as_bytes: true } }, { projectRoot: root }), 'raw_pixel_layer_1');

  it('loads the real pickle as load() does, its map texts views of the reused buffer', async () => {
    const ds = dataset(realPickle(1));
    const buffer = new ReusableBuffer();
    const into = await ds.loadInto(buffer);
    const plain = await ds.load();
    expect(into.rowCount).toBe(16);
    expect([...into.columns.run!]).toEqual([...plain.columns.run!]);
    expect([...into.columns.lumi!]).toEqual([...plain.columns.lumi!]);
    for (let r = 0; r < 16; r++) expect(Buffer.from(into.columns.map![r] as Uint8Array).equals(plain.columns.map![r] as Uint8Array)).toBe(true);
    const first = into.columns.map![0] as Uint8Array;
    const again = await ds.loadInto(buffer);
    expect((again.columns.map![0] as Uint8Array).buffer).toBe(first.buffer);
  });

  it('fails with the message load() gives: a missing file, a truncated pickle', async () => {
    const missing = dataset('data/01_raw/missing.pkl');
    const message = await rejection(missing.load());
    expect(message).toBe(
      "Failed while loading data from dataset 'raw_pixel_layer_1' (data/01_raw/missing.pkl): the file does not exist (run the node that produces it first, or check 'filepath' in the catalog)",
    );
    expect(await rejection(missing.loadInto(new ReusableBuffer()))).toBe(message);
    file('cut.pkl', fs.readFileSync(realPickle(1)).subarray(0, 1234));
    expect(await rejection(dataset('cut.pkl').loadInto(new ReusableBuffer()))).toBe(
      "Failed while loading data from dataset 'raw_pixel_layer_1' (cut.pkl): truncated pickle: stream ended at byte 1234 inside BINUNICODE at byte 820 (expected STOP)",
    );
  });
});

describe("PartitionedDataset's loaders", () => {
  it('offer loadInto for pickle partitions, not for others', async () => {
    const catalog = DataCatalog.fromConfig(
      {
        pickles: { type: 'partitions.PartitionedDataset', path: 'parts/pkl', dataset: { type: 'pickle.PickleDataSet', load_args: { text_as_bytes: true } }, filename_suffix: '.pkl' },
        jsons: { type: 'partitions.PartitionedDataset', path: 'parts/json', dataset: 'json.JSONDataset', filename_suffix: '.json' },
      },
      { projectRoot: root },
    );
    const t = table({ run: Int32Array.from([1]), lumi: Int32Array.from([2]), map: ['[1, 2]'] });
    await catalog.save('pickles', { run_1: t });
    await catalog.save('jsons', { run_1: { lumi: 1 } });
    const pickles = (await catalog.load('pickles')) as Partitions<unknown>;
    const loaded = await pickles.run_1!.loadInto!(new ReusableBuffer());
    expect(loaded).toEqual(await pickles.run_1!());
    expect(pickles.run_1!.filepath).toBe('parts/pkl/run_1.pkl');
    const jsons = (await catalog.load('jsons')) as Partitions<unknown>;
    expect(jsons.run_1!.loadInto).toBeUndefined();
  });
});
