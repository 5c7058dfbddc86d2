import { VizNotFoundError } from '../errors';
import { checkLayer, checkVariable, describeVariable, flaggedBy, layerFrame, presentLayers, presentStrategies } from './layer-frame';
import { lsDetail } from './ls-detail';
import { badBands, labelSetNames, SIMULATOR_LABELS } from './bad-bands';
import { correlationMatrix, pearson } from './pearson';
import { datasetNames, numberColumn, PlotsData, textColumn, type PlotsSource } from './plots-data';
import type { ComparisonRow, CorrelationResponse, LsDetail, PlotsServiceApi, PlotsSummary, RunSeries, SeriesResponse } from '../../graph';

/** The pipeline whose graph shows the predictions datasets (the graph page's `?pipeline=`). */
export const STRATEGIES_PIPELINE = 'strategies';

/**
 * The DQM plots page's data: time series, correlations, the strategy comparison and one LS's
 * maps, all read through the project's catalog and shaped for Plotly.
 */
export class PlotsService implements PlotsServiceApi {
  private readonly data: PlotsData;

  constructor(source: PlotsSource) {
    this.data = new PlotsData(source);
  }

  async summary(): Promise<PlotsSummary> {
    const data = this.data;
    const layers = presentLayers(data);
    const strategies = presentStrategies(data);
    const notes: string[] = [];
    for (const l of data.configuredLayers()) if (!layers.includes(l)) notes.push(`Layer ${l}: ${datasetNames.aggregated(l)} is not produced yet (run \`dqm run\`)`);
    if (!strategies.length) notes.push('No strategy predictions yet: run `dqm run --pipeline strategies` to plot anomaly scores');
    else if (!data.exists(datasetNames.metrics)) notes.push('No AUC yet: run `dqm run --pipeline strategies_evaluation` (needs the simulator labels)');
    const runs = new Set<number>();
    let features: string[] = [];
    for (const l of layers) {
      const frame = await layerFrame(data, l);
      for (const r of frame.run) runs.add(r);
      if (!features.length) features = frame.features;
    }
    const params = data.project.parameters;
    return {
      layers,
      variables: [...features.map((f) => describeVariable(f, 'feature', params)), ...strategies.map((s) => describeVariable(s, 'score', params))],
      strategies,
      runs: [...runs].sort((a, b) => a - b),
      comparison: await this.comparison(strategies),
      labelSets: await labelSetNames(data),
      histograms: data.configuredHistograms().map((h) => ({ ...h, layers: data.configuredLayers().filter((l) => data.exists(h.dataset.replace('{layer}', String(l)))) })),
      cmsLabel: data.exists(datasetNames.labels) ? 'Simulation' : 'Preliminary',
      notes,
    };
  }

  async series(layerText: string | null, variableId: string | null): Promise<SeriesResponse> {
    const layer = checkLayer(this.data, layerText);
    const frame = await layerFrame(this.data, layer);
    const variable = checkVariable(frame, variableId, 'variable', this.data.project.parameters);
    const values = frame.values.get(variable.id)!;
    const byRun = new Map<number, RunSeries>();
    for (let i = 0; i < frame.run.length; i++) {
      // A score exists only for the task's apply LS: leave the others out, not as zeros.
      if (variable.kind === 'score' && values[i] === null) continue;
      const run = frame.run[i]!;
      let s = byRun.get(run);
      if (!s) byRun.set(run, (s = { run, lumi: [], value: [], flaggedBy: [] }));
      s.lumi.push(frame.lumi[i]!);
      s.value.push(values[i] ?? null);
      s.flaggedBy.push(variable.kind === 'score' ? (frame.flags.get(variable.id)![i] ? [variable.id] : []) : flaggedBy(frame, i));
    }
    const threshold = variable.kind === 'score' ? (frame.thresholds.get(variable.id) ?? null) : null;
    const bands = await badBands(this.data, layer, frame.run, frame.lumi);
    return { layer, variable, runs: [...byRun.values()].sort((a, b) => a.run - b.run), threshold, bands };
  }

  async correlation(layerText: string | null, xId: string | null, yId: string | null): Promise<CorrelationResponse> {
    const layer = checkLayer(this.data, layerText);
    const frame = await layerFrame(this.data, layer);
    const params = this.data.project.parameters;
    const x = checkVariable(frame, xId, 'x', params);
    const y = checkVariable(frame, yId, 'y', params);
    const xs = frame.values.get(x.id)!;
    const ys = frame.values.get(y.id)!;
    const points: CorrelationResponse['points'] = { run: [], lumi: [], x: [], y: [] };
    for (let i = 0; i < xs.length; i++) {
      const a = xs[i];
      const b = ys[i];
      if (a === null || a === undefined || b === null || b === undefined) continue;
      points.run.push(frame.run[i]!);
      points.lumi.push(frame.lumi[i]!);
      points.x.push(a);
      points.y.push(b);
    }
    const ids = [...frame.features, ...frame.strategies];
    return { layer, x, y, points, pearson: pearson(xs, ys), matrix: correlationMatrix(ids.map((id) => [id, frame.values.get(id)!])) };
  }

