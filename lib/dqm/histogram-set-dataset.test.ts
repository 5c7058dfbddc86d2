import { mkdtempSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHistogramSet, mapOf, type HistogramSet } from '../data';
import { pixelMapShape } from './pixel-map';
import { HistogramSetDataset } from './histogram-set-dataset';
import { writeLegacyHsetFile } from './legacy-hset';
import { withH5File } from './hdf5/h5';

const FILE = 'data/02_intermediate/set.h5';

function sample(n = 3): HistogramSet {
  const h = createHistogramSet({ ...pixelMapShape(2), ny: 4, nx: 5 }, n, { rawSumSq: Float64Array.from({ length: n }, (_, i) => i * 1.5), rawBins: 42, normalisation: 'none' });
  h.run.fill(316187);
  h.lumi.set(Array.from({ length: n }, (_, i) => 100 + i));
  h.entries.set(Array.from({ length: n }, (_, i) => 1000 + i));
  h.values.forEach((_, k) => (h.values[k] = k * 0.25));
  return h;
}

function dataset(root: string, file = FILE): HistogramSetDataset {
  const ds = new HistogramSetDataset({ filepath: file }, { projectRoot: root });
  ds.name = 'preprocessed_raw_pixel_layer_2';
  return ds;
}

const tmpRoot = () => mkdtempSync(path.join(os.tmpdir(), 'hset-'));

/** Warnings emitted (process.emitWarning) while `run` goes. */
async function warningsDuring(run: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const listener = (w: Error) => seen.push(`${w.name}: ${w.message}`);
  process.on('warning', listener);
  try {
    await run();
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('warning', listener);
  }
  return seen;
}

