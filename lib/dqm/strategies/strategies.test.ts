import { describe, expect, it } from 'vitest';
import { table } from '../../data';
import {
  allRows,
  applyFeatureZscore,
  applyMeanDistance,
  applyNmf,
  applyPca,
  concatTables,
  fitFeatureZscore,
  fitMeanDistance,
  fitNmf,
  fitPca,
  predictionsTable,
  rebinner,
  StrategyError,
  symmetricEigen,
  thresholdAtFpr,
  topComponents,
} from './index';
import { forestThreshold } from './random-forest';
import { smallSet } from './strategies.fixtures';

// 80 develop LS; the test set has 20 clean LS then the same 20 with a dead module (rows 5-9, columns 10-15).
const develop = smallSet({ n: 80, seed: 1 });
const dead = (i: number, y: number, x: number, l: number) => (i >= 20 && y >= 5 && y < 10 && x >= 10 && x < 16 ? 0 : l);
const twins = smallSet({ n: 40, seed: 2, modify: (i, y, x, l) => dead(i, y, x, l) });
const devRows = allRows(80);
const testRows = allRows(40);

function expectDeadWorse(score: Float64Array): void {
  const clean = Array.from(score.subarray(0, 20));
  const bad = Array.from(score.subarray(20));
  expect(Math.min(...bad)).toBeGreaterThan(Math.max(...clean));
}

