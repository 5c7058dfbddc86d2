import type { HistogramSet } from '../../data';
import {
  argMax,
  checkFoldLayout,
  checkFpr,
  checkMetric,
  checkShape,
  distance,
  folder,
  normalisedMatrix,
  pick,
  requireRows,
  residualSet,
  subsample,
  thresholdAtFpr,
  type DistanceMetric,
  type FoldLayout,
  type LsScores,
  type ModelBase,
  type Rebinner,
} from './common';
import { StrategyError } from './errors';
import { sharedRebinner } from './rebinned-maps';

export interface MeanDistanceParams {
  /** Which distance is the score: chi²/ndf with Poisson errors (default), RMSE, or KS (1D only). */
  metric?: DistanceMetric;
  /** The reference: per-bin `mean` (default) or `median` of the develop LS (robust to bad LS among them). */
  reference?: 'mean' | 'median';
  /**
   * Add a systematic per-bin variance to the chi² errors: (1.4826·MAD)² of the develop LS in each
   * bin, i.e. how much good LS really vary beyond Poisson noise (luminosity, conditions). Default false.
   */
  systematic?: boolean;
  /** At most this many develop LS (evenly spaced) set a median reference / MAD (default 2000). */
  maxTrain?: number;
  /** Folds: `interleaved` (default) or `contiguous` blocks of LS. */
  foldLayout?: FoldLayout;
  /** Fraction of develop LS allowed above the threshold. */
  fpr?: number;
  /** Block rebinning before comparing (default [4, 4]: 200×300 -> 50×75; [1, 1] = full resolution). */
  rebin?: [number, number];
  /** Folds for out-of-sample develop scores (threshold); 0 or 1 = in-sample. Default 5. */
  folds?: number;
}

export interface MeanDistanceModel extends ModelBase {
  readonly strategy: 'mean_distance';
  readonly metric: DistanceMetric;
  readonly rebin: [number, number];
  /** Shape of the maps the model was fitted on. */
  readonly mapShape: [number, number];
  readonly ny: number;
  readonly nx: number;
  /** Develop-set mean (or median) of the normalised maps (relative occupancy), length ny·nx. */
  readonly reference: Float64Array;
  /** Per-bin systematic variance in normalised units (with `systematic`), length ny·nx. */
  readonly systematic?: Float64Array;
}

/**
 * Strategy (1): distance of each LS to the develop-set mean image, after normalising every map to
 * its entries. Both metrics are computed; `metric` picks the score and the threshold.
 */
export function fitMeanDistance(h: HistogramSet, rows: Int32Array, params: MeanDistanceParams = {}): MeanDistanceModel {
  const metric = checkMetric(params.metric ?? 'chi2', 'mean_distance', h.ny);
  const fpr = checkFpr(params.fpr ?? 0.01, 'mean_distance');
  requireRows(rows, 'mean_distance', 'develop');
  const rebin = params.rebin ?? [4, 4];
  const folds = params.folds ?? 5;
  if (!Number.isInteger(folds) || folds < 0) throw new StrategyError(`mean_distance: parameter 'folds' must be a non-negative integer, got ${JSON.stringify(folds)}`);
  const reference = params.reference ?? 'mean';
  if (reference !== 'mean' && reference !== 'median') throw new StrategyError(`mean_distance: parameter 'reference' must be 'mean' or 'median', got ${JSON.stringify(reference)}`);
  const layout = checkFoldLayout(params.foldLayout, 'mean_distance');
  const k = folds >= 2 && rows.length >= 2 * folds ? folds : 1;
  const foldOf = folder(rows.length, k, layout);
  const rb = sharedRebinner(h, rebin);
  const base = { strategy: 'mean_distance' as const, metric, rebin, mapShape: [h.ny, h.nx] as [number, number], ny: rb.ny, nx: rb.nx, fpr, developCount: rows.length, threshold: 0 };
  const refWithout =
    reference === 'median' || params.systematic
      ? robustReferences(h, rows, rb, foldOf, reference, params.systematic ?? false, params.maxTrain ?? 2000)
      : meanReferences(h, rows, rb, foldOf, k);
  const model: MeanDistanceModel = { ...base, ...refWithout(-1) };
  const scores = new Float64Array(rows.length);
  for (let f = 0; f < k; f++) {
    const at = Int32Array.from(rows.keys()).filter((r) => foldOf(r) === f);
    const held = Int32Array.from(at, (r) => rows[r]!);
    const s = applyMeanDistance(k > 1 ? { ...model, ...refWithout(f) } : model, h, held, { residual: false }).score;
    at.forEach((r, q) => (scores[r] = s[q]!));
  }
  return { ...model, threshold: thresholdAtFpr(scores, fpr) };
}

type References = (fold: number) => { reference: Float64Array; systematic?: Float64Array };

