import type { HistogramSet } from '../histogram-set';
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
  /** Optional block rebinning before comparing (default none: full resolution). */
  rebin?: [number, number];
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
  const rebin = params.rebin ?? [1, 1];
  const rb = rebinner(h, rebin);
  const reference = new Float64Array(rb.d);
  const buf = new Float64Array(rb.d);
  let used = 0;
  for (const i of rows) {
    if (rb.fill(h, i, buf) === 0) continue; // empty LS carry no shape
    for (let j = 0; j < rb.d; j++) reference[j] = reference[j]! + buf[j]!;
    used++;
  }
  if (!used) throw new StrategyError('mean_distance: every develop lumisection has 0 entries');
  for (let j = 0; j < rb.d; j++) reference[j] = reference[j]! / used;
  const partial = { strategy: 'mean_distance' as const, metric, rebin, mapShape: [h.ny, h.nx] as [number, number], ny: rb.ny, nx: rb.nx, reference, fpr, developCount: rows.length, threshold: 0 };
  const develop = applyMeanDistance(partial, h, rows, { residual: false });
  return { ...partial, threshold: thresholdAtFpr(develop.score, fpr) };
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
