import type { Table, HistogramSet } from '../../data';
import type { LsScores, ModelBase } from './common';
import { StrategyError } from './errors';
import { applyFeatureZscore, fitFeatureZscore, type FeatureZscoreParams } from './feature-zscore';
import { applyMeanDistance, fitMeanDistance, type MeanDistanceParams } from './mean-distance';
import { applyNmf, fitNmf, type NmfParams } from './nmf';
import { applyPca, fitPca, type PcaParams } from './pca';
import { applyRandomForest, fitRandomForest, type RandomForestParams } from './random-forest';

/** A strategy over one layer's maps (`maps`) or its aggregated-properties table (`table`). */
export type StrategyDefinition =
  | {
      readonly input: 'maps';
      /** Supervised: `fit` gets every develop LS and `bad` (1 = bad) per row, not only the good ones. */
      readonly supervised?: boolean;
      fit(h: HistogramSet, rows: Int32Array, params: Record<string, unknown>, bad?: Uint8Array): ModelBase;
      apply(model: ModelBase, h: HistogramSet, rows: Int32Array): LsScores;
    }
  | {
      readonly input: 'table';
      readonly supervised?: false;
      fit(t: Table, rows: Int32Array, params: Record<string, unknown>): ModelBase;
      apply(model: ModelBase, t: Table, rows: Int32Array): LsScores;
    };

// The casts bridge each strategy's own typed params/model to the uniform pipeline signature; the
// functions validate their parameters themselves.
/* eslint-disable @typescript-eslint/no-explicit-any */
export const STRATEGIES: Readonly<Record<string, StrategyDefinition>> = {
  mean_distance: { input: 'maps', fit: (h, r, p) => fitMeanDistance(h, r, p as MeanDistanceParams), apply: (m, h, r) => applyMeanDistance(m as any, h, r) },
  pca: { input: 'maps', fit: (h, r, p) => fitPca(h, r, p as PcaParams), apply: (m, h, r) => applyPca(m as any, h, r) },
  nmf: { input: 'maps', fit: (h, r, p) => fitNmf(h, r, p as NmfParams), apply: (m, h, r) => applyNmf(m as any, h, r) },
  random_forest: {
    input: 'maps',
    supervised: true,
    fit: (h, r, p, bad) => {
      if (!bad) throw new StrategyError('random_forest is supervised: it needs labels (a task with label sets)');
      return fitRandomForest(h, r, bad, p as RandomForestParams);
    },
    apply: (m, h, r) => applyRandomForest(m as any, h, r),
  },
  feature_zscore: { input: 'table', fit: (t, r, p) => fitFeatureZscore(t, r, p as FeatureZscoreParams), apply: (m, t, r) => applyFeatureZscore(m as any, t, r) },
};
