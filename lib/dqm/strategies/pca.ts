import type { HistogramSet } from '../../data';
import {
  allRows,
  argMax,
  checkFoldLayout,
  checkFpr,
  checkShape,
  developScores,
  distance,
  normalisedMatrix,
  pick,
  requireRows,
  residualSet,
  subsample,
  thresholdAtFpr,
  type FoldLayout,
  type LsScores,
  type ModelBase,
} from './common';
import { StrategyError } from './errors';
import { sharedRebinner } from './rebinned-maps';
import { addCombination, rowTimesMt, topComponents } from './linalg';

export interface PcaParams {
  /**
   * Number of principal components kept (default 8), or `auto`: the components whose variance
   * stands above the Poisson-noise bulk (Marchenko–Pastur edge σ²(1+√(d/n))², σ² the mean per-bin
   * Poisson variance of the normalised develop LS), between 1 and `maxComponents`.
   */
  components?: number | 'auto';
  /** Upper bound for `components: auto` (default 20). */
  maxComponents?: number;
  /**
   * Robust screening of the develop set: after a first fit, develop LS scoring above
   * median + screen·1.4826·MAD of the develop scores are dropped and the model refitted (bad LS
   * that slipped into develop would otherwise be learnt as normal). 0 = off (default).
   */
  screen?: number;
  /** Folds: `interleaved` (default) or `contiguous` blocks of LS. */
  foldLayout?: FoldLayout;
  /** Block rebinning before the fit (default [4, 4]: 200×300 -> 50×75). */
  rebin?: [number, number];
  /** Reconstruction error used as score: chi²/ndf with Poisson errors (default) or RMSE. */
  metric?: 'chi2' | 'rmse';
  fpr?: number;
  /** At most this many develop LS (evenly spaced) are used to fit the components (default 1000). */
  maxTrain?: number;
  powerIterations?: number;
  seed?: number;
  /** Folds for out-of-sample develop scores (threshold); 0 or 1 = in-sample. Default 3. */
  folds?: number;
}

export interface PcaModel extends ModelBase {
  readonly strategy: 'pca';
  readonly metric: 'chi2' | 'rmse';
  readonly rebin: [number, number];
  /** Shape of the maps the model was fitted on. */
  readonly mapShape: [number, number];
  readonly ny: number;
  readonly nx: number;
  readonly mean: Float64Array;
  /** k×d row-major, orthonormal rows. */
  readonly components: Float64Array;
  readonly k: number;
  readonly explainedVariance: Float64Array;
  /** Develop LS dropped by the robust screening. */
  readonly screenedOut: number;
}

/** Strategy (2): PCA reconstruction error; components fitted on rebinned, normalised develop maps. */
export function fitPca(h: HistogramSet, rows: Int32Array, params: PcaParams = {}): PcaModel {
  const kParam = params.components ?? 8;
  if (kParam !== 'auto' && (!Number.isInteger(kParam) || kParam < 1)) {
    throw new StrategyError(`pca: parameter 'components' must be a positive integer or 'auto', got ${JSON.stringify(kParam)}`);
  }
  const maxComponents = params.maxComponents ?? 20;
  if (!Number.isInteger(maxComponents) || maxComponents < 1) throw new StrategyError(`pca: parameter 'maxComponents' must be a positive integer, got ${JSON.stringify(maxComponents)}`);
  const screen = params.screen ?? 0;
  if (typeof screen !== 'number' || !(screen >= 0)) throw new StrategyError(`pca: parameter 'screen' must be a number ≥ 0, got ${JSON.stringify(screen)}`);
  const metric = params.metric ?? 'chi2';
  if (metric !== 'chi2' && metric !== 'rmse') throw new StrategyError(`pca: parameter 'metric' must be 'chi2' or 'rmse', got ${JSON.stringify(metric)}`);
  const fpr = checkFpr(params.fpr ?? 0.01, 'pca');
  const layout = checkFoldLayout(params.foldLayout, 'pca');
  requireRows(rows, 'pca', 'develop');
  const rebin = params.rebin ?? [4, 4];
  const rb = sharedRebinner(h, rebin);
  const d = rb.d;
  // Every develop LS rebinned once (n×d): the full fit, the folds and the threshold reuse it.
  const { data, countScale } = normalisedMatrix(h, rows, rb);
  const maxTrain = params.maxTrain ?? 1000;
  const k = kParam === 'auto' ? autoComponents(data, countScale, d, subsample(allRows(rows.length), maxTrain), maxComponents, params) : kParam;
  const fitOn = (pos: Int32Array): PcaCore => pcaCore(data, d, subsample(pos, maxTrain), k, params.powerIterations ?? 2, params.seed ?? 1);
  const scoreOn = (core: PcaCore, pos: Int32Array): Float64Array => {
    const recon = new Float64Array(d);
    return Float64Array.from(pos, (p) => pcaDistance(core, data.subarray(p * d, (p + 1) * d), countScale[p]!, metric, recon));
  };
  let kept = allRows(rows.length);
  let core = fitOn(kept);
  if (screen > 0) {
    const s = scoreOn(core, kept);
    const cut = robustCut(s, screen);
    const survivors = kept.filter((_, i) => s[i]! <= cut);
    if (survivors.length >= Math.max(2, k + 1) && survivors.length < kept.length) {
      kept = survivors;
      core = fitOn(kept);
    }
  }
  const scores = developScores(kept, params.folds ?? 3, fitOn, scoreOn, core, layout);
  return {
    strategy: 'pca',
    metric,
    rebin,
    mapShape: [h.ny, h.nx],
    ny: rb.ny,
    nx: rb.nx,
    ...core,
    screenedOut: rows.length - kept.length,
    fpr,
    developCount: rows.length,
    threshold: thresholdAtFpr(scores, fpr),
  };
}