describe('map strategies on hand-built maps', () => {
  it('mean distance: dead module scores worse than every clean map, with both metrics', () => {
    for (const metric of ['chi2', 'rmse'] as const) {
      const model = fitMeanDistance(develop, devRows, { metric, fpr: 0.05, rebin: [1, 1] });
      const s = applyMeanDistance(model, twins, testRows);
      expectDeadWorse(s.score);
      expect(s.extra?.chi2_ndf).toHaveLength(40);
      // clean maps are Poisson-consistent with the reference: chi2/ndf ≈ 1
      if (metric === 'chi2') expect(s.score[0]).toBeGreaterThan(0.8);
      if (metric === 'chi2') expect(s.score[0]).toBeLessThan(1.3);
      const worst = s.worstResidual!;
      expect(worst.lumi[0]).toBeGreaterThan(20);
      // the residual is most negative inside the dead module
      const v = worst.values;
      const minAt = v.indexOf(Math.min(...v));
      const [y, x] = [Math.floor(minAt / 30), minAt % 30];
      expect(y >= 5 && y < 10 && x >= 10 && x < 16).toBe(true);
    }
  });

  it('PCA: dead module scores worse than every clean map', () => {
    const model = fitPca(develop, devRows, { components: 4, rebin: [2, 2], fpr: 0.05 });
    expect(model.k).toBe(4);
    expect(model.ny * model.nx).toBe(150);
    const s = applyPca(model, twins, testRows);
    expectDeadWorse(s.score);
    expect(s.worstResidual!.ny).toBe(10);
  });

  it('NMF: dead module scores worse than every clean map; the fit loss decreases', () => {
    const model = fitNmf(develop, devRows, { components: 3, rebin: [2, 2], iterations: 60 });
    const s = applyNmf(model, twins, testRows);
    expectDeadWorse(s.score);
    expect(model.loss[model.loss.length - 1]!).toBeLessThan(model.loss[0]!);
    expect(Math.min(...model.basis)).toBeGreaterThanOrEqual(0);
  });

  it('flags at most fpr of develop and the dead-module LS on the test set', () => {
    const model = fitMeanDistance(develop, devRows, { fpr: 0.05 });
    const dev = applyMeanDistance(model, develop, devRows);
    expect(Array.from(dev.score).filter((x) => x > model.threshold).length).toBeLessThanOrEqual(4);
    const p = predictionsTable(applyMeanDistance(model, twins, testRows), 3, model.threshold);
    expect(Object.keys(p.columns)).toEqual(['run', 'lumi', 'layer', 'score', 'flag', 'threshold', 'rmse', 'chi2_ndf']);
    expect(Array.from(p.columns.flag!).slice(20)).toEqual(new Array(20).fill(1));
    expect(p.columns.layer![0]).toBe(3);
    expect(p.columns.threshold![39]).toBe(model.threshold);
  });

  it('rejects bad parameters and an empty develop set with clear messages', () => {
    expect(() => fitMeanDistance(develop, new Int32Array(0))).toThrow(new StrategyError('mean_distance: the develop set selects no lumisection'));
    expect(() => fitMeanDistance(develop, devRows, { fpr: 1.5 })).toThrow("mean_distance: parameter 'fpr' must be a number in [0, 1), got 1.5");
    expect(() => fitMeanDistance(develop, devRows, { metric: 'l1' as 'rmse' })).toThrow(`mean_distance: parameter 'metric' must be one of chi2, rmse, ks, got "l1"`);
    expect(() => fitMeanDistance(develop, devRows, { metric: 'ks' })).toThrow("mean_distance: metric 'ks' needs 1D histograms, these have 20 rows");
    expect(() => fitMeanDistance(develop, devRows, { reference: 'mode' as 'mean' })).toThrow(`mean_distance: parameter 'reference' must be 'mean' or 'median', got "mode"`);
    expect(() => fitMeanDistance(develop, devRows, { foldLayout: 'random' as 'contiguous' })).toThrow(`mean_distance: parameter 'foldLayout' must be 'interleaved' or 'contiguous', got "random"`);
    expect(() => fitPca(develop, devRows, { components: 0 })).toThrow("pca: parameter 'components' must be a positive integer or 'auto', got 0");
    expect(() => fitPca(develop, devRows, { screen: -1 })).toThrow("pca: parameter 'screen' must be a number ≥ 0, got -1");
    expect(() => fitNmf(develop, devRows, { components: 2.5 })).toThrow("nmf: parameter 'components' must be a positive integer, got 2.5");
    expect(() => fitNmf(develop, devRows, { tolerance: 1 })).toThrow("nmf: parameter 'tolerance' must be a number in [0, 1), got 1");
    expect(() => fitPca(develop, devRows, { rebin: [0, 2] })).toThrow('rebin must be two positive integers [rows, columns], got [0, 2]');
    const other = smallSet({ n: 2, nx: 10 });
    const model = fitMeanDistance(develop, devRows);
    expect(() => applyMeanDistance(model, other, allRows(2))).toThrow("mean_distance: maps 'test_map' are 20×10 but the model was fitted on 20×30 maps");
  });

  it("gives the same scores on maps data_processing normalised to entries ('entries' normalisation)", () => {
    const scaled = { ...twins, values: twins.values.map((v, k) => v / twins.entries[Math.floor(k / 600)]!), normalisation: 'entries' as const };
    const devScaled = { ...develop, values: develop.values.map((v, k) => v / develop.entries[Math.floor(k / 600)]!), normalisation: 'entries' as const };
    const a = applyMeanDistance(fitMeanDistance(develop, devRows), twins, testRows).score;
    const b = applyMeanDistance(fitMeanDistance(devScaled, devRows), scaled, testRows).score;
    for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(a[i]!, 4);
  });

  it('sets thresholds on out-of-fold develop scores (in-sample PCA scores are biased low)', () => {
    const inSample = fitPca(develop, devRows, { components: 10, rebin: [2, 2], folds: 0, fpr: 0.1 });
    const outOfFold = fitPca(develop, devRows, { components: 10, rebin: [2, 2], folds: 4, fpr: 0.1 });
    expect(outOfFold.threshold).toBeGreaterThan(inSample.threshold);
    // fresh clean maps: the out-of-fold threshold flags about fpr of them, the in-sample one many more
    const fresh = smallSet({ n: 200, seed: 3 });
    const s = applyPca(outOfFold, fresh, allRows(200)).score;
    const rate = (thr: number) => Array.from(s).filter((x) => x > thr).length / 200;
    expect(rate(outOfFold.threshold)).toBeLessThan(rate(inSample.threshold));
    expect(rate(outOfFold.threshold)).toBeLessThan(0.25);
    expect(() => fitPca(develop, devRows, { folds: -1 })).toThrow("parameter 'folds' must be a non-negative integer, got -1");
    expect(() => fitMeanDistance(develop, devRows, { folds: 1.5 })).toThrow("mean_distance: parameter 'folds' must be a non-negative integer, got 1.5");
  });

  it('rebins with partial edge blocks and normalises to relative occupancy', () => {
    const h = smallSet({ n: 1, ny: 5, nx: 7 });
    const rb = rebinner(h, [2, 3]);
    expect([rb.ny, rb.nx]).toEqual([3, 3]);
    const out = new Float64Array(rb.d);
    const scale = rb.fill(h, 0, out);
    expect(out.reduce((s, v) => s + v, 0)).toBeCloseTo(9, 9); // mean bin = 1
    expect(scale).toBeCloseTo(h.entries[0]! / 9, 9);
  });
});

