import { VizError } from '../errors';
import { datasetNames, numberColumn, type PlotsData } from './plots-data';
import type { PlotVariable } from '../../graph';

/**
 * One layer's lumisections as the plots read them: the rows of `layer_N.aggregated_properties`
 * (run, lumi, features) with each strategy's score and flag joined on (run, lumi).
 */
export interface LayerFrame {
  layer: number;
  run: number[];
  lumi: number[];
  /** Feature columns and strategy scores, by variable id, aligned with run/lumi. */
  values: Map<string, Array<number | null>>;
  /** Per strategy: does it flag row i. */
  flags: Map<string, boolean[]>;
  /** Per strategy: its working point on this layer (the predictions' `threshold` column), null if absent. */
  thresholds: Map<string, number | null>;
  features: string[];
  strategies: string[];
}

/** Variable labels with units, CMS style (the maps count clusters per bin). */
const FEATURE_LABELS: Record<string, string> = {
  entries: 'Entries (clusters / LS)',
  mean: 'Mean occupancy (clusters / bin)',
  std: 'Std. dev. of occupancy (clusters / bin)',
  center_phi: 'Centre of mass, φ (bin)',
  center_z: 'Centre of mass, z (bin)',
  rmse: 'RMSE to mean image (clusters / bin)',
  mean_diff: '|Mean difference| to mean image (clusters / bin)',
};

const METRIC_LABELS: Record<string, string> = { chi2: 'χ²/ndf', rmse: 'RMSE' };

export function describeVariable(id: string, kind: PlotVariable['kind'], parameters: Record<string, unknown>): PlotVariable {
  if (kind === 'feature') return { id, kind, label: FEATURE_LABELS[id] ?? id };
  const params = parameters[id] as { metric?: unknown } | undefined;
  const metric = id === 'strategy_feature_zscore' ? 'robust z-score' : typeof params?.metric === 'string' ? (METRIC_LABELS[params.metric] ?? params.metric) : 'score';
  return { id, kind, label: `${id.replace(/^strategy_/, '')} anomaly score (${metric})` };
}

/** Strategies whose predictions file is on disk. */
export function presentStrategies(data: PlotsData): string[] {
  return data.configuredStrategies().filter((s) => data.exists(datasetNames.predictions(s)));
}

/** Layers asked by the project whose aggregated properties are on disk. */
export function presentLayers(data: PlotsData): number[] {
  return data.configuredLayers().filter((l) => data.exists(datasetNames.aggregated(l)));
}

export function checkLayer(data: PlotsData, layerText: string | null | undefined): number {
  const layers = data.configuredLayers();
  const layer = Number(layerText);
  if (layerText === null || layerText === undefined || layerText === '' || !Number.isInteger(layer)) {
    throw new VizError(`Query parameter 'layer' must be a pixel barrel layer (${layers.join(', ')}), got '${layerText ?? ''}'`, { code: 'BAD_LAYER' });
  }
  if (!layers.includes(layer)) throw new VizError(`Layer ${layer} is not processed by this project: parameter 'layers' is [${layers.join(', ')}]`, { code: 'BAD_LAYER' });
  return layer;
}

export async function layerFrame(data: PlotsData, layer: number): Promise<LayerFrame> {
  const t = await data.table(datasetNames.aggregated(layer));
  const run = numberColumn(t, 'run').map((v) => v ?? -1);
  const lumi = numberColumn(t, 'lumi').map((v) => v ?? -1);
  const index = new Map<string, number>();
  for (let i = 0; i < run.length; i++) index.set(`${run[i]}:${lumi[i]}`, i);
  const features = Object.keys(t.columns).filter((c) => c !== 'run' && c !== 'lumi');
  const values = new Map<string, Array<number | null>>(features.map((f) => [f, numberColumn(t, f)]));
  const flags = new Map<string, boolean[]>();
  const thresholds = new Map<string, number | null>();
  const strategies = presentStrategies(data);
  for (const s of strategies) {
    const p = await data.table(datasetNames.predictions(s));
    const [pr, pl, play, score, flag, thr] = ['run', 'lumi', 'layer', 'score', 'flag', 'threshold'].map((c) => numberColumn(p, c)) as Array<Array<number | null>>;
    thresholds.set(s, null);
    const scores = new Array<number | null>(run.length).fill(null);
    const flagged = new Array<boolean>(run.length).fill(false);
    for (let k = 0; k < p.rowCount; k++) {
      if (play![k] !== layer) continue;
      if (thresholds.get(s) === null) thresholds.set(s, thr![k] ?? null);
      const i = index.get(`${pr![k]}:${pl![k]}`);
      if (i === undefined) continue;
      scores[i] = score![k]!;
      flagged[i] = flag![k] === 1;
    }
    values.set(s, scores);
    flags.set(s, flagged);
  }
  return { layer, run, lumi, values, flags, thresholds, features, strategies };
}

/** The variable named by the client, or a 400 listing the valid ones. */
export function checkVariable(frame: LayerFrame, id: string | null | undefined, param: string, parameters: Record<string, unknown>): PlotVariable {
  const valid = [...frame.features, ...frame.strategies];
  if (!id || !frame.values.has(id)) {
    throw new VizError(`Query parameter '${param}' must be one of ${valid.join(', ')}; got '${id ?? ''}'`, { code: 'UNKNOWN_VARIABLE' });
  }
  return describeVariable(id, frame.features.includes(id) ? 'feature' : 'score', parameters);
}

/** The strategies flagging row i. */
export function flaggedBy(frame: LayerFrame, i: number): string[] {
  return frame.strategies.filter((s) => frame.flags.get(s)![i]);
}
