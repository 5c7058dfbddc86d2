import { describe, expect, it } from 'vitest';
import { table, mapOf } from '../data';
import { buildHistogramSet } from './build-histogram-set';
import { MapParseError } from './errors';

/** A 4 × 5 raw map (border of `edge`, inner 2 × 3 = base..base+5), as a list string. */
function mapText(base: number, edge = 0): string {
  const v: number[] = [];
  for (let r = 0; r < 4; r++) for (let c = 0; c < 5; c++) v.push(r === 0 || r === 3 || c === 0 || c === 4 ? edge : base + (r - 1) * 3 + (c - 1));
  return `[${v.join(', ')}]`;
}

const small = { crop: { rows: 4, cols: 5, border: 1 }, shape: { title: 't', ny: 2, nx: 3, x: { min: 0, max: 3, label: 'z' }, y: { min: 0, max: 2, label: 'phi' } } };

describe('buildHistogramSet', () => {
  it('parses, crops, sorts by (run, lumi) and keeps the full maps moments', async () => {
    const raw = table({ run: Int32Array.of(2, 1, 1), lumi: Int32Array.of(1, 9, 3), map: [mapText(100), mapText(10, 1), mapText(20)] });
    const h = await buildHistogramSet(raw, { dataset: 'raw', ...small });
    expect(Array.from(h.run)).toEqual([1, 1, 2]);
    expect(Array.from(h.lumi)).toEqual([3, 9, 1]);
    expect(Array.from(mapOf(h, 0))).toEqual([20, 21, 22, 23, 24, 25]);
    expect(Array.from(mapOf(h, 1))).toEqual([10, 11, 12, 13, 14, 15]);
    expect(Array.from(mapOf(h, 2))).toEqual([100, 101, 102, 103, 104, 105]);
    expect(h.entries[1]).toBe(75 + 14); // inner sum + 14 border bins of 1
    expect(h.rawSumSq![1]).toBe([10, 11, 12, 13, 14, 15].reduce((a, b) => a + b * b, 0) + 14);
    expect(h.rawBins).toBe(20);
  });

  it('reads partitions one at a time, drops duplicates with a warning, filters low statistics', async () => {
    const loaded: string[] = [];
    const part = (id: string, lumis: number[]) => async () => {
      loaded.push(id);
      return table({ run: Int32Array.from(lumis, () => 7), lumi: Int32Array.from(lumis), map: lumis.map((l) => mapText(l === 5 ? 0 : l)) });
    };
    const warnings: string[] = [];
    const progress: Array<[number, number]> = [];
    const h = await buildHistogramSet(
      { 'Run_7_10': part('10', [4, 2]), Run_7_2: part('2', [3, 2, 5]), Run_7_1: part('1', [1, 4]) },
      { dataset: 'raw_pixel_layer_3', ...small, minEntries: 16, onWarning: (m) => warnings.push(m), onProgress: (d, t) => progress.push([d, t]) },
    );
    expect(loaded).toEqual(['1', '2', '10']); // natural order of partition ids
    expect(Array.from(h.lumi)).toEqual([1, 2, 3, 4]);
    expect(Array.from(mapOf(h, 1))).toEqual([2, 3, 4, 5, 6, 7]); // first LS 7:2 kept (partition Run_7_2)
    expect(warnings).toEqual([
      'raw_pixel_layer_3: dropped duplicate lumisections (kept the first of each): 7:2, 7:4',
      'raw_pixel_layer_3: dropped 1 lumisection with fewer than 16 entries (min_entries)',
    ]);
    expect(progress[progress.length - 1]).toEqual([7, 7]);
  });

  it('normalises each map by its entries or its maximum', async () => {
    const raw = table({ run: Int32Array.of(1), lumi: Int32Array.of(1), map: [mapText(1)] });
    const byEntries = await buildHistogramSet(raw, { dataset: 'raw', ...small, normalisation: 'entries' });
    expect(Array.from(byEntries.values)).toEqual([1, 2, 3, 4, 5, 6].map((v) => Math.fround(v / 21)));
    expect(byEntries.normalisation).toBe('entries');
    const byMax = await buildHistogramSet(raw, { dataset: 'raw', ...small, normalisation: 'max' });
    expect(Array.from(byMax.values)).toEqual([1, 2, 3, 4, 5, 6].map((v) => Math.fround(v / 6)));
  });

  describe('fails clearly', () => {
    it('on a bad map, naming the LS and the partition', async () => {
      const raw = { Run_7_0: async () => table({ run: Int32Array.of(7), lumi: Int32Array.of(12), map: ['[1, 2, x]'] }) };
      const error = await buildHistogramSet(raw, { dataset: 'raw_pixel_layer_1', ...small }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(MapParseError);
      expect((error as Error).message).toBe("Cannot parse the map of LS 7:12 (raw_pixel_layer_1[Run_7_0], row 0): non-numeric token 'x' at character 7");
    });

    it('on missing columns, non-integer run numbers and non-string maps', async () => {
      await expect(buildHistogramSet(table({ run: Int32Array.of(1), map: ['[]'] }), { dataset: 'raw_pixel_layer_1', ...small })).rejects.toThrow(
        'raw_pixel_layer_1 lacks column lumi (has: run, map)',
      );
      await expect(buildHistogramSet(table({ run: [1.5], lumi: [1], map: ['[]'] }), { dataset: 'raw', ...small })).rejects.toThrow(
        'Row 0 of raw: run is 1.5, expected a non-negative integer',
      );
      await expect(buildHistogramSet(table({ run: [1], lumi: [2], map: [null] }), { dataset: 'raw', ...small })).rejects.toThrow(
        'Row 0 of raw (LS 1:2): the map is null, expected a list string (or its bytes)',
      );
    });

    it('on something that is neither a table nor partitions', async () => {
      await expect(buildHistogramSet([1, 2] as never, { dataset: 'raw_pixel_layer_4', ...small })).rejects.toThrow(
        "Dataset 'raw_pixel_layer_4' must be a table (one pickle) or a partitioned dataset, got an array",
      );
      await expect(buildHistogramSet({}, { dataset: 'raw_pixel_layer_4', ...small })).rejects.toThrow("Partitioned dataset 'raw_pixel_layer_4' has no partitions");
      await expect(buildHistogramSet({ a: async () => 'text' }, { dataset: 'raw_pixel_layer_4', ...small })).rejects.toThrow(
        'Partition raw_pixel_layer_4[a] is not a table (got string); expected columns run, lumi, map',
      );
    });
  });
});
