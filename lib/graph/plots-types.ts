/**
 * The JSON of the plots API (`/api/plots/*`), shared by lib/viz/plots and the page's components.
 * Plot-ready: the client draws these without reshaping the data.
 */

/** A variable the page can plot: an aggregated property of a layer, or a strategy's score. */
export interface PlotVariable {
  /** `mean`, `rmse`, ... or a strategy namespace (`strategy_pca`). */
  id: string;
  kind: 'feature' | 'score';
  /** Axis title, CMS style: `Mean cluster count per bin`, `strategy_pca score (χ²/ndf)`. */
  label: string;
}

/** One row of the strategy comparison table. */
export interface ComparisonRow {
  strategy: string;
  /** `all` or the layer number as text. */
  layer: string;
  /** Whose labels judged it: `simulator` (anomaly_labels) or a task's label set (`golden`, `pixel`); null before an evaluation. */
  labelSet: string | null;
  /** `any` (every anomaly type) or one type (`hot_spot`, ... or `bad` for a lumi mask). */
  anomalyType: string;
  /** Labelled-bad and good LS it was judged on (null before an evaluation). */
  nBad: number | null;
  nGood: number | null;
  scored: number;
  flagged: number;
  auc: number | null;
  efficiency: number | null;
  fpr: number | null;
  /** The predictions dataset, as the graph page names its node. */
  dataset: string;
  /** The pipeline whose graph holds that node. */
  pipeline: string;
}

export interface PlotsSummary {
  layers: number[];
  variables: PlotVariable[];
  strategies: string[];
  runs: number[];
  comparison: ComparisonRow[];
  /** Label sets with labelled-bad LS to shade on the plots: `simulator` and the task's sets. */
  labelSets: string[];
  /** The histogram sets (MEs) the LS panel can show, per layer; `{layer}` in `dataset` is the layer number. */
  histograms: HistogramChoice[];
  /** `Simulation` when the data comes from `dqm simulate` (anomaly labels present), else `Preliminary`. */
  cmsLabel: 'Simulation' | 'Preliminary';
  /** What is not there yet and the command that makes it. */
  notes: string[];
}

export interface HistogramChoice {
  /** Catalog dataset name pattern, e.g. `raw_cluster_charge_layer_{layer}`. */
  dataset: string;
  label: string;
  /** Layers whose dataset is on disk. */
  layers: number[];
}

/** A run of consecutive labelled-bad LS, for a shaded band. */
export interface BadBand {
  run: number;
  from: number;
  to: number;
  labelSet: string;
  /** The anomaly type (simulator labels) or `bad` (not in a label set's GOOD mask). */
  type: string;
}

/** One run's points; `flaggedBy[i]` lists the strategies that flag point i. */
export interface RunSeries {
  run: number;
  lumi: number[];
  value: Array<number | null>;
  flaggedBy: string[][];
}

export interface SeriesResponse {
  layer: number;
  variable: PlotVariable;
  runs: RunSeries[];
  /** A score's working point on this layer (null for features or when the predictions lack it). */
  threshold: number | null;
  /** Labelled-bad LS of this layer, every label set. */
  bands: BadBand[];
}

export interface CorrelationResponse {
  layer: number;
  x: PlotVariable;
  y: PlotVariable;
  /** Points where both variables are defined. */
  points: { run: number[]; lumi: number[]; x: number[]; y: number[] };
  /** Pearson r of x and y over those points (null below 2 points or with no spread). */
  pearson: number | null;
  matrix: CorrelationMatrix;
}

export interface CorrelationMatrix {
  variables: string[];
  /** r[i][j], pairwise over the LS where both are defined; null when undefined. */
  r: Array<Array<number | null>>;
}

export interface LsRef {
  run: number;
  lumi: number;
}

export interface MapAxis {
  min: number;
  max: number;
  label: string;
}

export interface LsScore {
  strategy: string;
  score: number | null;
  flag: boolean | null;
}

export interface LsDetail {
  run: number;
  lumi: number;
  layer: number;
  /** The histogram set shown (catalog name) and its dimension: 1 draws a histogram with a ratio panel, 2 maps. */
  dataset: string;
  dims: 1 | 2;
  /** How the reference was made (`mean image of layer 1`, `mean of 20 develop LS (task 'e2e')`). */
  referenceNote: string | null;
  /** Position of this LS among the layer's LS (sorted by run, lumi), and their count. */
  index: number;
  count: number;
  prev: LsRef | null;
  next: LsRef | null;
  entries: number;
  title: string;
  x: MapAxis;
  y: MapAxis;
  /** ny × nx, row = phi bin, column = z bin. */
  map: number[][];
  /** Unit entries: the layer's mean image for the maps, else the mean of the develop LS (null when there is none yet). */
  reference: number[][] | null;
  /** map / entries − reference / its entries (null without a reference). */
  residual: number[][] | null;
  scores: LsScore[];
  features: Record<string, number | null>;
}

/** What the plots route handlers call (query values passed as received; the service validates). */
export interface PlotsServiceApi {
  summary(): Promise<PlotsSummary>;
  series(layer: string | null, variable: string | null): Promise<SeriesResponse>;
  correlation(layer: string | null, x: string | null, y: string | null): Promise<CorrelationResponse>;
  ls(run: string | null, lumi: string | null, layer: string | null, dataset?: string | null): Promise<LsDetail>;
}
