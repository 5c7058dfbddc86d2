import { columnNames, type Table } from '../../data';
import { suggestion } from '../../errors';
import { checkFpr, requireRows, thresholdAtFpr, type LsScores, type ModelBase } from './common';
import { StrategyError } from './errors';

export interface FeatureZscoreParams {
  /** Columns of `aggregated_properties` to use (default: every numeric column but run/lumi). */
  features?: string[];
  fpr?: number;
}

export interface FeatureZscoreModel extends ModelBase {
  readonly strategy: 'feature_zscore';
  readonly features: string[];
  readonly median: Float64Array;
  /** 1.4826·MAD (σ of a normal), floored so constant features do not divide by 0. */
  readonly scale: Float64Array;
}

const ID_COLUMNS = new Set(['run', 'lumi', 'layer', 'ls', 'lumisection']);
const MAD_TO_SIGMA = 1.4826;

/**
 * Strategy (4): per-LS robust z-score of the aggregated properties, z = (x - median) / (1.4826·MAD)
 * with median and MAD from the develop LS; the score is the largest |z| over the features and
 * `worst_feature` names it.
 */
export function fitFeatureZscore(t: Table, rows: Int32Array, params: FeatureZscoreParams = {}): FeatureZscoreModel {
  const fpr = checkFpr(params.fpr ?? 0.01, 'feature_zscore');
  requireRows(rows, 'feature_zscore', 'develop');
  const features = params.features ?? columnNames(t).filter((c) => !ID_COLUMNS.has(c) && isNumeric(t.columns[c]));
  if (!features.length) throw new StrategyError(`feature_zscore: no numeric feature columns in the table (columns: ${columnNames(t).join(', ')})`);
  const median = new Float64Array(features.length);
  const scale = new Float64Array(features.length);
  features.forEach((f, c) => {
    const col = numericColumn(t, f);
    const values = Float64Array.from(rows, (i) => col[i]!).filter((x) => Number.isFinite(x));
    const med = medianOf(values);
    const mad = medianOf(values.map((x) => Math.abs(x - med)));
    median[c] = med;
    // A feature constant on develop would give infinite z for any change: floor the scale at a
    // tiny fraction of its level instead.
    scale[c] = Math.max(MAD_TO_SIGMA * mad, 1e-9 * Math.abs(med), 1e-12);
  });
  const partial = { strategy: 'feature_zscore' as const, features, median, scale, fpr, developCount: rows.length, threshold: 0 };
  const develop = applyFeatureZscore(partial, t, rows);
  return { ...partial, threshold: thresholdAtFpr(develop.score, fpr) };
}

/** Scores the selected rows; extras: one `z_<feature>` column per feature and `worst_feature`. */
export function applyFeatureZscore(model: FeatureZscoreModel, t: Table, rows: Int32Array): LsScores {
  const run = intColumn(t, 'run');
  const lumi = intColumn(t, 'lumi');
  const n = rows.length;
  const score = new Float64Array(n);
  const worstFeature: string[] = new Array<string>(n).fill('');
  const z: Record<string, Float64Array> = {};
  model.features.forEach((f, c) => {
    const col = numericColumn(t, f);
    const zc = new Float64Array(n);
    for (let r = 0; r < n; r++) {
      const x = col[rows[r]!]!;
      // A missing feature value is maximally suspicious rather than silently fine.
      const zi = Number.isFinite(x) ? (x - model.median[c]!) / model.scale[c]! : Number.POSITIVE_INFINITY;
      zc[r] = zi;
      if (!worstFeature[r] || Math.abs(zi) > score[r]!) {
        score[r] = Math.abs(zi);
        worstFeature[r] = f;
      }
    }
    z[`z_${f}`] = zc;
  });
  return { run: Int32Array.from(rows, (i) => run[i]!), lumi: Int32Array.from(rows, (i) => lumi[i]!), score, extra: { ...z, worst_feature: worstFeature } };
}

function isNumeric(col: unknown): boolean {
  if (col instanceof Float64Array || col instanceof Float32Array || col instanceof Int32Array) return true;
  return Array.isArray(col) && col.length > 0 && col.every((v) => typeof v === 'number' || v === null);
}

function numericColumn(t: Table, name: string): ArrayLike<number> {
  const col = t.columns[name];
  if (!col) throw new StrategyError(`feature_zscore: no column '${name}' in the table (columns: ${columnNames(t).join(', ')})${suggestion(name, columnNames(t))}`);
  if (!isNumeric(col)) throw new StrategyError(`feature_zscore: column '${name}' is not numeric`);
  return Array.isArray(col) ? col.map((v) => (v === null ? Number.NaN : (v as number))) : (col as ArrayLike<number>);
}

function intColumn(t: Table, name: string): ArrayLike<number> {
  const col = t.columns[name];
  if (!col || !isNumeric(col)) throw new StrategyError(`feature_zscore: the table needs a numeric '${name}' column (columns: ${columnNames(t).join(', ')})`);
  return col as ArrayLike<number>;
}

function medianOf(values: Float64Array): number {
  if (!values.length) return Number.NaN;
  const s = Float64Array.from(values).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
