import { describe, expect, it } from 'vitest';
import { createHistogramSet, type HistogramSet } from '../data';
import { histogram1dPreview, referenceOf } from './histogram-preview';
import { developOf } from './develop-mask';

/** Three LS of a 2-bin 1D ME: [1, 3], [2, 2], [10, 30]. */
function set(): HistogramSet {
  const h = createHistogramSet({ title: 'Cluster charge', name: 'chargeInner_PXLayer_1', ny: 1, nx: 2, x: { min: 0, max: 2, label: 'Charge', unit: 'e' }, y: { min: 0, max: 1, label: '' } }, 3);
  h.values.set([1, 3, 2, 2, 10, 30]);
  h.run.fill(7);
  h.lumi.set([1, 2, 3]);
  h.entries.set([4, 4, 40]);
  return h;
}

describe('1D preview and its reference', () => {
  it('the reference is the unit-normalised mean of the develop LS, or of all LS without a task', () => {
    const develop = developOf({ name: 'early', develop: { '7': [[1, 2]] } });
    expect(referenceOf(set(), develop)).toEqual({ values: Float64Array.from([0.375, 0.625]), note: "mean of 2 develop LS (task 'early')" });
    expect(referenceOf(set(), null)).toEqual({ values: Float64Array.from([(0.25 + 0.5 + 0.25) / 3, (0.75 + 0.5 + 0.75) / 3]), note: 'mean of all 3 LS' });
    const other = developOf({ name: 'other', develop: { '8': [[1, 9]] } });
    expect(referenceOf(set(), other).note).toBe("mean of all 3 LS; task 'other' selects none of them");
    expect(developOf({ name: 'x' })).toBeNull();
  });

  it('sends one LS with every LS number and entries (the slider shows run and LS, steps fetch bins)', () => {
    const p = histogram1dPreview(set(), 2, developOf({ name: 'early', develop: { '7': [[1, 2]] } }));
    expect(p).toMatchObject({ kind: 'histogram1d', ls: 2, lsCount: 3, counts: [10, 30], reference: [0.375, 0.625], lsLumis: [1, 2, 3], lsRuns: [7, 7, 7], lsEntries: [4, 4, 40], x: { label: 'Charge', unit: 'e' }, yLabel: 'clusters' });
    expect(() => histogram1dPreview(set(), 3, null)).toThrow("LS index 3 is out of range: 'Cluster charge' has 3 lumisections (0..2)");
  });
});
