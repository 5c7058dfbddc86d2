export { StrategyError } from './errors';
export {
  allRows,
  thresholdAtFpr,
  flagsOf,
  predictionsTable,
  concatTables,
  rebinner,
  normalisedMatrix,
  distance,
  subsample,
} from './common';
export { ksDistance, DISTANCE_METRICS } from './common';
export type { LsScores, ModelBase, Rebinner, DistanceMetric, FoldLayout } from './common';
export { fitRandomForest, applyRandomForest } from './random-forest';
export type { RandomForestModel, RandomForestParams } from './random-forest';
export { histogramFeatures } from './histogram-features';
export { evaluateLabelSets, rocFigureByLabel, badUnder, metricsTable } from './label-evaluation';
export type { LabelMetricsRow } from './label-evaluation';
export { fitMeanDistance, applyMeanDistance } from './mean-distance';
export type { MeanDistanceModel, MeanDistanceParams } from './mean-distance';
export { fitPca, applyPca } from './pca';
export type { PcaModel, PcaParams } from './pca';
export { fitNmf, applyNmf } from './nmf';
export type { NmfModel, NmfParams } from './nmf';
export { fitFeatureZscore, applyFeatureZscore } from './feature-zscore';
export type { FeatureZscoreModel, FeatureZscoreParams } from './feature-zscore';
export { rocAuc, rocCurve, indexLabels, evaluatePredictions, rocFigure } from './evaluation';
export type { EvaluationRow, LabelIndex, PlotlyFigure } from './evaluation';
export { flaggedLumiMask, flaggedGoldenJson, flaggedCsvTable, tableToCsv } from './export';
export { STRATEGIES } from './registry';
export type { StrategyDefinition } from './registry';
export { topComponents, symmetricEigen } from './linalg';