describe('feature z-score', () => {
  it('gives the outlier LS the top score and names its feature', () => {
    const n = 50;
    const u = (i: number) => Math.sin(i * 12.9898) * 0.5; // deterministic spread
    const t = table({
      run: new Int32Array(n).fill(7),
      lumi: Int32Array.from({ length: n }, (_, i) => i + 1),
      mean: Float64Array.from({ length: n }, (_, i) => 10 + u(i)),
      center_z: Float64Array.from({ length: n }, (_, i) => (i === 33 ? 4 : u(i + 100))),
      std: Float64Array.from({ length: n }, (_, i) => 2 + 0.1 * u(i + 200)),
    });
    const model = fitFeatureZscore(t, allRows(n), { fpr: 0.02 });
    expect(model.features).toEqual(['mean', 'center_z', 'std']);
    const s = applyFeatureZscore(model, t, allRows(n));
    const top = s.score.indexOf(Math.max(...s.score));
    expect(s.lumi[top]).toBe(34);
    expect((s.extra!.worst_feature as string[])[top]).toBe('center_z');
    expect(s.score[top]).toBeGreaterThan(5);
    expect(() => fitFeatureZscore(t, allRows(n), { features: ['centre_z'] })).toThrow(
      "feature_zscore: no column 'centre_z' in the table (columns: run, lumi, mean, center_z, std) Did you mean 'center_z'?",
    );
  });
});

describe('thresholds and tables', () => {
  it('chooses the threshold at the false-positive rate', () => {
    const s = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(thresholdAtFpr(s, 0.05)).toBe(95);
    expect(thresholdAtFpr(s, 0)).toBe(100);
    expect(thresholdAtFpr(s.reverse(), 0.1)).toBe(90);
    // ties: never more than fpr flagged
    expect(thresholdAtFpr([1, 1, 1, 1, 2], 0.2)).toBe(1);
    expect(thresholdAtFpr([1, 1, 1, 1, 2], 0.5)).toBe(1);
    expect(() => thresholdAtFpr([], 0.1)).toThrow('cannot choose a threshold: the develop set has no scores');
    expect(() => thresholdAtFpr([1], 1)).toThrow('false-positive rate must be in [0, 1), got 1');
  });

  it("caps the forest's threshold at a majority of trees", () => {
    // out-of-fold good scores whose 99 % quantile (0.92, or 1) no LS could ever exceed usefully
    const high = [...Array.from({ length: 99 }, () => 0.3), 0.92];
    expect(forestThreshold(high, 0)).toBe(0.5);
    expect(forestThreshold([1, 1, 1], 0.01)).toBe(0.5);
    // below a majority the quantile stands
    expect(forestThreshold([0, 0.02, 0.04, 0.1], 0)).toBe(0.1);
    expect(() => forestThreshold([], 0.1)).toThrow('cannot choose a threshold: the develop set has no scores');
  });

  it('concatenates the layers of a strategy', () => {
    const a = table({ run: Int32Array.of(1), layer: Int32Array.of(1), worst_feature: ['mean'] });
    const b = table({ run: Int32Array.of(2), layer: Int32Array.of(2), worst_feature: ['std'] });
    const c = concatTables([a, b]);
    expect(Array.from(c.columns.run!)).toEqual([1, 2]);
    expect(c.columns.run).toBeInstanceOf(Int32Array);
    expect(c.columns.worst_feature).toEqual(['mean', 'std']);
  });
});

describe('linear algebra', () => {
  it('diagonalises a symmetric matrix', () => {
    const { values, vectors } = symmetricEigen(Float64Array.of(2, 1, 1, 2), 2);
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
    expect(Math.abs(vectors[0]!)).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it('finds the principal directions of rank-2 data', () => {
    // rows = a·e1 + b·e2 with var(a) = 4, var(b) = 1, in 6 dimensions
    const n = 200;
    const d = 6;
    const x = new Float64Array(n * d);
    for (let i = 0; i < n; i++) {
      const a = 2 * Math.sin(i * 1.3);
      const b = Math.cos(i * 0.7);
      x[i * d + 0] = a;
      x[i * d + 3] = b;
    }
    for (let j = 0; j < d; j++) {
      let m = 0;
      for (let i = 0; i < n; i++) m += x[i * d + j]!;
      for (let i = 0; i < n; i++) x[i * d + j] = x[i * d + j]! - m / n;
    }
    const { components, variance } = topComponents(x, n, d, 2);
    expect(Math.abs(components[0]!)).toBeCloseTo(1, 3);
    expect(Math.abs(components[d + 3]!)).toBeCloseTo(1, 3);
    expect(variance[0]!).toBeGreaterThan(variance[1]!);
  });
});
