import { mkdtempSync, readdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { table } from '../data';
import { buildHistogramSet, type BuildOptions } from './build-histogram-set';
import { EmptyInputError } from './errors';
import { readHistogramSetH5 } from './hdf5/read-set';
import { writeHistogramSetH5 } from './hdf5/write-set';
import { streamHistogramSet } from './stream-histogram-set';

/** A 4 × 5 raw map (border of `edge`, inner 2 × 3 = base..base+5), as a list string. */
function mapText(base: number, edge = 0): string {
  const v: number[] = [];
  for (let r = 0; r < 4; r++) for (let c = 0; c < 5; c++) v.push(r === 0 || r === 3 || c === 0 || c === 4 ? edge : base + (r - 1) * 3 + (c - 1));
  return `[${v.join(', ')}]`;
}

const small = { crop: { rows: 4, cols: 5, border: 1 }, shape: { title: 't', ny: 2, nx: 3, x: { min: 0, max: 3, label: 'z' }, y: { min: 0, max: 2, label: 'phi' } } };

/** Partitions of run 7 (lumis as given; lumi 5's map is empty), loaders that name their file as PartitionedDataset's do. */
function partitions(parts: Record<string, number[]>, bad?: string): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(parts).map(([id, lumis]) => {
      const load = Object.assign(async () => table({ run: Int32Array.from(lumis, () => 7), lumi: Int32Array.from(lumis), map: lumis.map((l) => (id === bad && l === lumis.at(-1) ? '[1, 2' : mapText(l === 5 ? 0 : l))) }), {
        filepath: `data/01_raw/pixel_layer_3/${id}.pkl`,
      });
      return [id, load];
    }),
  );
}

/**
 * HDF5 object headers carry their modification time in seconds: two writes of one set are
 * byte-identical only within the same second. Runs `write` until it started and ended in one.
 */
async function withinOneSecond<T>(write: () => Promise<T>): Promise<T> {
  for (;;) {
    const t0 = Math.floor(Date.now() / 1000);
    const out = await write();
    if (Math.floor(Date.now() / 1000) === t0) return out;
  }
}

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'stream-set-'));