/** median + m·1.4826·MAD of the finite scores (+∞ scores are always cut). */
function robustCut(scores: Float64Array, m: number): number {
  const finite = scores.filter((x) => Number.isFinite(x)).sort();
  if (!finite.length) return Number.POSITIVE_INFINITY;
  const med = finite[finite.length >> 1]!;
  const dev = finite.map((x) => Math.abs(x - med)).sort();
  return med + m * 1.4826 * dev[dev.length >> 1]!;
}

/** Components above the noise bulk (see PcaParams.components). */
function autoComponents(data: Float64Array, countScale: Float64Array, d: number, pos: Int32Array, max: number, params: PcaParams): number {
  const n = pos.length;
  if (n < 3) return 1;
  let noise = 0;
  let used = 0;
  for (const p of pos) {
    const scale = countScale[p]!;
    if (!(scale > 0)) continue;
    // Poisson variance of a normalised bin v = counts / scale is v / scale; mean over bins
    let s = 0;
    for (let j = 0; j < d; j++) s += data[p * d + j]!;
    noise += s / d / scale;
    used++;
  }
  if (!used) return 1;
  const edge = (noise / used) * (1 + Math.sqrt(d / n)) ** 2;
  const probe = pcaCore(data, d, pos, Math.min(max, n - 1, d), params.powerIterations ?? 2, params.seed ?? 1);
  let k = 0;
  while (k < probe.k && probe.explainedVariance[k]! > edge) k++;
  return Math.max(1, k);
}

type PcaCore = Pick<PcaModel, 'mean' | 'components' | 'k' | 'explainedVariance'>;

/** Mean and top-k components of the matrix rows at `pos`. */
function pcaCore(data: Float64Array, d: number, pos: Int32Array, k: number, powerIterations: number, seed: number): PcaCore {
  const n = pos.length;
  const mean = new Float64Array(d);
  for (const p of pos) for (let j = 0; j < d; j++) mean[j] = mean[j]! + data[p * d + j]!;
  for (let j = 0; j < d; j++) mean[j] = mean[j]! / n;
  const centred = new Float64Array(n * d);
  pos.forEach((p, i) => {
    for (let j = 0; j < d; j++) centred[i * d + j] = data[p * d + j]! - mean[j]!;
  });
  const kk = Math.min(k, Math.max(n - 1, 1), d);
  const { components, variance } = topComponents(centred, n, d, kk, { powerIterations, seed });
  return { mean, components, k: variance.length, explainedVariance: variance };
}

/** Reconstruction (mean + projection on the components) of `v` into `recon`, and its distance. */
function pcaDistance(core: PcaCore, v: Float64Array, scale: number, metric: 'chi2' | 'rmse', recon: Float64Array, residual?: Float64Array): number {
  const d = v.length;
  const { mean, components: comp, k } = core;
  // Centred map once, then the coefficients and the reconstruction eight components per pass
  // (linalg's kernels): each sum adds the same terms in the same order as one pass per component.
  for (let j = 0; j < d; j++) recon[j] = v[j]! - mean[j]!;
  if (coefs.length < k) coefs = new Float64Array(k);
  rowTimesMt(coefs, recon, 0, comp, k, d);
  recon.set(mean);
  addCombination(recon, coefs, comp, k, d);
  return distance(v, recon, scale, metric, residual);
}

/** pcaDistance's coefficients (reused: no allocation per LS). */
let coefs = new Float64Array(0);

/** Projects each LS on the components and scores the reconstruction error. */
export function applyPca(model: PcaModel, h: HistogramSet, rows: Int32Array, opts: { residual?: boolean } = {}): LsScores {
  checkShape('pca', model.mapShape, h);
  const rb = sharedRebinner(h, model.rebin);
  const d = rb.d;
  if (d !== model.mean.length) throw new StrategyError(`pca: maps rebin to ${d} bins but the model has ${model.mean.length}`);
  const score = new Float64Array(rows.length);
  const buf = new Float64Array(d);
  const recon = new Float64Array(d);
  for (let r = 0; r < rows.length; r++) score[r] = pcaDistance(model, buf, rb.fill(h, rows[r]!, buf), model.metric, recon);
  const result: LsScores = { run: pick(h.run, rows), lumi: pick(h.lumi, rows), score };
  const worst = argMax(score);
  if (opts.residual === false || worst < 0) return result;
  const residual = new Float64Array(d);
  pcaDistance(model, buf, rb.fill(h, rows[worst]!, buf), model.metric, recon, residual);
  return { ...result, worstResidual: residualSet(h, `pca residual ${h.title}`, result.run[worst]!, result.lumi[worst]!, rb.ny, rb.nx, residual) };
}
