import { RandomForestClassifier } from 'ml-random-forest';
import type { HistogramSet } from '../../data';
import {
  checkFoldLayout,
  checkFpr,
  checkShape,
  folder,
  normalisedMatrix,
  pick,
  requireRows,
  thresholdAtFpr,
  type FoldLayout,
  type LsScores,
  type ModelBase,
} from './common';
import { StrategyError } from './errors';
import { sharedRebinner } from './rebinned-maps';
import { applyMeanDistance, fitMeanDistance, type MeanDistanceModel, type MeanDistanceParams } from './mean-distance';
import { applyPca, fitPca, type PcaModel, type PcaParams } from './pca';

/**
 * Supervised strategy: a random forest (npm ml-random-forest, a maintained CART forest; no need to
 * hand-write one) classifying develop LS as good (0) or bad (1) from their normalised bins plus the
 * unsupervised strategies' scores ("stacking"). The score is the fraction of trees voting bad.
 */
export interface RandomForestParams {
  /** Block rebinning of the bins used as features (default [1, 1]). */
  rebin?: [number, number];
  /** Trees (default 100). */
  nEstimators?: number;
  /** Fraction of the features each tree sees, in (0, 1] (default 0.3). */
  maxFeatures?: number;
  /** Deepest tree (default 10). */
  maxDepth?: number;
  seed?: number;
  /** Unsupervised strategies whose scores become features (default mean_distance and pca). */
  stack?: Array<'mean_distance' | 'pca'>;
  meanDistance?: MeanDistanceParams;
  pca?: PcaParams;
  fpr?: number;
  /** Folds for the out-of-fold develop scores (stacked features and the threshold); default 5. */
  folds?: number;
  /** Default `contiguous` (neighbouring LS are correlated). */
  foldLayout?: FoldLayout;
}

type Stacked = MeanDistanceModel | PcaModel;

export interface RandomForestModel extends ModelBase {
  readonly strategy: 'random_forest';
  readonly rebin: [number, number];
  readonly mapShape: [number, number];
  readonly forest: RandomForestClassifier;
  /** Unsupervised models fitted on all good develop LS; their scores feed the forest on apply. */
  readonly stacked: Stacked[];
  readonly nFeatures: number;
  readonly nBadDevelop: number;
}

/** The forest's numeric-label trap: labels must be numbers 0/1 (strings break its vote count). */
const GOOD = 0;
const BAD = 1;

function checkParams(p: RandomForestParams) {
  const nEstimators = p.nEstimators ?? 100;
  const maxFeatures = p.maxFeatures ?? 0.3;
  const maxDepth = p.maxDepth ?? 10;
  const seed = p.seed ?? 1;
  const folds = p.folds ?? 5;
  if (!Number.isInteger(nEstimators) || nEstimators < 1) throw new StrategyError(`random_forest: parameter 'nEstimators' must be a positive integer, got ${JSON.stringify(nEstimators)}`);
  // ml-random-forest reads an integer as a feature count and 1 as "all": only fractions here.
  if (typeof maxFeatures !== 'number' || !(maxFeatures > 0 && maxFeatures <= 1)) {
    throw new StrategyError(`random_forest: parameter 'maxFeatures' must be a fraction in (0, 1], got ${JSON.stringify(maxFeatures)}`);
  }
  if (!Number.isInteger(maxDepth) || maxDepth < 1) throw new StrategyError(`random_forest: parameter 'maxDepth' must be a positive integer, got ${JSON.stringify(maxDepth)}`);
  // its Mersenne Twister takes 32-bit integers only
  if (!Number.isInteger(seed) || Math.abs(seed) > 2 ** 31 - 1) throw new StrategyError(`random_forest: parameter 'seed' must be a 32-bit integer, got ${JSON.stringify(seed)}`);
  if (!Number.isInteger(folds) || folds < 2) throw new StrategyError(`random_forest: parameter 'folds' must be an integer ≥ 2, got ${JSON.stringify(folds)}`);
  const stack = p.stack ?? ['mean_distance', 'pca'];
  for (const s of stack) if (s !== 'mean_distance' && s !== 'pca') throw new StrategyError(`random_forest: parameter 'stack' lists unknown strategy ${JSON.stringify(s)} (mean_distance, pca)`);
  return { nEstimators, maxFeatures, maxDepth, seed, folds, stack, layout: p.foldLayout === undefined ? ('contiguous' as const) : checkFoldLayout(p.foldLayout, 'random_forest') };
}