describe('streamHistogramSet', () => {
  it('writes the same file, byte for byte, as building the set and saving it: sorted, duplicates dropped, low statistics filtered, normalised', async () => {
    const raw = partitions({ Run_7_10: [4, 2], Run_7_2: [3, 2, 5], Run_7_1: [1, 4, 9, 8, 7, 6] });
    for (const normalisation of ['none', 'entries', 'max'] as const) {
      const dir = tmp();
      const warnings: string[] = [];
      const options: BuildOptions = { dataset: 'raw_pixel_layer_3', ...small, minEntries: 16, normalisation, onWarning: (m) => warnings.push(m) };
      const built = await buildHistogramSet(raw, options);
      const { header, streamed, saved } = await withinOneSecond(async () => {
        await writeHistogramSetH5(path.join(dir, 'built.h5'), built);
        const header = await streamHistogramSet(raw, options, path.join(dir, 'streamed.h5'));
        return { header, streamed: readFileSync(path.join(dir, 'streamed.h5')), saved: readFileSync(path.join(dir, 'built.h5')) };
      });
      expect(streamed.equals(saved)).toBe(true);
      expect(Array.from(header.lumi)).toEqual([1, 2, 3, 4, 6, 7, 8, 9]);
      expect(await readHistogramSetH5(path.join(dir, 'streamed.h5'))).toEqual(built);
      expect(warnings.slice(-2)).toEqual([
        'raw_pixel_layer_3: dropped duplicate lumisections (kept the first of each): 7:2, 7:4',
        'raw_pixel_layer_3: dropped 1 lumisection with fewer than 16 entries (min_entries)',
      ]);
      expect(readdirSync(dir).sort()).toEqual(['built.h5', 'streamed.h5']); // no scratch, no temp file
    }
  });

  it('more LS than one parse block and one write batch: still the built set', async () => {
    const dir = tmp();
    const lumis = Array.from({ length: 300 }, (_, i) => 300 - i);
    const raw = table({ run: Int32Array.from(lumis, () => 1), lumi: Int32Array.from(lumis), map: lumis.map((l) => mapText(l)) });
    const options: BuildOptions = { dataset: 'raw', ...small, normalisation: 'entries' };
    await streamHistogramSet(raw, options, path.join(dir, 'set.h5'));
    expect(await readHistogramSetH5(path.join(dir, 'set.h5'))).toEqual(await buildHistogramSet(raw, options));
  });

  it('input in (run, lumi) order goes straight to the file (no scratch file): the built set, low statistics filtered, normalised', async () => {
    // 150 LS over two partitions (more than one parse block), lumi 5 empty (filtered).
    const lumis = Array.from({ length: 150 }, (_, i) => i + 1);
    const raw = partitions({ Run_7_1: lumis.slice(0, 70), Run_7_2: lumis.slice(70) });
    const dir = tmp();
    const file = path.join(dir, 'set.h5');
    const warnings: string[] = [];
    const options: BuildOptions = { dataset: 'raw_pixel_layer_3', ...small, minEntries: 16, normalisation: 'entries', onWarning: (m) => warnings.push(m) };
    const scratchSeen: string[] = [];
    const watcher = watch(dir, (_e, name) => name && scratchSeen.push(String(name)));
    try {
      await streamHistogramSet(raw, options, file);
      await new Promise((r) => setTimeout(r, 100)); // the file events of the write delivered
    } finally {
      watcher.close();
    }
    const built = await buildHistogramSet(raw, options);
    expect(await readHistogramSetH5(file)).toEqual(built);
    expect(built.lumi.length).toBe(149);
    expect(warnings).toEqual(['raw_pixel_layer_3: dropped 1 lumisection with fewer than 16 entries (min_entries)', 'raw_pixel_layer_3: dropped 1 lumisection with fewer than 16 entries (min_entries)']);
    expect(scratchSeen.filter((n) => n.includes('scratch'))).toEqual([]);
    expect(readdirSync(dir)).toEqual(['set.h5']);
  });

  it('a lumisection out of order after some in order (a duplicate across partitions): the scratch path, the built set, the duplicate warned', async () => {
    const raw = partitions({ Run_7_1: [1, 2, 3], Run_7_2: [3, 4] });
    const dir = tmp();
    const warnings: string[] = [];
    const options: BuildOptions = { dataset: 'raw_pixel_layer_3', ...small, onWarning: (m) => warnings.push(m) };
    await streamHistogramSet(raw, options, path.join(dir, 'set.h5'));
    expect(await readHistogramSetH5(path.join(dir, 'set.h5'))).toEqual(await buildHistogramSet(raw, options));
    expect(warnings).toEqual(['raw_pixel_layer_3: dropped duplicate lumisections (kept the first of each): 7:3', 'raw_pixel_layer_3: dropped duplicate lumisections (kept the first of each): 7:3']);
    expect(readdirSync(dir)).toEqual(['set.h5']);
  });

  it('an input with no lumisection is an EmptyInputError naming its files, and nothing is written', async () => {
    const dir = tmp();
    const file = path.join(dir, 'out.h5');
    const empty = partitions({ Run_7_1: [], Run_7_2: [] });
    const error = await streamHistogramSet(empty, { dataset: 'raw_pixel_layer_3', ...small }, file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmptyInputError);
    expect((error as Error).message).toBe('raw_pixel_layer_3 has no lumisections to process: data/01_raw/pixel_layer_3/Run_7_1.pkl, data/01_raw/pixel_layer_3/Run_7_2.pkl hold 0 lumisections; nothing was written');
    await expect(streamHistogramSet(partitions({ Run_7_1: [5] }), { dataset: 'raw_pixel_layer_3', ...small, minEntries: 1000 }, file)).rejects.toThrow(
      'raw_pixel_layer_3 has no lumisections to process: all 1 lumisection of data/01_raw/pixel_layer_3/Run_7_1.pkl have fewer than 1000 entries (min_entries); nothing was written',
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('an error mid-way leaves the previous output untouched and no scratch file', async () => {
    const dir = tmp();
    const file = path.join(dir, 'out.h5');
    writeFileSync(file, 'the previous good output');
    await expect(streamHistogramSet(partitions({ Run_7_1: [1, 2], Run_7_2: [3, 4] }, 'Run_7_2'), { dataset: 'raw_pixel_layer_3', ...small }, file)).rejects.toThrow(
      "Cannot parse the map of LS 7:4 (raw_pixel_layer_3[Run_7_2], row 1): missing ']' at the end (character 5)",
    );
    expect(readFileSync(file, 'utf8')).toBe('the previous good output');
    expect(readdirSync(dir)).toEqual(['out.h5']);
  });
});
