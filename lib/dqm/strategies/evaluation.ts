import { columnNames, table, type Table } from '../../data';
import { StrategyError } from './errors';

/**
 * ROC AUC as the Mann–Whitney U statistic: the probability that a random anomalous LS scores
 * higher than a random good one, ties counting one half (mid-ranks). NaN without both classes.
 */
export function rocAuc(scores: ArrayLike<number>, positive: ArrayLike<number | boolean>): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]! || 0);
  let nPos = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const midRank = (i + j) / 2 + 1; // ranks are 1-based
    for (let t = i; t <= j; t++) {
      if (positive[order[t]!]) {
        nPos++;
        rankSum += midRank;
      }
    }
    i = j + 1;
  }
  const nNeg = n - nPos;
  if (!nPos || !nNeg) return Number.NaN;
  return (rankSum - (nPos * (nPos + 1)) / 2) / (nPos * nNeg);
}

/** ROC points (false-positive rate, efficiency) for every distinct threshold, from (0,0) to (1,1). */
export function rocCurve(scores: ArrayLike<number>, positive: ArrayLike<number | boolean>): { fpr: number[]; tpr: number[]; thresholds: number[] } {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let nPos = 0;
  for (let i = 0; i < n; i++) if (positive[i]) nPos++;
  const nNeg = n - nPos;
  const fpr = [0];
  const tpr = [0];
  const thresholds = [Number.POSITIVE_INFINITY];
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < n; i++) {
    if (positive[order[i]!]) tp++;
    else fp++;
    // one point per distinct score: ties move the curve diagonally
    if (i + 1 < n && scores[order[i + 1]!] === scores[order[i]!]) continue;
    fpr.push(nNeg ? fp / nNeg : 0);
    tpr.push(nPos ? tp / nPos : 0);
    thresholds.push(scores[order[i]!]!);
  }
  return { fpr, tpr, thresholds };
}

/** Ground truth per (run, lumi[, layer]): the anomaly type, '' for a good LS. */
export interface LabelIndex {
  typeOf(run: number, lumi: number, layer: number): string;
  readonly types: string[];
}

const TYPE_COLUMNS = ['anomaly_type', 'anomaly', 'type', 'label'];
const GOOD = new Set(['', 'none', 'good', '0', 'null', 'false']);

/**
 * Indexes a labels table: columns `run`, `lumi`, optional `layer`, and the anomaly type in
 * `anomaly_type` (or `anomaly`, `type`, `label`); '', 'none', 'good', 0 or null mean good. LS
 * absent from the table are good. With a `layer` column an anomaly counts only on its layer.
 */
export function indexLabels(labels: Table): LabelIndex {
  const names = columnNames(labels);
  const typeCol = TYPE_COLUMNS.find((c) => names.includes(c));
  if (!names.includes('run') || !names.includes('lumi') || !typeCol) {
    throw new StrategyError(`labels need columns 'run', 'lumi' and one of ${TYPE_COLUMNS.map((c) => `'${c}'`).join(', ')} (got ${names.join(', ')})`);
  }
  const run = labels.columns.run!;
  const lumi = labels.columns.lumi!;
  const layer = labels.columns.layer;
  const type = labels.columns[typeCol]!;
  const map = new Map<string, string>();
  const types = new Set<string>();
  for (let i = 0; i < labels.rowCount; i++) {
    const t = type[i] === null || type[i] === undefined ? '' : String(type[i]);
    if (GOOD.has(t.toLowerCase())) continue;
    types.add(t);
    const key = layer ? `${run[i]}:${lumi[i]}:${layer[i]}` : `${run[i]}:${lumi[i]}`;
    // An LS with two anomalies keeps the first type listed.
    if (!map.has(key)) map.set(key, t);
  }
  return {
    types: [...types].sort(),
    typeOf: (r, l, ly) => map.get(layer ? `${r}:${l}:${ly}` : `${r}:${l}`) ?? '',
  };
}

/** One row of the evaluation table. */
export interface EvaluationRow {
  strategy: string;
  layer: string;
  anomaly_type: string;
  n_anomalous: number;
  n_good: number;
  auc: number;
  efficiency: number;
  fpr: number;
}

/**
 * ROC AUC and efficiency / false-positive rate at each strategy's working point (its `flag`),
 * per strategy × layer ('all' pools the layers) × anomaly type ('any' = every type): anomalous LS
 * of that type against good LS (LS with another anomaly type are left out).
 */
