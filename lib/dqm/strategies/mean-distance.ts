import type { HistogramSet } from '../../data';
import {
  argMax,
  checkFpr,
  checkShape,
  distance,
  pick,
  rebinner,
  requireRows,
  residualSet,
  thresholdAtFpr,
  type LsScores,
  type ModelBase,
} from './common';
import { StrategyError } from './errors';

export interface MeanDistanceParams {
  /** Which distance is the score: chi²/ndf with Poisson errors (default) or RMSE. */
  metric?: 'chi2' | 'rmse';
  /** Fraction of develop LS allowed above the threshold. */
  fpr?: number;
  /** Block rebinning before comparing (default [4, 4]: 200×300 -> 50×75; [1, 1] = full resolution). */
  rebin?: [number, number];
  /** Folds for out-of-sample develop scores (threshold); 0 or 1 = in-sample. Default 5. */
  folds?: number;
}

export interface MeanDistanceModel extends ModelBase {
  readonly strategy: 'mean_distance';
  readonly metric: 'chi2' | 'rmse';
  readonly rebin: [number, number];
  /** Shape of the maps the model was fitted on. */
  readonly mapShape: [number, number];
  readonly ny: number;
  readonly nx: number;
  /** Develop-set mean of the normalised maps (relative occupancy), length ny·nx. */
  readonly reference: Float64Array;
}

/**
 * Strategy (1): distance of each LS to the develop-set mean image, after normalising every map to
 * its entries. Both metrics are computed; `metric` picks the score and the threshold.
 */
export function fitMeanDistance(h: HistogramSet, rows: Int32Array, params: MeanDistanceParams = {}): MeanDistanceModel {
  const metric = params.metric ?? 'chi2';
  if (metric !== 'chi2' && metric !== 'rmse') {
    throw new StrategyError(`mean_distance: parameter 'metric' must be 'chi2' or 'rmse', got ${JSON.stringify(metric)}`);
  }
  const fpr = checkFpr(params.fpr ?? 0.01, 'mean_distance');
  requireRows(rows, 'mean_distance', 'develop');
  const rebin = params.rebin ?? [4, 4];
  const folds = params.folds ?? 5;
  if (!Number.isInteger(folds) || folds < 0) throw new StrategyError(`mean_distance: parameter 'folds' must be a non-negative integer, got ${JSON.stringify(folds)}`);
  const k = folds >= 2 && rows.length >= 2 * folds ? folds : 1;
  const rb = rebinner(h, rebin);
  // One pass: per-fold sums, so each fold's leave-fold-out mean costs no extra pass over the maps.
  const sums = new Float64Array(k * rb.d);
  const used = new Float64Array(k);
  const buf = new Float64Array(rb.d);
  rows.forEach((i, r) => {
    if (rb.fill(h, i, buf) === 0) return; // an empty LS carries no shape
    const f = r % k;
    const o = f * rb.d;
    for (let j = 0; j < rb.d; j++) sums[o + j] = sums[o + j]! + buf[j]!;
    used[f] = used[f]! + 1;
  });
  const total = used.reduce((a, b) => a + b, 0);
  if (!total) throw new StrategyError('mean_distance: every develop lumisection has 0 entries');
  const meanWithout = (fold: number): Float64Array => {
    const ref = new Float64Array(rb.d);
    const n = total - (fold >= 0 ? used[fold]! : 0);
    for (let f = 0; f < k; f++) {
      if (f === fold) continue;
      for (let j = 0; j < rb.d; j++) ref[j] = ref[j]! + sums[f * rb.d + j]!;
    }
    for (let j = 0; j < rb.d; j++) ref[j] = ref[j]! / Math.max(n, 1);
    return ref;
  };
  const model: MeanDistanceModel = {
    strategy: 'mean_distance', metric, rebin, mapShape: [h.ny, h.nx], ny: rb.ny, nx: rb.nx, reference: meanWithout(-1), fpr, developCount: rows.length, threshold: 0,
  };
  const scores = new Float64Array(rows.length);
  for (let f = 0; f < k; f++) {
    const held = rows.filter((_, r) => r % k === f);
    const s = applyMeanDistance(k > 1 ? { ...model, reference: meanWithout(f) } : model, h, held, { residual: false }).score;
    for (let r = f, q = 0; r < rows.length; r += k) scores[r] = s[q++]!;
  }
  return { ...model, threshold: thresholdAtFpr(scores, fpr) };
}

/** Scores the selected LS; extras `rmse` and `chi2_ndf`; residual (pull or difference) of the worst LS. */
export function applyMeanDistance(model: MeanDistanceModel, h: HistogramSet, rows: Int32Array, opts: { residual?: boolean } = {}): LsScores {
  checkShape('mean_distance', model.mapShape, h);
  const rb = rebinner(h, model.rebin);
  if (rb.d !== model.reference.length) {
    throw new StrategyError(`mean_distance: maps rebin to ${rb.d} bins but the model has ${model.reference.length}`);
  }
  const n = rows.length;
  const rmse = new Float64Array(n);
  const chi2 = new Float64Array(n);
  const buf = new Float64Array(rb.d);
  for (let r = 0; r < n; r++) {
    const scale = rb.fill(h, rows[r]!, buf);
    rmse[r] = distance(buf, model.reference, scale, 'rmse');
    chi2[r] = distance(buf, model.reference, scale, 'chi2');
  }
  const score = model.metric === 'chi2' ? chi2 : rmse;
  const result: LsScores = { run: pick(h.run, rows), lumi: pick(h.lumi, rows), score: Float64Array.from(score), extra: { rmse, chi2_ndf: chi2 } };
  const worst = argMax(score);
  if (opts.residual === false || worst < 0) return result;
  const residual = new Float64Array(rb.d);
  const scale = rb.fill(h, rows[worst]!, buf);
  distance(buf, model.reference, scale, model.metric, residual);
  const title = `mean_distance ${model.metric === 'chi2' ? 'pull' : 'residual'} ${h.title}`;
  return { ...result, worstResidual: residualSet(h, title, result.run[worst]!, result.lumi[worst]!, rb.ny, rb.nx, residual) };
}
