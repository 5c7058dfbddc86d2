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
import { mulABt, transpose } from './linalg';
import { Prng } from '../prng';

export interface NmfParams {
  /** Number of non-negative components (default 4). */
  components?: number;
  /** Block rebinning before the fit (default [10, 10]: 200×300 -> 20×30). */
  rebin?: [number, number];
  metric?: 'chi2' | 'rmse';
  fpr?: number;
  /**
   * Multiplicative-update iterations for the fit (at most; default 200, stops when the loss moves
   * by less than `tolerance` over 10 iterations) and per applied LS (default 100).
   */
  iterations?: number;
  /** Relative loss change over 10 fit iterations below which the fit stops (default TOLERANCE). */
  tolerance?: number;
  applyIterations?: number;
  maxTrain?: number;
  seed?: number;
  /** Folds for out-of-sample develop scores (threshold); 0 or 1 = in-sample. Default 3. */
  folds?: number;
  /** Folds: `interleaved` (default) or `contiguous` blocks of LS. */
  foldLayout?: FoldLayout;
}

export interface NmfModel extends ModelBase {
  readonly strategy: 'nmf';
  readonly metric: 'chi2' | 'rmse';
  readonly rebin: [number, number];
  /** Shape of the maps the model was fitted on. */
  readonly mapShape: [number, number];
  readonly ny: number;
  readonly nx: number;
  /** k×d non-negative basis maps. */
  readonly basis: Float64Array;
  readonly k: number;
  readonly applyIterations: number;
  /** Frobenius loss of the fit per iteration checkpoint (every 10 iterations). */
  readonly loss: Float64Array;
}

const EPS = 1e-12;

/**
 * Default stop of the fit: the loss moved by < 0.3 % over 10 iterations. Lee & Seung updates
 * creep (on 500 simulated 20×30 maps: -0.30 % per 10 iterations at 100, -0.06 % at 200), so the
 * old 0.01 % never stopped a fit before 200 iterations; at 0.3 % a fit takes ~100, with the loss
 * 1.3 % above the 200-iteration one and the labelled AUCs unchanged (strategies-labelled.test.ts).
 */
export const TOLERANCE = 3e-3;

/**
 * Strategy (3): NMF reconstruction error, as in CMS pixel DQM studies: develop maps V ≈ W·H with
 * W, H ≥ 0 (Lee & Seung multiplicative updates, seeded uniform init); an LS is scored by how
 * badly the basis H reconstructs it with its best non-negative weights.
 */
export function fitNmf(h: HistogramSet, rows: Int32Array, params: NmfParams = {}): NmfModel {
  const k = params.components ?? 4;
  if (!Number.isInteger(k) || k < 1) throw new StrategyError(`nmf: parameter 'components' must be a positive integer, got ${JSON.stringify(k)}`);
  const metric = params.metric ?? 'chi2';
  if (metric !== 'chi2' && metric !== 'rmse') throw new StrategyError(`nmf: parameter 'metric' must be 'chi2' or 'rmse', got ${JSON.stringify(metric)}`);
  const fpr = checkFpr(params.fpr ?? 0.01, 'nmf');
  requireRows(rows, 'nmf', 'develop');
  const rebin = params.rebin ?? [10, 10];
  const rb = sharedRebinner(h, rebin);
  const d = rb.d;
  const applyIterations = params.applyIterations ?? 100;
  const tolerance = params.tolerance ?? TOLERANCE;
  if (typeof tolerance !== 'number' || !(tolerance >= 0 && tolerance < 1)) throw new StrategyError(`nmf: parameter 'tolerance' must be a number in [0, 1), got ${JSON.stringify(tolerance)}`);
  // Every develop LS rebinned once (n×d): the full fit, the folds and the threshold reuse it.
  const { data, countScale } = normalisedMatrix(h, rows, rb);
  const fitOn = (pos: Int32Array): NmfCore =>
    nmfCore(data, d, subsample(pos, params.maxTrain ?? 500), k, params.iterations ?? 200, params.seed ?? 1, tolerance);
  const scoreOn = (core: NmfCore, pos: Int32Array): Float64Array => {
    const solver = weightSolver(core.basis, k, d, applyIterations);
    return Float64Array.from(pos, (p) => {
      const v = data.subarray(p * d, (p + 1) * d);
      return distance(v, solver(v), countScale[p]!, metric);
    });
  };
  const all = allRows(rows.length);
  const core = fitOn(all);
  const scores = developScores(all, params.folds ?? 3, fitOn, scoreOn, core, checkFoldLayout(params.foldLayout, 'nmf'));
  return {
    strategy: 'nmf',
    metric,
    rebin,
    mapShape: [h.ny, h.nx],
    ny: rb.ny,
    nx: rb.nx,
    ...core,
    k,
    applyIterations,
    fpr,
    developCount: rows.length,
    threshold: thresholdAtFpr(scores, fpr),
  };
}

type NmfCore = Pick<NmfModel, 'basis' | 'loss'>;