/**
 * A stacked model on the good LS. Its own threshold is never used, so no out-of-fold scores
 * (folds 0); 1D keeps every bin, 2D maps rebin 4×4 unless `meanDistance` / `pca` say otherwise.
 */
function fitStacked(name: 'mean_distance' | 'pca', h: HistogramSet, rows: Int32Array, p: RandomForestParams): Stacked {
  const rebin: [number, number] = h.ny === 1 ? [1, 1] : [4, 4];
  return name === 'mean_distance' ? fitMeanDistance(h, rows, { rebin, folds: 0, ...p.meanDistance }) : fitPca(h, rows, { rebin, folds: 0, ...p.pca });
}

function scoreStacked(m: Stacked, h: HistogramSet, rows: Int32Array): Float64Array {
  return m.strategy === 'mean_distance' ? applyMeanDistance(m, h, rows, { residual: false }).score : applyPca(m, h, rows, { residual: false }).score;
}

/** Feature rows: normalised bins, then one column per stacked score (log1p: finite and ordered). */
function features(h: HistogramSet, rows: Int32Array, rebin: [number, number], stackedScores: Float64Array[]): number[][] {
  const rb = sharedRebinner(h, rebin);
  const { data } = normalisedMatrix(h, rows, rb);
  return Array.from(rows, (_, r) => {
    const x = Array.from(data.subarray(r * rb.d, (r + 1) * rb.d));
    for (const s of stackedScores) x.push(Math.log1p(Math.min(Math.max(s[r]!, 0), 1e12)));
    return x;
  });
}

function train(x: number[][], y: number[], c: ReturnType<typeof checkParams>): RandomForestClassifier {
  const forest = new RandomForestClassifier({
    nEstimators: c.nEstimators,
    maxFeatures: c.maxFeatures,
    seed: c.seed,
    replacement: false,
    useSampleBagging: true,
    noOOB: true,
    treeOptions: { maxDepth: c.maxDepth },
  });
  forest.train(x, y);
  return forest;
}

/**
 * Fraction of trees voting bad. Computed from the per-tree votes: the library's
 * predictProbability starts its sum at the first vote (no reduce seed), which is wrong.
 */
function badFraction(forest: RandomForestClassifier, x: number[][]): Float64Array {
  const votes = (forest as unknown as { predictionValues(x: number[][]): { rows: number; getRow(i: number): number[] } }).predictionValues(x);
  return Float64Array.from({ length: votes.rows }, (_, i) => {
    const row = votes.getRow(i);
    return row.reduce((s, v) => s + (v === BAD ? 1 : 0), 0) / row.length;
  });
}

/**
 * Fits on all develop `rows` with `bad[r]` (1 = bad) per row. Stacked strategies learn normal on
 * the good ones; their develop scores, and the forest's for the threshold, are out-of-fold
 * (contiguous blocks), so the forest trains on scores like those it will see on unseen LS.
 */
