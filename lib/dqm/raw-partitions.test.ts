import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { table } from '../data';
import { DataCatalog, type Partitions } from '../io';
import { buildHistogramSet, type BuildOptions } from './build-histogram-set';
import { readHistogramSetH5 } from './hdf5/read-set';
import { partitionsOf, rawPartitions, type RawPartition } from './raw-partitions';
import { streamHistogramSet } from './stream-histogram-set';

/** A 12 × 12 raw map (zero border, inner 10 × 10 from base), as a list string: over 256 bytes, so text_as_bytes keeps it as bytes. */
const mapText = (base: number) => `[${Array.from({ length: 144 }, (_, i) => (i < 12 || i >= 132 || i % 12 === 0 || i % 12 === 11 ? 0 : base + i)).join(', ')}]`;
const options: BuildOptions = { dataset: 'raw_pixel_layer_3', crop: { rows: 12, cols: 12, border: 1 }, shape: { title: 't', ny: 10, nx: 10, x: { min: 0, max: 10, label: 'z' }, y: { min: 0, max: 10, label: 'phi' } } };

/** Pickle partitions on disk, read through the catalog as the DQM project reads its raw maps. */
async function picklePartitions(lumisByPart: Record<string, number[]>): Promise<{ parts: Partitions<unknown>; dir: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'raw-partitions-'));
  const entry = { type: 'partitions.PartitionedDataset', path: 'data/01_raw/pixel_layer_3', dataset: { type: 'pickle.PickleDataSet', load_args: { text_as_bytes: true } }, filename_suffix: '.pkl' };
  const catalog = DataCatalog.fromConfig({ raw_pixel_layer_3: entry }, { projectRoot: dir });
  const tables = Object.fromEntries(Object.entries(lumisByPart).map(([id, lumis]) => [id, table({ run: Int32Array.from(lumis, () => 7), lumi: Int32Array.from(lumis), map: lumis.map(mapText) })]));
  await catalog.save('raw_pixel_layer_3', tables);
  return { parts: (await catalog.load('raw_pixel_layer_3')) as Partitions<unknown>, dir };
}

/** The same partitions through their plain loaders (a new buffer per file, as any other dataset). */
const plainLoaders = (parts: Partitions<unknown>) => Object.fromEntries(Object.entries(parts).map(([id, load]) => [id, Object.assign(() => load(), { filepath: load.filepath })]));

describe('rawPartitions', () => {
  it('reads pickle partitions into two buffers in turn, and refuses a map of a partition it has moved past', async () => {
    const { parts } = await picklePartitions({ Run_7_1: [1, 2], Run_7_2: [3], Run_7_3: [4, 5] });
    const seen: Array<{ part: RawPartition; bytes: ArrayBufferLike }> = [];
    for await (const part of rawPartitions(partitionsOf(parts, 'raw_pixel_layer_3'), 'raw_pixel_layer_3')) {
      const text = part.map(0);
      if (!(text instanceof Uint8Array)) throw new Error(`${part.where}: the map is not bytes`);
      expect(Buffer.from(text).toString()).toBe(mapText(part.lumi(0)));
      seen.push({ part, bytes: text.buffer });
    }
    expect(seen.map((s) => s.part.where)).toEqual(['raw_pixel_layer_3[Run_7_1]', 'raw_pixel_layer_3[Run_7_2]', 'raw_pixel_layer_3[Run_7_3]']);
    expect(seen[2]!.bytes).toBe(seen[0]!.bytes); // the third file went where the first was
    expect(seen[1]!.bytes).not.toBe(seen[0]!.bytes); // the second was read while the first was parsed
    expect(() => seen[0]!.part.map(1)).toThrow('internal: a map of raw_pixel_layer_3[Run_7_1] read after the loop moved on to partition 3 of 3 (its buffer is being reused)');
  });

  it('in order and out of order (the scratch path), the streamed file holds what plain loads give', async () => {
    for (const lumis of [{ Run_7_1: [1, 2, 3], Run_7_2: [4, 5], Run_7_3: [6, 7, 8] }, { Run_7_1: [5, 2], Run_7_2: [9, 1, 2], Run_7_3: [3, 7, 4] }]) {
      const { parts, dir } = await picklePartitions(lumis);
      const header = await streamHistogramSet(parts, options, path.join(dir, 'set.h5'));
      const expected = await buildHistogramSet(plainLoaders(parts), options);
      expect(await readHistogramSetH5(path.join(dir, 'set.h5'))).toEqual(expected);
      expect([...header.lumi]).toEqual([...expected.lumi]);
    }
  });
});