/** Mean reference without each fold, from per-fold sums (one pass over the maps). */
function meanReferences(h: HistogramSet, rows: Int32Array, rb: Rebinner, foldOf: (r: number) => number, k: number): References {
  const sums = new Float64Array(k * rb.d);
  const used = new Float64Array(k);
  const buf = new Float64Array(rb.d);
  rows.forEach((i, r) => {
    if (rb.fill(h, i, buf) === 0) return; // an empty LS carries no shape
    const f = foldOf(r);
    const o = f * rb.d;
    for (let j = 0; j < rb.d; j++) sums[o + j] = sums[o + j]! + buf[j]!;
    used[f] = used[f]! + 1;
  });
  const total = used.reduce((a, b) => a + b, 0);
  if (!total) throw new StrategyError('mean_distance: every develop lumisection has 0 entries');
  return (fold) => {
    const ref = new Float64Array(rb.d);
    const n = total - (fold >= 0 ? used[fold]! : 0);
    for (let f = 0; f < k; f++) {
      if (f === fold) continue;
      for (let j = 0; j < rb.d; j++) ref[j] = ref[j]! + sums[f * rb.d + j]!;
    }
    for (let j = 0; j < rb.d; j++) ref[j] = ref[j]! / Math.max(n, 1);
    return { reference: ref };
  };
}

const MAD_TO_SIGMA = 1.4826;

/** Median (or mean) reference and MAD systematic without each fold, over a bounded develop sample. */
function robustReferences(
  h: HistogramSet,
  rows: Int32Array,
  rb: Rebinner,
  foldOf: (r: number) => number,
  reference: 'mean' | 'median',
  systematic: boolean,
  maxTrain: number,
): References {
  const sample = subsample(Int32Array.from(rows.keys()), maxTrain);
  const { data, countScale } = normalisedMatrix(h, Int32Array.from(sample, (r) => rows[r]!), rb);
  const d = rb.d;
  return (fold) => {
    const keep: number[] = [];
    sample.forEach((r, s) => {
      if (countScale[s]! > 0 && (fold < 0 || foldOf(r) !== fold)) keep.push(s);
    });
    if (!keep.length) throw new StrategyError('mean_distance: every develop lumisection has 0 entries');
    const ref = new Float64Array(d);
    const sys = systematic ? new Float64Array(d) : undefined;
    const column = new Float64Array(keep.length);
    for (let j = 0; j < d; j++) {
      keep.forEach((s, q) => (column[q] = data[s * d + j]!));
      const centre = reference === 'median' ? medianInPlace(column) : column.reduce((a, b) => a + b, 0) / column.length;
      ref[j] = centre;
      if (sys) {
        for (let q = 0; q < column.length; q++) column[q] = Math.abs(column[q]! - centre);
        sys[j] = (MAD_TO_SIGMA * medianInPlace(column)) ** 2;
      }
    }
    return sys ? { reference: ref, systematic: sys } : { reference: ref };
  };
}

/** Median of `a` (sorts it in place). */
function medianInPlace(a: Float64Array): number {
  a.sort();
  const m = a.length >> 1;
  return a.length % 2 ? a[m]! : (a[m - 1]! + a[m]!) / 2;
}

/** Scores the selected LS; extras `rmse` and `chi2_ndf`; residual (pull or difference) of the worst LS. */
export function applyMeanDistance(model: MeanDistanceModel, h: HistogramSet, rows: Int32Array, opts: { residual?: boolean } = {}): LsScores {
  checkShape('mean_distance', model.mapShape, h);
  const rb = sharedRebinner(h, model.rebin);
  if (rb.d !== model.reference.length) {
    throw new StrategyError(`mean_distance: maps rebin to ${rb.d} bins but the model has ${model.reference.length}`);
  }
  const n = rows.length;
  const rmse = new Float64Array(n);
  const chi2 = new Float64Array(n);
  const ks = model.ny === 1 ? new Float64Array(n) : undefined;
  const buf = new Float64Array(rb.d);
  for (let r = 0; r < n; r++) {
    const scale = rb.fill(h, rows[r]!, buf);
    rmse[r] = distance(buf, model.reference, scale, 'rmse');
    chi2[r] = distance(buf, model.reference, scale, 'chi2', undefined, model.systematic);
    if (ks) ks[r] = distance(buf, model.reference, scale, 'ks');
  }
  const score = model.metric === 'chi2' ? chi2 : model.metric === 'ks' ? ks! : rmse;
  const extra = { rmse, chi2_ndf: chi2, ...(ks ? { ks } : {}) };
  const result: LsScores = { run: pick(h.run, rows), lumi: pick(h.lumi, rows), score: Float64Array.from(score), extra };
  const worst = argMax(score);
  if (opts.residual === false || worst < 0) return result;
  const residual = new Float64Array(rb.d);
  const scale = rb.fill(h, rows[worst]!, buf);
  distance(buf, model.reference, scale, model.metric, residual, model.systematic);
  const title = `mean_distance ${model.metric === 'chi2' ? 'pull' : model.metric === 'ks' ? 'CDF difference' : 'residual'} ${h.title}`;
  return { ...result, worstResidual: residualSet(h, title, result.run[worst]!, result.lumi[worst]!, rb.ny, rb.nx, residual) };
}
