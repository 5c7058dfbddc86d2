import { table, type Table, type Axis, type HistogramSet } from '../../data';
import { StrategyError } from './errors';

/** Per-LS scores of one strategy on one layer (higher = more anomalous). */
export interface LsScores {
  readonly run: Int32Array;
  readonly lumi: Int32Array;
  readonly score: Float64Array;
  /** Extra per-LS columns (e.g. both `rmse` and `chi2_ndf`), copied into the predictions. */
  readonly extra?: Readonly<Record<string, Float64Array | string[]>>;
  /** Map strategies: the residual map of the highest-scoring LS (one-LS HistogramSet). */
  readonly worstResidual?: HistogramSet;
}

/** What every fitted model carries: the threshold chosen on develop and how it was chosen. */
export interface ModelBase {
  readonly strategy: string;
  readonly threshold: number;
  readonly fpr: number;
  readonly developCount: number;
}

/** Row indices 0..n-1 (the "no mask" selection). */
export function allRows(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

/**
 * The threshold above which at most a fraction `fpr` of the develop scores lie: the
 * ceil((1 - fpr)·n)-th smallest score. `score > threshold` flags an LS. With fpr = 0 it is the
 * develop maximum.
 */
export function thresholdAtFpr(scores: ArrayLike<number>, fpr: number): number {
  if (!(fpr >= 0 && fpr < 1)) throw new StrategyError(`false-positive rate must be in [0, 1), got ${fpr}`);
  const finite = Array.from(scores).filter((s) => !Number.isNaN(s));
  if (!finite.length) throw new StrategyError('cannot choose a threshold: the develop set has no scores');
  const sorted = Float64Array.from(finite).sort();
  const k = Math.min(sorted.length - 1, Math.max(0, Math.ceil(sorted.length * (1 - fpr) - 1e-9) - 1));
  return sorted[k]!;
}

export function flagsOf(score: ArrayLike<number>, threshold: number): Int32Array {
  return Int32Array.from({ length: score.length }, (_, i) => (score[i]! > threshold ? 1 : 0));
}

/** The `predictions` table of one layer: run, lumi, layer, score, flag (1 bad, 0 good), extras. */
export function predictionsTable(scores: LsScores, layer: number, threshold: number): Table {
  const n = scores.run.length;
  return table({
    run: Int32Array.from(scores.run),
    lumi: Int32Array.from(scores.lumi),
    layer: new Int32Array(n).fill(layer),
    score: Float64Array.from(scores.score),
    flag: flagsOf(scores.score, threshold),
    // the working point, on every row: the dashboard draws it on the score plots
    threshold: new Float64Array(n).fill(threshold),
    ...(scores.extra ?? {}),
  });
}

/** Row-wise concatenation of tables with the same columns (the layers of one strategy). */
export function concatTables(tables: readonly Table[]): Table {
  if (!tables.length) return table({});
  const names = Object.keys(tables[0]!.columns);
  const out: Record<string, Float64Array | Int32Array | Array<number | string | boolean | null>> = {};
  for (const name of names) {
    const cols = tables.map((t, i) => {
      const c = t.columns[name];
      if (!c) throw new StrategyError(`cannot concatenate predictions: table #${i + 1} has no column '${name}'`);
      return c;
    });
    const first = cols[0]!;
    if (first instanceof Int32Array || first instanceof Float64Array || first instanceof Float32Array) {
      const Ctor = first instanceof Int32Array && cols.every((c) => c instanceof Int32Array) ? Int32Array : Float64Array;
      const total = cols.reduce((s, c) => s + c.length, 0);
      const merged = new Ctor(total);
      let o = 0;
      for (const c of cols) {
        merged.set(c as ArrayLike<number>, o);
        o += c.length;
      }
      out[name] = merged;
    } else {
      out[name] = cols.flatMap((c) => Array.from(c as ArrayLike<number | string | boolean | null>));
    }
  }
  return table(out);
}

/** Rebins and normalises one LS map at a time (streaming: 5,000 full maps never sit in Float64). */
export interface Rebinner {
  readonly ny: number;
  readonly nx: number;
  /** Output bins per map. */
  readonly d: number;
  /**
   * Writes LS `i` of `h` into `out` (length d): summed over `ry×rx` blocks (partial edge blocks
   * kept), normalised to its total and times d, i.e. relative occupancy with mean bin 1, so maps at
   * different luminosity compare. Returns the count scale (expected counts = value · scale), 0 for
   * an empty LS.
   */
  fill(h: HistogramSet, i: number, out: Float64Array): number;
}

/**
 * Normalising by the in-map sum rather than `entries` gives the same shape up to the (tiny)
 * overflow and works whatever normalisation data_processing applied ('none', 'entries', 'max');
 * `entries` still sets the count scale for the Poisson errors.
 */
export function rebinner(h: HistogramSet, rebin: readonly [number, number] = [1, 1]): Rebinner {
  const [ry, rx] = rebin;
  if (!(Number.isInteger(ry) && Number.isInteger(rx) && ry >= 1 && rx >= 1)) {
    throw new StrategyError(`rebin must be two positive integers [rows, columns], got [${rebin.join(', ')}]`);
  }
  const ny = Math.ceil(h.ny / ry);
  const nx = Math.ceil(h.nx / rx);
  const d = ny * nx;
  const srcNy = h.ny;
  const srcNx = h.nx;
  const full = Math.floor(srcNx / rx); // whole column blocks of a row; the rest is a partial block
  const rest = srcNx - full * rx;
  return {
    ny,
    nx,
    d,
    fill(set, i, out) {
      out.fill(0);
      const values = set.values;
      let p = i * srcNy * srcNx;
      let sum = 0;
      // Each row's blocks are summed in a register and added once (not one read-modify-write of
      // `out` per bin through a column-index table): a pass over 5,000 maps is most of a fit.
      // Counts are integers, so any summation order gives the same sums; rescaled maps differ
      // by rounding only.
      for (let y = 0; y < srcNy; y++) {
        const rowOut = Math.floor(y / ry) * nx;
        let row = 0;
        if (rx === 4) {
          // the shipped 4×4 rebin, unrolled
          for (let b = 0; b < full; b++, p += 4) {
            const s = values[p]! + values[p + 1]! + values[p + 2]! + values[p + 3]!;
            out[rowOut + b] = out[rowOut + b]! + s;
            row += s;
          }
        } else if (rx === 1) {
          for (let b = 0; b < full; b++, p++) {
            const s = values[p]!;
            out[rowOut + b] = out[rowOut + b]! + s;
            row += s;
          }
        } else if (rx === 10) {
          // the shipped NMF 10×10 rebin, unrolled: the same adds as the loop below, in its order
          for (let b = 0; b < full; b++, p += 10) {
            let s = 0;
            s += values[p]! + values[p + 1]! + values[p + 2]! + values[p + 3]!;
            s += values[p + 4]! + values[p + 5]! + values[p + 6]! + values[p + 7]!;
            s += values[p + 8]!;
            s += values[p + 9]!;
            out[rowOut + b] = out[rowOut + b]! + s;
            row += s;
          }
        } else {
          const quads = rx & ~3;
          for (let b = 0; b < full; b++) {
            let s = 0;
            let t = 0;
            for (; t < quads; t += 4, p += 4) s += values[p]! + values[p + 1]! + values[p + 2]! + values[p + 3]!;
            for (; t < rx; t++) s += values[p++]!;
            out[rowOut + b] = out[rowOut + b]! + s;
            row += s;
          }
        }
        if (rest) {
          let s = 0;
          for (let t = 0; t < rest; t++) s += values[p++]!;
          out[rowOut + full] = out[rowOut + full]! + s;
          row += s;
        }
        sum += row;
      }
      if (!(sum > 0)) {
        out.fill(0);
        return 0;
      }
      const k = d / sum;
      for (let j = 0; j < d; j++) out[j] = out[j]! * k;
      const entries = set.entries[i]!;
      const mode = set.normalisation ?? 'none';
      // counts inside the map: the sum itself for raw counts, else recovered from `entries`
      const counts = mode === 'none' ? sum : mode === 'entries' ? sum * entries : entries;
      return counts / d;
    },
  };
}

/** The selected LS as an n×d Float64 matrix (for fitting on a bounded develop sample). */
export function normalisedMatrix(h: HistogramSet, rows: Int32Array, rb: Rebinner): { data: Float64Array; countScale: Float64Array } {
  const data = new Float64Array(rows.length * rb.d);
  const countScale = new Float64Array(rows.length);
  for (let r = 0; r < rows.length; r++) countScale[r] = rb.fill(h, rows[r]!, data.subarray(r * rb.d, (r + 1) * rb.d));
  return { data, countScale };
}

/** A model applied to maps of another shape than it was fitted on is a clear error, not garbage. */
export function checkShape(strategy: string, fitted: readonly [number, number], h: HistogramSet): void {
  if (h.ny !== fitted[0] || h.nx !== fitted[1]) {
    throw new StrategyError(`${strategy}: maps '${h.title}' are ${h.ny}×${h.nx} but the model was fitted on ${fitted[0]}×${fitted[1]} maps`);
  }
}

export function pick(values: Int32Array, rows: Int32Array): Int32Array {
  return Int32Array.from(rows, (i) => values[i]!);
}

/** Score metrics: chi²/ndf, RMSE, or (1D) the Kolmogorov–Smirnov distance of the bin CDFs. */
export type DistanceMetric = 'rmse' | 'chi2' | 'ks';
export const DISTANCE_METRICS: readonly DistanceMetric[] = ['chi2', 'rmse', 'ks'];

/**
 * Largest gap between the cumulative distributions of `v` and `ref` over the bins in order
 * (both normalised to their sums): the KS statistic of a 1D histogram; the residual is the CDF
 * difference. Over a 2D map's row-major bins it has no physical meaning (strategies refuse it).
 */
export function ksDistance(v: Float64Array, ref: Float64Array, residual?: Float64Array): number {
  let sv = 0;
  let sr = 0;
  for (let j = 0; j < v.length; j++) {
    sv += v[j]!;
    sr += Math.max(ref[j]!, 0);
  }
  if (!(sv > 0)) return Number.POSITIVE_INFINITY; // an empty LS is never consistent
  let cv = 0;
  let cr = 0;
  let worst = 0;
  for (let j = 0; j < v.length; j++) {
    cv += v[j]! / sv;
    cr += sr > 0 ? Math.max(ref[j]!, 0) / sr : 0;
    const gap = cv - cr;
    if (residual) residual[j] = gap;
    if (Math.abs(gap) > worst) worst = Math.abs(gap);
  }
  return worst;
}

/** Refuses a metric a set's dimension cannot carry (KS needs 1D histograms). */
export function checkMetric(metric: unknown, strategy: string, ny: number): DistanceMetric {
  if (!DISTANCE_METRICS.includes(metric as DistanceMetric)) {
    throw new StrategyError(`${strategy}: parameter 'metric' must be one of ${DISTANCE_METRICS.join(', ')}, got ${JSON.stringify(metric)}`);
  }
  if (metric === 'ks' && ny !== 1) throw new StrategyError(`${strategy}: metric 'ks' needs 1D histograms, these have ${ny} rows`);
  return metric as DistanceMetric;
}

/**
 * Reconstruction distance of one normalised map `v` (length d) from its model `ref`:
 * `rmse` in relative-occupancy units, or `chi2` per degree of freedom with Poisson errors on the
 * counts (σ² = expected counts, floored at 1 so near-empty bins do not explode). Writes the
 * per-bin residual (difference or pull) into `residual` when given.
 */
export function distance(
  v: Float64Array,
  ref: Float64Array,
  countScale: number,
  metric: DistanceMetric,
  residual?: Float64Array,
  systematic?: Float64Array,
): number {
  const d = v.length;
  if (metric === 'ks') return ksDistance(v, ref, residual);
  if (metric === 'rmse') {
    let s = 0;
    for (let j = 0; j < d; j++) {
      const diff = v[j]! - ref[j]!;
      s += diff * diff;
      if (residual) residual[j] = diff;
    }
    return Math.sqrt(s / d);
  }
  if (countScale <= 0) return Number.POSITIVE_INFINITY; // an empty LS is never consistent
  let chi2 = 0;
  let used = 0;
  for (let j = 0; j < d; j++) {
    const observed = v[j]! * countScale;
    const expected = Math.max(ref[j]!, 0) * countScale;
    if (observed === 0 && expected === 0) {
      if (residual) residual[j] = 0;
      continue;
    }
    // systematic: per-bin variance in normalised units (the develop spread), scaled to counts
    const sys = systematic ? systematic[j]! * countScale * countScale : 0;
    const pull = (observed - expected) / Math.sqrt(Math.max(expected, 1) + sys);
    chi2 += pull * pull;
    used++;
    if (residual) residual[j] = pull;
  }
  return used > 1 ? chi2 / (used - 1) : 0;
}

/** A one-LS HistogramSet holding a residual map (for plots and the catalog). */
export function residualSet(h: HistogramSet, title: string, run: number, lumi: number, ny: number, nx: number, values: ArrayLike<number>): HistogramSet {
  const axis = (a: Axis): Axis => ({ min: a.min, max: a.max, label: a.label });
  return {
    kind: 'histogram-set',
    title,
    run: Int32Array.of(run),
    lumi: Int32Array.of(lumi),
    entries: Float64Array.of(0),
    ny,
    nx,
    x: axis(h.x),
    y: axis(h.y),
    values: Float32Array.from(values),
  };
}

/** Index of the largest score (NaN-safe; -1 for none). */
export function argMax(score: Float64Array): number {
  let best = -1;
  for (let i = 0; i < score.length; i++) if (best < 0 || score[i]! > score[best]!) best = i;
  return best;
}

/**
 * Develop scores for the threshold, out of sample: with `folds` > 1 the develop LS are split
 * into interleaved folds, a model is fitted without each fold and scores it. In-sample scores
 * are biased low (PCA/NMF components and the mean image absorb part of each training map's own
 * noise, ~k/n), which would put the threshold too low and flag far more than `fpr` of good LS.
 */
export function developScores<M>(
  rows: Int32Array,
  folds: number,
  fit: (rows: Int32Array) => M,
  score: (model: M, rows: Int32Array) => Float64Array,
  full: M,
  layout: FoldLayout = 'interleaved',
): Float64Array {
  if (!Number.isInteger(folds) || folds < 0) throw new StrategyError(`parameter 'folds' must be a non-negative integer, got ${JSON.stringify(folds)}`);
  if (folds < 2 || rows.length < 2 * folds) return score(full, rows);
  const out = new Float64Array(rows.length);
  const foldOf = folder(rows.length, folds, layout);
  for (let f = 0; f < folds; f++) {
    const train = rows.filter((_, i) => foldOf(i) !== f);
    const heldAt = Int32Array.from(rows.keys()).filter((i) => foldOf(i) === f);
    const s = score(fit(train), Int32Array.from(heldAt, (i) => rows[i]!));
    heldAt.forEach((i, q) => (out[i] = s[q]!));
  }
  return out;
}

/**
 * How develop LS are split into folds: `interleaved` (LS i in fold i mod k) or `contiguous`
 * blocks. Neighbouring LS are correlated (same fill, same conditions), so interleaved folds leak
 * them into training and give optimistic held-out scores; contiguous blocks do not.
 */
export type FoldLayout = 'interleaved' | 'contiguous';

export function checkFoldLayout(layout: unknown, strategy: string): FoldLayout {
  if (layout === undefined) return 'interleaved';
  if (layout !== 'interleaved' && layout !== 'contiguous') {
    throw new StrategyError(`${strategy}: parameter 'foldLayout' must be 'interleaved' or 'contiguous', got ${JSON.stringify(layout)}`);
  }
  return layout;
}

/** Position -> fold for `n` rows in `k` folds. */
export function folder(n: number, k: number, layout: FoldLayout): (i: number) => number {
  return layout === 'contiguous' ? (i) => Math.min(k - 1, Math.floor((i * k) / n)) : (i) => i % k;
}

/** `maxCount` rows spread evenly over `rows` (deterministic subsample to bound fit time). */
export function subsample(rows: Int32Array, maxCount: number): Int32Array {
  if (rows.length <= maxCount) return rows;
  return Int32Array.from({ length: maxCount }, (_, i) => rows[Math.floor((i * rows.length) / maxCount)]!);
}

export function checkFpr(fpr: unknown, strategy: string): number {
  if (typeof fpr !== 'number' || !(fpr >= 0 && fpr < 1)) {
    throw new StrategyError(`${strategy}: parameter 'fpr' must be a number in [0, 1), got ${JSON.stringify(fpr)}`);
  }
  return fpr;
}

export function requireRows(rows: Int32Array, strategy: string, what: string): void {
  if (!rows.length) throw new StrategyError(`${strategy}: the ${what} set selects no lumisection`);
}