export function evaluatePredictions(predictions: Readonly<Record<string, Table>>, labels: Table): Table {
  const index = indexLabels(labels);
  const rows: EvaluationRow[] = [];
  for (const [strategy, p] of Object.entries(predictions)) {
    const { run, lumi, layer, score, flag } = predictionColumns(p, strategy, LAYER_COLUMNS);
    const truth = Array.from({ length: p.rowCount }, (_, i) => index.typeOf(run[i]!, lumi[i]!, layer[i]!));
    const layers = ['all', ...[...new Set(Array.from(layer))].sort((a, b) => a - b).map(String)];
    for (const ly of layers) {
      for (const type of ['any', ...index.types]) {
        const sel: number[] = [];
        for (let i = 0; i < p.rowCount; i++) {
          if (ly !== 'all' && String(layer[i]) !== ly) continue;
          const t = truth[i]!;
          if (t === '' || type === 'any' || t === type) sel.push(i);
        }
        const pos = sel.map((i) => (truth[i] !== '' ? 1 : 0));
        const nPos = pos.reduce<number>((s, x) => s + x, 0);
        if (!nPos) continue;
        const nNeg = sel.length - nPos;
        let tp = 0;
        let fp = 0;
        sel.forEach((i, s) => {
          if (flag[i]) pos[s] ? tp++ : fp++;
        });
        rows.push({
          strategy,
          layer: ly,
          anomaly_type: type,
          n_anomalous: nPos,
          n_good: nNeg,
          auc: rocAuc(sel.map((i) => score[i]!), pos),
          efficiency: tp / nPos,
          fpr: nNeg ? fp / nNeg : Number.NaN,
        });
      }
    }
  }
  return table({
    strategy: rows.map((r) => r.strategy),
    layer: rows.map((r) => r.layer),
    anomaly_type: rows.map((r) => r.anomaly_type),
    n_anomalous: Int32Array.from(rows, (r) => r.n_anomalous),
    n_good: Int32Array.from(rows, (r) => r.n_good),
    auc: Float64Array.from(rows, (r) => r.auc),
    efficiency: Float64Array.from(rows, (r) => r.efficiency),
    fpr: Float64Array.from(rows, (r) => r.fpr),
  });
}

/** A Plotly figure (`{data, layout}`, as Plotly JSON datasets store it). */
export interface PlotlyFigure {
  data: Array<Record<string, unknown>>;
  layout: Record<string, unknown>;
}

/** ROC curves of all strategies (all layers, any anomaly), AUC in the legend, working points marked. */
export function rocFigure(predictions: Readonly<Record<string, Table>>, labels: Table, maxPoints = 400): PlotlyFigure {
  const index = indexLabels(labels);
  const data: Array<Record<string, unknown>> = [];
  for (const [strategy, p] of Object.entries(predictions)) {
    const { run, lumi, layer, score, flag } = predictionColumns(p, strategy, LAYER_COLUMNS);
    const pos = Array.from({ length: p.rowCount }, (_, i) => (index.typeOf(run[i]!, lumi[i]!, layer[i]!) !== '' ? 1 : 0));
    const curve = rocCurve(score, pos);
    const step = Math.max(1, Math.ceil(curve.fpr.length / maxPoints));
    const keep = curve.fpr.map((_, i) => i).filter((i) => i % step === 0 || i === curve.fpr.length - 1);
    const auc = rocAuc(score, pos);
    data.push({
      type: 'scatter',
      mode: 'lines',
      name: `${strategy} (AUC ${Number.isNaN(auc) ? 'n/a' : auc.toFixed(3)})`,
      legendgroup: strategy,
      x: keep.map((i) => curve.fpr[i]),
      y: keep.map((i) => curve.tpr[i]),
    });
    const nPos = pos.reduce<number>((s, x) => s + x, 0);
    let tp = 0;
    let fp = 0;
    for (let i = 0; i < p.rowCount; i++) if (flag[i]) pos[i] ? tp++ : fp++;
    data.push({
      type: 'scatter',
      mode: 'markers',
      name: `${strategy} working point`,
      legendgroup: strategy,
      showlegend: false,
      marker: { size: 10, symbol: 'x' },
      x: [p.rowCount - nPos ? fp / (p.rowCount - nPos) : 0],
      y: [nPos ? tp / nPos : 0],
    });
  }
  data.push({ type: 'scatter', mode: 'lines', name: 'random', line: { dash: 'dot', color: 'grey' }, x: [0, 1], y: [0, 1] });
  return {
    data,
    layout: {
      title: { text: 'Anomaly detection strategies: ROC (all layers, any anomaly)' },
      xaxis: { title: { text: 'False-positive rate (good LS flagged)' }, range: [0, 1] },
      yaxis: { title: { text: 'Efficiency (anomalous LS flagged)' }, range: [0, 1.02] },
      legend: { x: 0.55, y: 0.05 },
    },
  };
}

/** The named numeric columns of a strategy's predictions; a StrategyError naming the missing one. */
export function predictionColumns<K extends string>(p: Table, strategy: string, names: readonly K[]): Record<K, ArrayLike<number>> {
  for (const c of names) {
    if (!p.columns[c]) throw new StrategyError(`predictions of '${strategy}' have no column '${c}' (columns: ${columnNames(p).join(', ')})`);
  }
  return Object.fromEntries(names.map((c) => [c, p.columns[c] as ArrayLike<number>])) as Record<K, ArrayLike<number>>;
}

const LAYER_COLUMNS = ['run', 'lumi', 'layer', 'score', 'flag'] as const;
