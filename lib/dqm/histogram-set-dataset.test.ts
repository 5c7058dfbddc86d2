import { mkdtempSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHistogramSet, type HistogramSet } from '../data';
import { pixelMapShape } from './pixel-map';
import { HistogramSetDataset } from './histogram-set-dataset';

function sample(n = 3): HistogramSet {
  const h = createHistogramSet({ ...pixelMapShape(2), ny: 4, nx: 5 }, n, { rawSumSq: Float64Array.from({ length: n }, (_, i) => i * 1.5), rawBins: 42, normalisation: 'none' });
  h.run.fill(316187);
  h.lumi.set(Array.from({ length: n }, (_, i) => 100 + i));
  h.entries.set(Array.from({ length: n }, (_, i) => 1000 + i));
  h.values.forEach((_, k) => (h.values[k] = k * 0.25));
  return h;
}

function dataset(root: string, file = 'data/02_intermediate/set.hset'): HistogramSetDataset {
  const ds = new HistogramSetDataset({ filepath: file }, { projectRoot: root });
  ds.name = 'preprocessed_raw_pixel_layer_2';
  return ds;
}

describe('HistogramSetDataset', () => {
  it('round-trips every field, with 8-byte aligned arrays viewing one buffer', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'hset-'));
    const h = sample();
    await dataset(root).save(h);
    const back = await new HistogramSetDataset({ filepath: 'data/02_intermediate/set.hset' }, { projectRoot: root }).load();
    expect(back).toEqual(h);
    expect(back.values.buffer).toBe(back.run.buffer);
    expect(back.values.byteOffset % 8).toBe(0);
    expect(readdirSync(path.join(root, 'data/02_intermediate'))).toEqual(['set.hset']);
  });

  it('round-trips a 1D set with its ME name, source and axis units', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'hset-'));
    const h = createHistogramSet({ title: 'Cluster charge', name: 'chargeInner_PXLayer_1', source: { format: 'dqmio-csv', path: 'zb.csv', metype: 3 }, ny: 1, nx: 100, x: { min: 0, max: 80000, label: 'Charge', unit: 'e' }, y: { min: 0, max: 1, label: 'entries' } }, 2);
    h.values.fill(3);
    await dataset(root).save(h);
    expect(await new HistogramSetDataset({ filepath: 'data/02_intermediate/set.hset' }, { projectRoot: root }).load()).toEqual(h);
  });

  it('loads an empty set and a set without the optional fields', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'hset-'));
    const h = createHistogramSet(pixelMapShape(1), 0);
    await dataset(root).save(h);
    expect(await new HistogramSetDataset({ filepath: 'data/02_intermediate/set.hset' }, { projectRoot: root }).load()).toEqual(h);
  });

  it('returns the same object while it is alive, reloads after the file changed', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'hset-'));
    const ds = dataset(root);
    const h = sample();
    await ds.save(h);
    expect(await ds.load()).toBe(h);
    await dataset(root).save(sample(2));
    expect((await ds.load()).run.length).toBe(2);
    const noCache = new HistogramSetDataset({ filepath: 'data/02_intermediate/set.hset', cache: false }, { projectRoot: root });
    await noCache.save(h);
    expect(await noCache.load()).not.toBe(h);
  });

  it('describes itself and checks existence', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'hset-'));
    const ds = dataset(root);
    expect(await ds.exists()).toBe(false);
    expect(ds.describe()).toEqual({ type: 'HistogramSetDataset', filepath: 'data/02_intermediate/set.hset' });
    expect(ds.filepath).toBe('data/02_intermediate/set.hset');
  });

  describe('fails clearly', () => {
    const prefix = "Failed while loading data from dataset 'preprocessed_raw_pixel_layer_2' (data/02_intermediate/set.hset): ";

    it('on a missing file', async () => {
      const root = mkdtempSync(path.join(os.tmpdir(), 'hset-'));
      await expect(dataset(root).load()).rejects.toThrow(`${prefix}file not found: data/02_intermediate/set.hset`);
    });

    it('on a truncated file', async () => {
      const root = mkdtempSync(path.join(os.tmpdir(), 'hset-'));
      await dataset(root).save(sample());
      const file = path.join(root, 'data/02_intermediate/set.hset');
      const size = statSync(file).size;
      truncateSync(file, size - 10);
      const fresh = dataset(root);
      await expect(fresh.load()).rejects.toThrow(`${prefix}the file is truncated: expected ${size} bytes, found ${size - 10}`);
      truncateSync(file, 20);
      await expect(fresh.load()).rejects.toThrow(new RegExp(`is truncated: the header needs \\d+ bytes, the file has 20$`));
    });

    it('on a file of another format', async () => {
      const root = mkdtempSync(path.join(os.tmpdir(), 'hset-'));
      const file = path.join(root, 'data/02_intermediate/set.hset');
      await dataset(root).save(sample());
      writeFileSync(file, 'run,lumi\n1,2\n');
      await expect(dataset(root).load()).rejects.toThrow(`${prefix}the file is not a HistogramSet file (it does not start with 'DQMHSET1')`);
    });

    it('on a corrupt header', async () => {
      const root = mkdtempSync(path.join(os.tmpdir(), 'hset-'));
      const file = path.join(root, 'data/02_intermediate/set.hset');
      await dataset(root).save(sample());
      const bytes = readFileSync(file);
      bytes.write('{', 16 + 10, 'latin1');
      writeFileSync(file, bytes);
      await expect(dataset(root).load()).rejects.toThrow(new RegExp(`^${prefix.replace(/[()]/g, '\\$&')}the file has a corrupt header \\(not JSON\\): `));
      await dataset(root).save(sample());
      const good = readFileSync(file);
      const json = good.toString('latin1', 16, 16 + good.readUInt32LE(8)).replace('"ny":4', '"ny":9');
      good.write(json, 16, 'latin1');
      writeFileSync(file, good);
      await expect(dataset(root).load()).rejects.toThrow(`${prefix}the file has a corrupt header: section 'values' is 60 × float32, expected 135 × float32`);
    });

    it('on saving an inconsistent set, leaving the old file', async () => {
      const root = mkdtempSync(path.join(os.tmpdir(), 'hset-'));
      const ds = dataset(root);
      await ds.save(sample());
      const bad = { ...sample(), lumi: new Int32Array(1) };
      await expect(ds.save(bad)).rejects.toThrow(
        "Failed while saving data to dataset 'preprocessed_raw_pixel_layer_2' (data/02_intermediate/set.hset): inconsistent HistogramSet 'clusterposition_zphi_PXLayer_2': 3 runs, 1 lumis, 3 entries, 60 values for 4×5 maps",
      );
      expect((await dataset(root).load()).run.length).toBe(3);
    });
  });
});