/** Lee & Seung multiplicative updates on the matrix rows at `pos` (V ≈ W·H, Frobenius loss). */
function nmfCore(data: Float64Array, d: number, pos: Int32Array, k: number, iterations: number, seed: number, tolerance: number): NmfCore {
  const n = pos.length;
  const v = new Float64Array(n * d);
  pos.forEach((p, i) => v.set(data.subarray(p * d, (p + 1) * d), i * d));
  const prng = new Prng(seed);
  const rand = () => prng.uniform();
  // Relative occupancy has mean ≈ 1, so W·H ≈ 1 needs entries ≈ sqrt(1/k).
  const init = Math.sqrt(1 / k);
  const w = Float64Array.from({ length: n * k }, () => init * (0.5 + rand()));
  const hb = Float64Array.from({ length: k * d }, () => init * (0.5 + rand()));
  const loss: number[] = [];
  // The two n·k·d products of an iteration, WᵀV and V·Hᵀ, as linalg's register-blocked A·Bᵀ
  // (WᵀV = Wᵀ·(Vᵀ)ᵀ, Vᵀ formed once): each element is still one sum over LS i (WᵀV) or bin j
  // (V·Hᵀ) in order, as the row-at-a-time loops added it, so fits are bit-identical.
  const vt = transpose(v, n, d);
  for (let it = 0; it < iterations; it++) {
    // H <- H ∘ (WᵀV) / (WᵀW H)
    const wtv = mulABt(transpose(w, n, k), k, n, vt, d);
    const wtw = gram(w, n, k);
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < d; j++) {
        let den = 0;
        for (let e = 0; e < k; e++) den += wtw[c * k + e]! * hb[e * d + j]!;
        hb[c * d + j] = (hb[c * d + j]! * wtv[c * d + j]!) / (den + EPS);
      }
    }
    // W <- W ∘ (V Hᵀ) / (W H Hᵀ)
    const hht = rowGram(hb, k, d);
    const vht = mulABt(v, n, d, hb, k);
    for (let i = 0; i < n; i++) {
      const wo = i * k;
      for (let c = 0; c < k; c++) {
        let den = 0;
        for (let e = 0; e < k; e++) den += w[wo + e]! * hht[e * k + c]!;
        w[wo + c] = (w[wo + c]! * vht[wo + c]!) / (den + EPS);
      }
    }
    if (it % 10 === 9 || it === iterations - 1) {
      loss.push(frobenius(v, w, hb, n, k, d));
      const prev = loss[loss.length - 2];
      // converged: the loss moved by less than `tolerance` over the last 10 iterations
      if (prev !== undefined && prev - loss[loss.length - 1]! < tolerance * prev) break;
    }
  }
  return { basis: hb, loss: Float64Array.from(loss) };
}

/**
 * Best non-negative weights of a map on a fixed basis H, returned as the reconstruction w·H (a
 * reused buffer). With H fixed each update costs k², after one H·v product, so scoring is cheap.
 */
function weightSolver(basis: Float64Array, k: number, d: number, iterations: number): (v: Float64Array) => Float64Array {
  const hht = rowGram(basis, k, d);
  const recon = new Float64Array(d);
  const hv = new Float64Array(k);
  const wv = new Float64Array(k);
  return (v) => {
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += basis[c * d + j]! * v[j]!;
      hv[c] = s;
      wv[c] = 1 / k;
    }
    for (let it = 0; it < iterations; it++) {
      for (let c = 0; c < k; c++) {
        let den = 0;
        for (let e = 0; e < k; e++) den += wv[e]! * hht[e * k + c]!;
        wv[c] = (wv[c]! * hv[c]!) / (den + EPS);
      }
    }
    recon.fill(0);
    for (let c = 0; c < k; c++) {
      const wc = wv[c]!;
      for (let j = 0; j < d; j++) recon[j] = recon[j]! + wc * basis[c * d + j]!;
    }
    return recon;
  };
}

/** Scores each LS by its NMF reconstruction error (weights solved per LS, basis fixed). */
export function applyNmf(model: NmfModel, h: HistogramSet, rows: Int32Array, opts: { residual?: boolean } = {}): LsScores {
  checkShape('nmf', model.mapShape, h);
  const rb = sharedRebinner(h, model.rebin);
  const { k, basis } = model;
  const d = rb.d;
  if (d * k !== basis.length) throw new StrategyError(`nmf: maps rebin to ${d} bins but the model has ${basis.length / k}`);
  const solve = weightSolver(basis, k, d, model.applyIterations);
  const buf = new Float64Array(d);
  const score = new Float64Array(rows.length);
  for (let r = 0; r < rows.length; r++) {
    const scale = rb.fill(h, rows[r]!, buf);
    score[r] = distance(buf, solve(buf), scale, model.metric);
  }
  const result: LsScores = { run: pick(h.run, rows), lumi: pick(h.lumi, rows), score };
  const worst = argMax(score);
  if (opts.residual === false || worst < 0) return result;
  const scale = rb.fill(h, rows[worst]!, buf);
  const residual = new Float64Array(d);
  distance(buf, solve(buf), scale, model.metric, residual);
  return { ...result, worstResidual: residualSet(h, `nmf residual ${h.title}`, result.run[worst]!, result.lumi[worst]!, rb.ny, rb.nx, residual) };
}

/** WᵀW (k×k) of an n×k matrix. */
function gram(w: Float64Array, n: number, k: number): Float64Array {
  const g = new Float64Array(k * k);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < k; a++) {
      const wa = w[i * k + a]!;
      for (let b = 0; b < k; b++) g[a * k + b] = g[a * k + b]! + wa * w[i * k + b]!;
    }
  }
  return g;
}

/** H Hᵀ (k×k) of a k×d matrix. */
function rowGram(hb: Float64Array, k: number, d: number): Float64Array {
  const g = new Float64Array(k * k);
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += hb[a * d + j]! * hb[b * d + j]!;
      g[a * k + b] = s;
      g[b * k + a] = s;
    }
  }
  return g;
}

function frobenius(v: Float64Array, w: Float64Array, hb: Float64Array, n: number, k: number, d: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      let r = 0;
      for (let c = 0; c < k; c++) r += w[i * k + c]! * hb[c * d + j]!;
      const diff = v[i * d + j]! - r;
      s += diff * diff;
    }
  }
  return Math.sqrt(s / (n * d));
}
