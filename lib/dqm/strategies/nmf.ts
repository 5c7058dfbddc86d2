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
import { rowTimesMt } from './linalg';
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
   * by < 0.01 % over 10 iterations) and per applied LS (default 100).
   */
  iterations?: number;
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
  // Every develop LS rebinned once (n×d): the full fit, the folds and the threshold reuse it.
  const { data, countScale } = normalisedMatrix(h, rows, rb);
  const fitOn = (pos: Int32Array): NmfCore =>
    nmfCore(data, d, subsample(pos, params.maxTrain ?? 500), k, params.iterations ?? 200, params.seed ?? 1);
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
function nmfCore(data: Float64Array, d: number, pos: Int32Array, k: number, iterations: number, seed: number): NmfCore {
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
  // WᵀV and WᵀW of the first iteration; later ones come out of the previous iteration's sweep
  const wtv = new Float64Array(k * d);
  for (let i = 0; i < n; i++) addOuter(wtv, w, i, v, k, d);
  let wtw = gram(w, n, k);
  const vht = new Float64Array(k);
  for (let it = 0; it < iterations; it++) {
    // H <- H ∘ (WᵀV) / (WᵀW H)
    for (let c = 0; c < k; c++) {
      for (let j = 0; j < d; j++) {
        let den = 0;
        for (let e = 0; e < k; e++) den += wtw[c * k + e]! * hb[e * d + j]!;
        hb[c * d + j] = (hb[c * d + j]! * wtv[c * d + j]!) / (den + EPS);
      }
    }
    // W <- W ∘ (V Hᵀ) / (W H Hᵀ), in one sweep over V that also sums the next iteration's WᵀV and
    // WᵀW from the new rows and, at a checkpoint, the loss: V is read once per iteration, not 3-4
    // times. Each of those sums still adds its terms over LS i in order: bit-identical fits.
    const hht = rowGram(hb, k, d);
    const checkpoint = it % 10 === 9 || it === iterations - 1;
    wtv.fill(0);
    const nextWtw = new Float64Array(k * k);
    let sq = 0;
    for (let i = 0; i < n; i++) {
      rowTimesMt(vht, v, i * d, hb, k, d);
      const wo = i * k;
      for (let c = 0; c < k; c++) {
        let den = 0;
        for (let e = 0; e < k; e++) den += w[wo + e]! * hht[e * k + c]!;
        w[wo + c] = (w[wo + c]! * vht[c]!) / (den + EPS);
      }
      addOuter(wtv, w, i, v, k, d);
      for (let a = 0; a < k; a++) {
        const wa = w[wo + a]!;
        for (let b = 0; b < k; b++) nextWtw[a * k + b] = nextWtw[a * k + b]! + wa * w[wo + b]!;
      }
      if (checkpoint) sq = addRowSquaredError(sq, v, w, hb, i, k, d);
    }
    wtw = nextWtw;
    if (checkpoint) {
      loss.push(Math.sqrt(sq / (n * d)));
      const prev = loss[loss.length - 2];
      // converged: the loss moved by less than 0.01 % over the last 10 iterations
      if (prev !== undefined && prev - loss[loss.length - 1]! < 1e-4 * prev) break;
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

/**
 * out (k×d) += w_iᵀ v_i: LS i's share of WᵀV, four components per pass over the row of V (read
 * once, not k times); each output element gets its terms over i in order.
 */
function addOuter(out: Float64Array, w: Float64Array, i: number, v: Float64Array, k: number, d: number): void {
  const vo = i * d;
  let c = 0;
  for (; c + 4 <= k; c += 4) {
    const w0 = w[i * k + c]!;
    const w1 = w[i * k + c + 1]!;
    const w2 = w[i * k + c + 2]!;
    const w3 = w[i * k + c + 3]!;
    const o0 = c * d;
    const o1 = o0 + d;
    const o2 = o1 + d;
    const o3 = o2 + d;
    for (let j = 0; j < d; j++) {
      const x = v[vo + j]!;
      out[o0 + j] = out[o0 + j]! + w0 * x;
      out[o1 + j] = out[o1 + j]! + w1 * x;
      out[o2 + j] = out[o2 + j]! + w2 * x;
      out[o3 + j] = out[o3 + j]! + w3 * x;
    }
  }
  for (; c < k; c++) {
    const wc = w[i * k + c]!;
    const o = c * d;
    for (let j = 0; j < d; j++) out[o + j] = out[o + j]! + wc * v[vo + j]!;
  }
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

/** `s` + Σ_j (V_ij − (W H)_ij)² of LS i: the Frobenius sum carried on, one term at a time, in order. */
function addRowSquaredError(s: number, v: Float64Array, w: Float64Array, hb: Float64Array, i: number, k: number, d: number): number {
  for (let j = 0; j < d; j++) {
    let r = 0;
    for (let c = 0; c < k; c++) r += w[i * k + c]! * hb[c * d + j]!;
    const diff = v[i * d + j]! - r;
    s += diff * diff;
  }
  return s;
}
