import { describe, expect, it } from 'vitest';
import { createHistogramSet, type HistogramSet } from '../../data';
import { chi2ToReference, histogramMoments, histogramQuantiles } from '.';

/** 2 LS of 4 bins on [0, 8] (width 2, centres 1, 3, 5, 7). */
function oneD(rows: number[][]): HistogramSet {
  const h = createHistogramSet({ title: 'charge', ny: 1, nx: 4, x: { min: 0, max: 8, label: 'charge' }, y: { min: 0, max: 1, label: 'entries' } }, rows.length);
  rows.forEach((r, i) => {
    h.values.set(r, i * 4);
    h.entries[i] = r.reduce((a, b) => a + b, 0);
  });
  h.run.fill(1);
  h.lumi.set(rows.map((_, i) => i + 1));
  return h;
}

describe('1D kernels on hand-computed values', () => {
  it('mean and RMS over bin centres in axis units; NaN for an empty LS', () => {
    const { mean, rms } = histogramMoments(oneD([[0, 2, 2, 0], [1, 0, 0, 1], [0, 0, 0, 0]]));
    expect(Array.from(mean.subarray(0, 2))).toEqual([4, 4]); // (3·2 + 5·2)/4; (1 + 7)/2
    expect(Array.from(rms.subarray(0, 2))).toEqual([1, 3]); // |3-4|, |1-4|
    expect(Number.isNaN(mean[2])).toBe(true);
  });

  it('quantiles linear inside the bin (ROOT GetQuantiles)', () => {
    const q = histogramQuantiles(oneD([[1, 1, 1, 1], [0, 4, 0, 0]]), [0, 0.25, 0.5, 0.9]);
    expect(Array.from(q.subarray(0, 4))).toEqual([0, 2, 4, 7.2]); // uniform over [0, 8]
    expect(Array.from(q.subarray(4, 8))).toEqual([2, 2.5, 3, 3.8]); // all in [2, 4]
    expect(() => histogramQuantiles(oneD([[1, 1, 1, 1]]), [1.5])).toThrow('Quantile probabilities must be in [0, 1], got 1.5');
  });

  it('chi2/ndf to a reference: 0 for the same shape at any statistics, larger for another shape', () => {
    const h = oneD([[10, 20, 30, 40], [1, 2, 3, 4], [40, 30, 20, 10]]);
    const chi2 = chi2ToReference(h, [5, 10, 15, 20]);
    expect(chi2[0]).toBe(0);
    expect(chi2[1]).toBe(0);
    // by hand: C = R·2 = 100, R = 50: Σ (50c − 100r)² / (c + r) / (100·50) / 3
    const r = [5, 10, 15, 20];
    const c = [40, 30, 20, 10];
    const expected = c.reduce((s, ck, k) => s + (50 * ck - 100 * r[k]!) ** 2 / (ck + r[k]!), 0) / 5000 / 3;
    expect(chi2[2]).toBeCloseTo(expected, 12);
    expect(() => chi2ToReference(h, [1, 2])).toThrow("The reference has 2 bins, the histograms of 'charge' have 1×4 = 4");
  });

  it('refuse a 2D set', () => {
    const h = createHistogramSet({ title: 'map', ny: 2, nx: 2, x: { min: 0, max: 2, label: 'x' }, y: { min: 0, max: 2, label: 'y' } }, 1);
    expect(() => histogramMoments(h)).toThrow("histogramMoments needs a 1D set; 'map' has 2×2 bins");
  });
});
