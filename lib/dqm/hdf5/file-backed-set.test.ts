import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHistogramSet, forEachBlock, isBlockReadable, lumisectionsOf, type AnyHistogramSet, type HistogramSet } from '../../data';
import { table } from '../../data';
import { HistogramSetDataset } from '../histogram-set-dataset';
import { centerOfMass, meanImage, perLsOverBlocks } from '../kernels';
import { histogramSetStream } from '../stream-histogram-set';
import { openFileBackedSet } from './file-backed-set';
import { writeHistogramSetH5 } from './write-set';

/** 37 LS of 3 × 4 maps with distinct values: blocks of 16 leave a partial last block. */
function sample(n = 37): HistogramSet {
  const h = createHistogramSet({ title: 'm', ny: 3, nx: 4, x: { min: 0, max: 4, label: 'z' }, y: { min: 0, max: 3, label: 'phi' } }, n, { rawSumSq: Float64Array.from({ length: n }, (_, i) => i), rawBins: 30 });
  h.run.fill(5);
  h.lumi.set(Array.from({ length: n }, (_, i) => i + 1));
  h.entries.set(Array.from({ length: n }, (_, i) => 10 + i));
  h.values.forEach((_, k) => (h.values[k] = Math.fround(Math.sin(k) * 100 + 100)));
  return h;
}

async function stored(h: HistogramSet): Promise<{ root: string; file: string }> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'file-backed-'));
  const file = path.join(root, 'set.h5');
  await writeHistogramSetH5(file, h);
  return { root, file };
}

describe('FileBackedHistogramSet', () => {
  it('gives the header at once and the maps in consecutive blocks, the last one partial', async () => {
    const h = sample();
    const { file } = await stored(h);
    const set = await openFileBackedSet(file, 'data/set.h5');
    expect(isBlockReadable(set)).toBe(true);
    expect([set.run.length, set.ny, set.nx, set.title, set.rawBins]).toEqual([37, 3, 4, 'm', 30]);
    const seen: Array<[number, number, number]> = [];
    set.forEachBlock(16, (block, start) => {
      seen.push([start, block.run.length, block.lumi[0]!]);
      expect(block.values).toEqual(h.values.subarray(start * 12, (start + block.run.length) * 12));
      expect(block.rawSumSq).toEqual(h.rawSumSq!.subarray(start, start + block.run.length));
    });
    expect(seen).toEqual([[0, 16, 1], [16, 16, 17], [32, 5, 33]]);
    expect(await set.materialise()).toEqual(h);
  });

  it('kernels over its blocks give the in-memory results bit for bit', async () => {
    const h = sample();
    const set = await openFileBackedSet((await stored(h)).file);
    expect(meanImage(set)).toEqual(meanImage(h));
    expect(perLsOverBlocks(set, (b) => centerOfMass(b))).toEqual(centerOfMass(h));
    const boom = new Error('kernel failed');
    expect(() => set.forEachBlock(16, () => {
      throw boom;
    })).toThrow(boom); // the kernel's own error, not an HDF5 read failure
    const sums: number[] = [];
    forEachBlock(set as AnyHistogramSet, (b) => sums.push(b.run.length), 10);
    expect(sums).toEqual([10, 10, 10, 7]);
  });

  it('a file changed since it was opened is a STALE_FILE error naming it', async () => {
    const { file } = await stored(sample());
    const set = await openFileBackedSet(file, 'data/02_intermediate/set.h5');
    writeFileSync(file, 'another run rewrote it');
    let error: unknown;
    try {
      set.forEachBlock(16, () => undefined);
    } catch (e) {
      error = e;
    }
    expect((error as { code?: string }).code).toBe('STALE_FILE');
    expect((error as Error).message).toMatch(/^data\/02_intermediate\/set\.h5 changed on disk after it was loaded \(\d+ → 22 bytes, modified .+\); load the dataset again$/);
    await expect(set.materialise()).rejects.toThrow(/^data\/02_intermediate\/set\.h5 changed on disk after it was loaded/);
  });
});

describe('HistogramSetDataset with lazy: true', () => {
  const mapText = (base: number) => `[${Array.from({ length: 20 }, (_, k) => (k < 5 || k >= 15 || k % 5 === 0 || k % 5 === 4 ? 0 : base + k)).join(', ')}]`;
  const options = { dataset: 'raw', crop: { rows: 4, cols: 5, border: 1 }, shape: { title: 't', ny: 2, nx: 3, x: { min: 0, max: 3, label: 'z' }, y: { min: 0, max: 2, label: 'phi' } } };

  it('saves a stream into its file (scratch beside it, then gone) and loads it file-backed', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'lazy-ds-'));
    const ds = new HistogramSetDataset({ filepath: 'data/02_intermediate/set.h5', lazy: true }, { projectRoot: root });
    ds.name = 'preprocessed_raw_pixel_layer_1';
    const raw = table({ run: Int32Array.of(1, 1, 1), lumi: Int32Array.of(3, 1, 2), map: [mapText(30), mapText(10), mapText(20)] });
    const stream = histogramSetStream(raw, options);
    await ds.save(stream);
    // The run store counts the saved LS from the header the stream wrote.
    expect(Array.from(lumisectionsOf(stream)!.lumi)).toEqual([1, 2, 3]);
    expect(readdirSync(path.join(root, 'data/02_intermediate'))).toEqual(['set.h5']);
    const set = await ds.load();
    expect(isBlockReadable(set)).toBe(true);
    expect(set.kind === 'block-histogram-set' && (await set.materialise())).toEqual(await histogramSetStream(raw, options).materialise());
    expect(ds.describe()).toEqual({ type: 'HistogramSetDataset', filepath: 'data/02_intermediate/set.h5', lazy: true });
  });

  it('refuses a lazy flag that is not a boolean', () => {
    expect(() => new HistogramSetDataset({ filepath: 'x.h5', lazy: 'yes' }, { projectRoot: '/' })).toThrow("dqm.HistogramSetDataset 'lazy' must be true or false (got \"yes\")");
  });
});
