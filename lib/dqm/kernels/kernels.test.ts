import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPandasPickle } from '../../io';
import { buildHistogramSet } from '../build-histogram-set';
import { createHistogramSet, type HistogramSet } from '../../data';
import { pixelMapShape } from '../pixel-map';
import { close, pythonReference, realPickle } from '../real-run.fixtures';
import { centerOfMass, imagesRmse, mapSums, meanImage, meanImageSet, projections, summaryStatistics } from '.';

/** A tiny set with known values: 2 LS of 2 × 3. */
function tiny(): HistogramSet {
  const h = createHistogramSet({ title: 't', ny: 2, nx: 3, x: { min: 0, max: 3, label: 'z' }, y: { min: 0, max: 2, label: 'phi' } }, 2);
  h.values.set([0, 1, 0, 0, 3, 0, /* LS 2 */ 2, 0, 0, 0, 0, 2]);
  h.run.fill(1);
  h.lumi.set([1, 2]);
  h.entries.set([4, 4]);
  return h;
}

describe('kernels on hand-computed values', () => {
  it('centre of mass in bin-index units, NaN for an empty map', () => {
    const h = tiny();
    const c = centerOfMass(h);
    expect(Array.from(c.phi)).toEqual([0.75, 0.5]); // (0*1 + 1*3)/4, (0*2 + 1*2)/4
    expect(Array.from(c.z)).toEqual([1, 1]); // (1*1 + 1*3)/4, (0*2 + 2*2)/4
    h.values.fill(0);
    expect(Number.isNaN(centerOfMass(h).phi[0])).toBe(true);
  });

  it('summary statistics over the values when the raw moments are absent', () => {
    const s = summaryStatistics(tiny());
    expect(s.mean[0]).toBeCloseTo(4 / 6, 15);
    expect(s.std[0]).toBeCloseTo(Math.sqrt((1 + 9) / 6 - (4 / 6) ** 2), 15);
  });

  it('mean image, rmse and mean_diff, projections and sums', () => {
    const h = tiny();
    const mean = meanImage(h);
    expect(Array.from(mean)).toEqual([1, 0.5, 0, 0, 1.5, 1]);
    const r = imagesRmse(h, mean);
    // LS 1 - mean = [-1, .5, 0, 0, 1.5, -1]: rmse = sqrt(4.5/6), mean diff = 0
    expect(r.rmse[0]).toBeCloseTo(Math.sqrt(4.5 / 6), 15);
    expect(r.meanDiff[0]).toBe(0);
    const p = projections(h);
    expect(Array.from(p.onX)).toEqual([0, 4, 0, 2, 0, 2]);
    expect(Array.from(p.onY)).toEqual([1, 3, 2, 2]);
    expect(Array.from(mapSums(h))).toEqual([4, 4]);
    const set = meanImageSet(h);
    expect(set.run.length).toBe(1);
    expect(Array.from(set.values)).toEqual([1, 0.5, 0, 0, 1.5, 1]);
  });

  it('errors on an empty set and a reference of the wrong shape', () => {
    expect(() => meanImage(createHistogramSet(pixelMapShape(1), 0))).toThrow("Cannot compute the mean image of 'clusterposition_zphi_PXLayer_1': the set has no lumisections");
    expect(() => imagesRmse(tiny(), new Float64Array(5))).toThrow("The reference image has 5 bins, the maps of 't' have 2×3 = 6");
  });
});

describe('kernels on the real Run 316187 maps, against pure-Python values', () => {
  for (const layer of [1, 2] as const) {
    it(`layer ${layer}: every feature of every LS`, async () => {
      const ref = pythonReference(realPickle(layer));
      const h = await buildHistogramSet(readPandasPickle(readFileSync(realPickle(layer))), { dataset: `raw_pixel_layer_${layer}`, shape: pixelMapShape(layer) });
      expect(Array.from(h.lumi)).toEqual(ref.rows.map((r) => r.lumi));
      const s = summaryStatistics(h);
      const c = centerOfMass(h);
      const mean = meanImageSet(h);
      const r = imagesRmse(h, mean.values);
      ref.rows.forEach((row, i) => {
        expect(h.entries[i]).toBe(row.entries);
        expect(close(s.mean[i]!, row.mean), `mean of LS ${row.lumi}`).toBe(true);
        expect(close(s.std[i]!, row.std), `std of LS ${row.lumi}`).toBe(true);
        expect(close(c.phi[i]!, row.center_phi), `center_phi of LS ${row.lumi}`).toBe(true);
        expect(close(c.z[i]!, row.center_z), `center_z of LS ${row.lumi}`).toBe(true);
        expect(close(r.rmse[i]!, row.rmse), `rmse of LS ${row.lumi}`).toBe(true);
        expect(close(r.meanDiff[i]!, row.mean_diff, 1e-6), `mean_diff of LS ${row.lumi}`).toBe(true);
      });
      const m = meanImage(h);
      ref.meanImage.forEach((v, k) => expect(close(m[k]!, v, 1e-12)).toBe(true));
    });
  }
});