describe('HistogramSetDataset', () => {
  it('writes HDF5 chunked per LS and round-trips every field, leaving no temp file', async () => {
    const root = tmpRoot();
    const h = sample();
    await dataset(root).save(h);
    const file = path.join(root, FILE);
    expect(readFileSync(file).subarray(0, 8).toString('latin1')).toBe('\x89HDF\r\n\x1a\n');
    const back = await dataset(root).load();
    expect(back).toEqual(h);
    expect(readdirSync(path.join(root, 'data/02_intermediate'))).toEqual(['set.h5']);
    const layout = await withH5File(file, 'r', FILE, (f) => {
      const v = f.get('values') as unknown as { shape: number[]; dtype: string; metadata: { chunks: number[] | null } };
      return { shape: v.shape, dtype: v.dtype, chunks: v.metadata.chunks, keys: f.keys().sort() };
    });
    expect(layout).toEqual({ shape: [3, 4, 5], dtype: '<f', chunks: [819, 4, 5], keys: ['entries', 'lumi', 'raw_sum_sq', 'run', 'values'] });
  });

  it('chunks a pixel map set one LS per chunk', async () => {
    const root = tmpRoot();
    const h = createHistogramSet(pixelMapShape(1), 2);
    await dataset(root).save(h);
    const chunks = await withH5File(path.join(root, FILE), 'r', FILE, (f) => (f.get('values') as unknown as { metadata: { chunks: number[] } }).metadata.chunks);
    expect(chunks).toEqual([1, h.ny, h.nx]);
  });

  it('round-trips a 1D set with its ME name, source and axis units', async () => {
    const root = tmpRoot();
    const h = createHistogramSet({ title: 'Cluster charge', name: 'chargeInner_PXLayer_1', source: { format: 'dqmio-csv', path: 'zb.csv', metype: 3 }, ny: 1, nx: 100, x: { min: 0, max: 80000, label: 'Charge', unit: 'e' }, y: { min: 0, max: 1, label: 'entries' } }, 2);
    h.values.fill(3);
    await dataset(root).save(h);
    expect(await dataset(root).load()).toEqual(h);
  });

  it('loads an empty set and a set without the optional fields', async () => {
    const root = tmpRoot();
    const h = createHistogramSet(pixelMapShape(1), 0);
    await dataset(root).save(h);
    expect(await dataset(root).load()).toEqual(h);
  });

  it('returns the same object while it is alive, reloads after the file changed', async () => {
    const root = tmpRoot();
    const ds = dataset(root);
    const h = sample();
    await ds.save(h);
    expect(await ds.load()).toBe(h);
    await dataset(root).save(sample(2));
    expect((await ds.load()).run.length).toBe(2);
    const noCache = new HistogramSetDataset({ filepath: FILE, cache: false }, { projectRoot: root });
    await noCache.save(h);
    expect(await noCache.load()).not.toBe(h);
  });

  it('reads one LS with the header, without the other maps', async () => {
    const root = tmpRoot();
    const h = sample(4);
    await dataset(root).save(h);
    const one = await dataset(root).loadLs(2);
    expect(one.ls).toBe(2);
    expect(Array.from(one.map)).toEqual(Array.from(mapOf(h, 2)));
    const { kind: _kind, values: _values, ...header } = h;
    expect(one.header).toEqual(header);
    await expect(dataset(root).loadLs(4)).rejects.toThrow(
      "Failed while loading data from dataset 'preprocessed_raw_pixel_layer_2' (data/02_intermediate/set.h5): LS index 4 is out of range: the file has 4 lumisections (0..3)",
    );
  });

  it('describes itself and checks existence', async () => {
    const root = tmpRoot();
    const ds = dataset(root);
    expect(await ds.exists()).toBe(false);
    expect(ds.describe()).toEqual({ type: 'HistogramSetDataset', filepath: FILE });
    expect(ds.filepath).toBe(FILE);
  });

  describe('an old .hset file', () => {
    it('still loads (whole and one LS), with one warning per file saying how to convert it', async () => {
      const root = tmpRoot();
      const h = sample();
      await writeLegacyHsetFile(path.join(root, 'data/old.hset'), h);
      const ds = dataset(root, 'data/old.hset');
      let back: HistogramSet | undefined;
      const warnings = await warningsDuring(async () => {
        back = (await ds.load()) as HistogramSet;
        await dataset(root, 'data/old.hset').load();
      });
      expect(back).toEqual(h);
      expect(warnings).toEqual(['DqmFormatWarning: data/old.hset is in the old .hset format; convert it to HDF5 with `dqm convert data/old.hset` (or re-run the node that writes it).']);
      expect(Array.from((await ds.loadLs(1)).map)).toEqual(Array.from(mapOf(h, 1)));
    });

    it('is replaced by HDF5 when its node saves again (same path, the catalog unchanged)', async () => {
      const root = tmpRoot();
      await writeLegacyHsetFile(path.join(root, 'data/old.hset'), sample());
      await dataset(root, 'data/old.hset').save(sample(2));
      expect(readFileSync(path.join(root, 'data/old.hset')).subarray(1, 4).toString()).toBe('HDF');
      expect((await dataset(root, 'data/old.hset').load()).run.length).toBe(2);
    });

    it('that is truncated fails clearly', async () => {
      const root = tmpRoot();
      const file = path.join(root, 'data/old.hset');
      await writeLegacyHsetFile(file, sample());
      const size = statSync(file).size;
      truncateSync(file, size - 10);
      await expect(dataset(root, 'data/old.hset').load()).rejects.toThrow(
        `Failed while loading data from dataset 'preprocessed_raw_pixel_layer_2' (data/old.hset): the file is truncated: expected ${size} bytes, found ${size - 10}`,
      );
    });
  });

  describe('fails clearly', () => {
    const prefix = `Failed while loading data from dataset 'preprocessed_raw_pixel_layer_2' (${FILE}): `;

    it('on a missing file', async () => {
      await expect(dataset(tmpRoot()).load()).rejects.toThrow(`${prefix}file not found: ${FILE}`);
      await expect(dataset(tmpRoot()).loadLs(0)).rejects.toThrow(`${prefix}file not found: ${FILE}`);
    });

    it('on a truncated file', async () => {
      const root = tmpRoot();
      await dataset(root).save(sample(50));
      const file = path.join(root, FILE);
      const size = statSync(file).size;
      truncateSync(file, size - 100);
      await expect(dataset(root).load()).rejects.toThrow(`${prefix}the file cannot be opened as HDF5: H5F__super_read(): truncated file: eof = ${size - 100}, sblock->base_addr = 0, stored_eof = ${size}`);
    });

    it('on a file of another format', async () => {
      const root = tmpRoot();
      const file = path.join(root, FILE);
      await dataset(root).save(sample());
      writeFileSync(file, 'run,lumi\n1,2\n');
      await expect(dataset(root).load()).rejects.toThrow(`${prefix}the file is not a histogram set: it is neither HDF5 nor the old .hset format (it starts with "run,lumi")`);
    });

    it('on an HDF5 file that holds something else', async () => {
      const root = tmpRoot();
      const file = path.join(root, FILE);
      await dataset(root).save(sample());
      await withH5File(file, 'w', FILE, (f) => {
        f.create_dataset({ name: 'images', data: new Float32Array(6), shape: [2, 3] });
      });
      await expect(dataset(root).load()).rejects.toThrow(`${prefix}the file is not a histogram set: it has no 'values' dataset (it holds: images)`);
      await withH5File(file, 'w', FILE, (f) => {
        f.create_dataset({ name: 'values', data: new Float32Array(6), shape: [2, 3] });
        f.create_dataset({ name: 'run', data: new Int32Array(2) });
        f.create_dataset({ name: 'lumi', data: new Int32Array(3) });
      });
      await expect(dataset(root).load()).rejects.toThrow(`${prefix}the file is not a histogram set: 'lumi' has 3 values, 'values' has 2 lumisections`);
    });

    it('on saving an inconsistent set, leaving the old file', async () => {
      const root = tmpRoot();
      const ds = dataset(root);
      await ds.save(sample());
      const bad = { ...sample(), lumi: new Int32Array(1) };
      await expect(ds.save(bad)).rejects.toThrow(
        `Failed while saving data to dataset 'preprocessed_raw_pixel_layer_2' (${FILE}): inconsistent HistogramSet 'clusterposition_zphi_PXLayer_2': 3 runs, 1 lumis, 3 entries, 60 values for 4×5 maps`,
      );
      expect((await dataset(root).load()).run.length).toBe(3);
      expect(readdirSync(path.join(root, 'data/02_intermediate'))).toEqual(['set.h5']);
    });
  });
});