export function fitRandomForest(h: HistogramSet, rows: Int32Array, bad: Uint8Array, params: RandomForestParams = {}): RandomForestModel {
  const c = checkParams(params);
  const fpr = checkFpr(params.fpr ?? 0.01, 'random_forest');
  requireRows(rows, 'random_forest', 'develop');
  if (bad.length !== rows.length) throw new StrategyError(`random_forest: ${bad.length} labels for ${rows.length} develop lumisections`);
  const nBad = bad.reduce((s, x) => s + x, 0);
  if (nBad === 0 || nBad === rows.length) {
    throw new StrategyError(
      `random_forest is supervised and needs good and bad develop lumisections; the develop set has ${rows.length - nBad} good and ${nBad} bad (choose develop runs with both, or leave random_forest out)`,
    );
  }
  const rebin = params.rebin ?? [1, 1];
  const k = Math.min(c.folds, rows.length);
  const foldOf = folder(rows.length, k, c.layout);
  const good = (sel: (r: number) => boolean) => Int32Array.from(rows.keys()).filter((r) => sel(r) && !bad[r]);
  // out-of-fold stacked scores for every develop LS
  const oof = c.stack.map(() => new Float64Array(rows.length));
  for (let f = 0; f < k; f++) {
    const trainGood = good((r) => foldOf(r) !== f);
    const held = Int32Array.from(rows.keys()).filter((r) => foldOf(r) === f);
    if (!held.length) continue;
    c.stack.forEach((name, s) => {
      const pool = trainGood.length >= 2 ? trainGood : good(() => true);
      const m = fitStacked(name, h, Int32Array.from(pool, (r) => rows[r]!), params);
      const sc = scoreStacked(m, h, Int32Array.from(held, (r) => rows[r]!));
      held.forEach((r, q) => (oof[s]![r] = sc[q]!));
    });
  }
  const x = features(h, rows, rebin, oof);
  const y = Array.from(bad, (b) => (b ? BAD : GOOD));
  // out-of-fold forest scores of the good develop LS set the working point
  const goodScores: number[] = [];
  for (let f = 0; f < k; f++) {
    const tr = [...rows.keys()].filter((r) => foldOf(r) !== f);
    const held = [...rows.keys()].filter((r) => foldOf(r) === f && !bad[r]);
    if (!held.length) continue;
    const ty = tr.map((r) => y[r]!);
    // a fold whose training part holds one class scores its held LS by that class
    const s = new Set(ty).size < 2 ? held.map(() => ty[0] ?? GOOD) : Array.from(badFraction(train(tr.map((r) => x[r]!), ty, c), held.map((r) => x[r]!)));
    goodScores.push(...s);
  }
  const allGood = good(() => true);
  const stacked = c.stack.map((name) => fitStacked(name, h, Int32Array.from(allGood, (r) => rows[r]!), params));
  return {
    strategy: 'random_forest',
    rebin,
    mapShape: [h.ny, h.nx],
    forest: train(x, y, c),
    stacked,
    nFeatures: x[0]!.length,
    nBadDevelop: nBad,
    fpr,
    developCount: rows.length,
    threshold: forestThreshold(goodScores, fpr),
  };
}

/**
 * Score = fraction of trees voting bad, so a strict majority (score > 0.5) is the forest's own
 * decision. The out-of-fold quantile alone can sit above it, at or above the largest vote
 * fraction seen, or at 1 (nothing can exceed it): with few good LS in a training fold (develop
 * runs one good and one entirely bad), good LS get many bad votes and the working point then
 * flags no LS at all. So the threshold never asks for more than a majority of the trees.
 */
export function forestThreshold(goodScores: readonly number[], fpr: number): number {
  return Math.min(thresholdAtFpr(goodScores, fpr), MAJORITY);
}

const MAJORITY = 0.5;

export function applyRandomForest(model: RandomForestModel, h: HistogramSet, rows: Int32Array): LsScores {
  checkShape('random_forest', model.mapShape, h);
  const stackedScores = model.stacked.map((m) => scoreStacked(m, h, rows));
  const x = features(h, rows, model.rebin, stackedScores);
  if (x.length && x[0]!.length !== model.nFeatures) throw new StrategyError(`random_forest: ${x[0]!.length} features but the model has ${model.nFeatures}`);
  const score = x.length ? badFraction(model.forest, x) : new Float64Array(0);
  return { run: pick(h.run, rows), lumi: pick(h.lumi, rows), score };
}