  async ls(runText: string | null, lumiText: string | null, layerText: string | null, dataset?: string | null): Promise<LsDetail> {
    const layer = checkLayer(this.data, layerText);
    return lsDetail(this.data, layer, runText, lumiText, dataset);
  }

  /**
   * Per strategy and layer (`all` first): the LS scored and flagged, and from the evaluation one
   * row per label set and anomaly type (`any` first) with its AUC, efficiency and FPR; a strategy
   * not evaluated yet has one row without figures.
   */
  private async comparison(strategies: string[]): Promise<ComparisonRow[]> {
    const metrics = this.data.exists(datasetNames.metrics) ? await this.data.table(datasetNames.metrics) : null;
    type Figures = Pick<ComparisonRow, 'labelSet' | 'anomalyType' | 'nBad' | 'nGood' | 'auc' | 'efficiency' | 'fpr'>;
    const byKey = new Map<string, Figures[]>();
    if (metrics) {
      const [strategy, layer, type, label] = ['strategy', 'layer', 'anomaly_type', 'label'].map((c) => textColumn(metrics, c)) as [string[], string[], string[], string[]];
      const [auc, eff, fpr, nBad, nGood] = ['auc', 'efficiency', 'fpr', 'n_anomalous', 'n_good'].map((c) => numberColumn(metrics, c)) as Array<Array<number | null>>;
      for (let i = 0; i < metrics.rowCount; i++) {
        // the metrics name strategies without the namespace prefix; no `label` column = the simulator's labels
        const key = `strategy_${strategy[i]!.replace(/^strategy_/, '')}:${layer[i] || 'all'}`;
        const list = byKey.get(key) ?? [];
        list.push({ labelSet: label[i] || SIMULATOR_LABELS, anomalyType: type[i] || 'any', nBad: nBad![i]!, nGood: nGood![i]!, auc: auc![i]!, efficiency: eff![i]!, fpr: fpr![i]! });
        byKey.set(key, list);
      }
    }
    const order = (f: Figures) => `${f.labelSet === SIMULATOR_LABELS ? '' : f.labelSet}\u0000${f.anomalyType === 'any' ? '' : f.anomalyType}`;
    const rows: ComparisonRow[] = [];
    for (const s of strategies) {
      const p = await this.data.table(datasetNames.predictions(s));
      const layers = numberColumn(p, 'layer');
      const flags = numberColumn(p, 'flag');
      const counts = new Map<string, { scored: number; flagged: number }>([['all', { scored: 0, flagged: 0 }]]);
      for (let i = 0; i < p.rowCount; i++) {
        for (const key of ['all', String(layers[i])]) {
          const c = counts.get(key) ?? { scored: 0, flagged: 0 };
          c.scored++;
          if (flags[i] === 1) c.flagged++;
          counts.set(key, c);
        }
      }
      const keys = [...counts.keys()].sort((a, b) => (a === 'all' ? -1 : b === 'all' ? 1 : Number(a) - Number(b)));
      for (const key of keys) {
        const figures = (byKey.get(`${s}:${key}`) ?? []).sort((a, b) => order(a).localeCompare(order(b)));
        const none: Figures = { labelSet: null, anomalyType: 'any', nBad: null, nGood: null, auc: null, efficiency: null, fpr: null };
        for (const f of figures.length ? figures : [none]) {
          rows.push({ strategy: s, layer: key, ...counts.get(key)!, ...f, dataset: datasetNames.predictions(s), pipeline: STRATEGIES_PIPELINE });
        }
      }
    }
    return rows;
  }
}

/** For a dashboard serving a graph file: there is no data to plot. */
export class NoPlotsService implements PlotsServiceApi {
  constructor(private readonly file: string) {}
  private fail(): never {
    throw new VizNotFoundError(`The plots page needs a project with data; this dashboard serves the graph file ${this.file}. Start \`dqm viz\` in the project folder`, 'NO_PROJECT');
  }
  async summary(): Promise<PlotsSummary> {
    return this.fail();
  }
  async series(): Promise<SeriesResponse> {
    return this.fail();
  }
  async correlation(): Promise<CorrelationResponse> {
    return this.fail();
  }
  async ls(): Promise<LsDetail> {
    return this.fail();
  }
}
