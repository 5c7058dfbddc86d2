import type { HistogramSet } from '../histogram-set';
import {
  argMax,
  checkFpr,
  checkShape,
  developScores,
  distance,
  normalisedMatrix,
  pick,
  rebinner,
  requireRows,
  residualSet,
  subsample,
  thresholdAtFpr,
  type LsScores,
  type ModelBase,
} from './common';
import { StrategyError } from './errors';
import { topComponents } from './linalg';

export interface PcaParams {
  /** Number of principal components kept (default 8). */
  components?: number;
  /** Block rebinning before the fit (default [4, 4]: 200×300 -> 50×75). */
  rebin?: [number, number];
  /** Reconstruction error used as score: chi²/ndf with Poisson errors (default) or RMSE. */
  metric?: 'chi2' | 'rmse';
  fpr?: number;
  /** At most this many develop LS (evenly spaced) are used to fit the components (default 2000). */
  maxTrain?: number;
  powerIterations?: number;
  seed?: number;
  /** Folds for out-of-sample develop scores (threshold); 0 or 1 = in-sample. Default 5. */
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
}

/** Strategy (2): PCA reconstruction error; components fitted on rebinned, normalised develop maps. */
export function fitPca(h: HistogramSet, rows: Int32Array, params: PcaParams = {}): PcaModel {
  const k = params.components ?? 8;
  if (!Number.isInteger(k) || k < 1) throw new StrategyError(`pca: parameter 'components' must be a positive integer, got ${JSON.stringify(k)}`);
  const metric = params.metric ?? 'chi2';
  if (metric !== 'chi2' && metric !== 'rmse') throw new StrategyError(`pca: parameter 'metric' must be 'chi2' or 'rmse', got ${JSON.stringify(metric)}`);
  const fpr = checkFpr(params.fpr ?? 0.01, 'pca');
  requireRows(rows, 'pca', 'develop');
  const rebin = params.rebin ?? [4, 4];
  const fitOn = (r: Int32Array) => pcaModel(h, r, { ...params, components: k, metric, fpr, rebin });
  const model = fitOn(rows);
  const scores = developScores(rows, params.folds ?? 5, fitOn, (m, r) => applyPca(m, h, r, { residual: false }).score, model);
  return { ...model, threshold: thresholdAtFpr(scores, fpr) };
}

function pcaModel(h: HistogramSet, rows: Int32Array, params: PcaParams & Required<Pick<PcaParams, 'components' | 'metric' | 'fpr' | 'rebin'>>): PcaModel {
  const { components: k, metric, fpr, rebin } = params;
  const rb = rebinner(h, rebin);
  const train = subsample(rows, params.maxTrain ?? 2000);
  const { data } = normalisedMatrix(h, train, rb);
  const n = train.length;
  const d = rb.d;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] = mean[j]! + data[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j] = mean[j]! / n;
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = data[i * d + j]! - mean[j]!;
  const kk = Math.min(k, Math.max(n - 1, 1), d);
  const { components, variance } = topComponents(data, n, d, kk, { powerIterations: params.powerIterations ?? 2, seed: params.seed ?? 1 });
  return {
    strategy: 'pca' as const,
    metric,
    rebin,
    mapShape: [h.ny, h.nx] as [number, number],
    ny: rb.ny,
    nx: rb.nx,
    mean,
    components,
    k: variance.length,
    explainedVariance: variance,
    fpr,
    developCount: rows.length,
    threshold: 0,
  };
}

/** Projects each LS on the components and scores the reconstruction error. */
export function applyPca(model: PcaModel, h: HistogramSet, rows: Int32Array, opts: { residual?: boolean } = {}): LsScores {
  checkShape('pca', model.mapShape, h);
  const rb = rebinner(h, model.rebin);
  const d = rb.d;
  if (d !== model.mean.length) throw new StrategyError(`pca: maps rebin to ${d} bins but the model has ${model.mean.length}`);
  const score = new Float64Array(rows.length);
  const buf = new Float64Array(d);
  const recon = new Float64Array(d);
  const reconstruct = (): void => {
    recon.set(model.mean);
    for (let c = 0; c < model.k; c++) {
      const o = c * d;
      let coef = 0;
      for (let j = 0; j < d; j++) coef += (buf[j]! - model.mean[j]!) * model.components[o + j]!;
      for (let j = 0; j < d; j++) recon[j] = recon[j]! + coef * model.components[o + j]!;
    }
  };
  for (let r = 0; r < rows.length; r++) {
    const scale = rb.fill(h, rows[r]!, buf);
    reconstruct();
    score[r] = distance(buf, recon, scale, model.metric);
  }
  const result: LsScores = { run: pick(h.run, rows), lumi: pick(h.lumi, rows), score };
  const worst = argMax(score);
  if (opts.residual === false || worst < 0) return result;
  const scale = rb.fill(h, rows[worst]!, buf);
  reconstruct();
  const residual = new Float64Array(d);
  distance(buf, recon, scale, model.metric, residual);
  return { ...result, worstResidual: residualSet(h, `pca residual ${h.title}`, result.run[worst]!, result.lumi[worst]!, rb.ny, rb.nx, residual) };
}
