import { describe, expect, it } from 'vitest';
import { createHistogramSet, type HistogramSet } from '../data';
import { EmptyInputError } from './errors';
import { prepareHistogramSet } from './prepare-histogram-set';

function part(run: number, lumis: number[], nx = 3, xmax = 3): HistogramSet {
  const h = createHistogramSet({ title: 'charge', ny: 1, nx, x: { min: 0, max: xmax, label: 'x' }, y: { min: 0, max: 1, label: 'entries' } }, lumis.length);
  h.run.fill(run);
  h.lumi.set(lumis);
  lumis.forEach((ls, i) => {
    for (let k = 0; k < nx; k++) h.values[i * nx + k] = ls * 10 + k;
    h.entries[i] = ls;
  });
  return h;
}

describe('prepareHistogramSet (data_processing of an ME read as a HistogramSet)', () => {
  it('one set without filter or normalisation is passed through; partitions are joined in (run, LS) order', async () => {
    const one = part(5, [1, 2]);
    expect(await prepareHistogramSet(one, { dataset: 'm.raw' })).toBe(one);
    const joined = await prepareHistogramSet({ Run_7: async () => part(7, [2, 1]), Run_5: () => part(5, [3]) }, { dataset: 'm.raw' });
    expect([Array.from(joined.run), Array.from(joined.lumi)]).toEqual([[5, 7, 7], [3, 1, 2]]);
    expect(Array.from(joined.values)).toEqual([30, 31, 32, 10, 11, 12, 20, 21, 22]);
  });

  it('min_entries and normalisation, without touching the loaded set', async () => {
    const one = part(5, [1, 2, 3]);
    const before = one.values.slice();
    const out = await prepareHistogramSet(one, { dataset: 'm.raw', minEntries: 2, normalisation: 'max' });
    expect(Array.from(out.lumi)).toEqual([2, 3]);
    expect(Array.from(out.values)).toEqual([20, 21, 22, 30, 31, 32].map((v, i) => v / (i < 3 ? 22 : 32)).map(Math.fround));
    expect(out.normalisation).toBe('max');
    expect(one.values).toEqual(before);
  });

  it('no LS left (0 rows, or all below min_entries) is an EmptyInputError naming the files, never an empty set', async () => {
    // PartitionedDataset's loaders carry their file; bare callables are named by partition id
    const fromFile = (h: HistogramSet, filepath: string) => Object.assign(async () => h, { filepath });
    const empty = prepareHistogramSet({ Run_5: fromFile(part(5, []), 'data/01_raw/m/Run_5.csv'), Run_6: () => part(6, []) }, { dataset: 'm.raw' });
    await expect(empty).rejects.toThrow(EmptyInputError);
    await expect(empty).rejects.toThrow('m.raw has no lumisections to process: data/01_raw/m/Run_5.csv, m.raw[Run_6] hold 0 lumisections; nothing was written');
    await expect(prepareHistogramSet(part(5, []), { dataset: 'm.raw' })).rejects.toThrow('m.raw has no lumisections to process: m.raw holds 0 lumisections; nothing was written');
    await expect(prepareHistogramSet({ Run_5: fromFile(part(5, [1, 2]), 'data/01_raw/m/Run_5.csv') }, { dataset: 'm.raw', minEntries: 3 })).rejects.toThrow(
      'm.raw has no lumisections to process: all 2 lumisections of data/01_raw/m/Run_5.csv have fewer than 3 entries (min_entries); nothing was written',
    );
  });

  it('a (run, LS) in two partitions, or another binning, is an error naming both', async () => {
    await expect(prepareHistogramSet({ a: () => part(5, [1, 2]), b: () => part(5, [2]) }, { dataset: 'm.raw' })).rejects.toThrow(
      'm.raw: run 5, LS 2 is in both [a] and [b]: duplicate lumisection',
    );
    await expect(prepareHistogramSet({ a: () => part(5, [1]), b: () => part(6, [1], 4, 3) }, { dataset: 'm.raw' })).rejects.toThrow(
      'm.raw[b] has 4 on [0, 3] bins but m.raw[a] has 3 on [0, 3]: one set holds one binning',
    );
    await expect(prepareHistogramSet({ a: () => ({ kind: 'table' }) }, { dataset: 'm.raw' })).rejects.toThrow('Partition m.raw[a] is not a HistogramSet');
  });
});
