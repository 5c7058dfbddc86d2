import { table, type Table } from '../../data';
import type { LumiMask } from '../tasks';
import { StrategyError } from './errors';
import { predictionColumns, rocAuc, rocCurve, type PlotlyFigure } from './evaluation';

/**
 * Evaluation against label sets: named lumi masks of GOOD LS (Golden-JSON layout, e.g. `golden`,
 * `pixel`). An LS is bad under a label set when the mask does not list it. Every strategy's
 * predictions (`strategy,run,lumi,score,flag`) are scored per label set, pooled over all apply
 * LS (`run` = 'all') and per run.
 */
export interface LabelMetricsRow {
  strategy: string;
  label: string;
  /** 'all' for the pooled row, else the run number. */
  run: string;
  auc: number;
  efficiency: number;
  fpr: number;
  n_apply: number;
  n_bad: number;
}

/** Columns of one strategy's predictions that the evaluation reads. */
interface PredictionColumns {
  run: ArrayLike<number>;
  lumi: ArrayLike<number>;
  score: ArrayLike<number>;
  flag: ArrayLike<number>;
}

const columnsOf = (p: Table, strategy: string): PredictionColumns => predictionColumns(p, strategy, ['run', 'lumi', 'score', 'flag']);

/** 1 where the LS is bad under `mask` (not listed as good), in prediction row order. */
export function badUnder(mask: LumiMask, run: ArrayLike<number>, lumi: ArrayLike<number>): Uint8Array {
  return Uint8Array.from({ length: run.length }, (_, i) => (mask.contains(run[i]!, lumi[i]!) ? 0 : 1));
}

function metricsOf(strategy: string, label: string, runName: string, rows: number[], c: PredictionColumns, bad: Uint8Array): LabelMetricsRow {
  let nBad = 0;
  let tp = 0;
  let fp = 0;
  for (const i of rows) {
    if (bad[i]) nBad++;
    if (c.flag[i]) bad[i] ? tp++ : fp++;
  }
  const nGood = rows.length - nBad;
  return {
    strategy,
    label,
    run: runName,
    auc: rocAuc(rows.map((i) => c.score[i]!), rows.map((i) => bad[i]!)),
    efficiency: nBad ? tp / nBad : Number.NaN,
    fpr: nGood ? fp / nGood : Number.NaN,
    n_apply: rows.length,
    n_bad: nBad,
  };
}

/**
 * One row per strategy × label set over all apply LS (`run` 'all'), then one per run. AUC is NaN
 * where a selection holds only one class (a run entirely good or entirely bad), efficiency NaN
 * without bad LS, FPR NaN without good LS.
 */
export function evaluateLabelSets(predictions: Readonly<Record<string, Table>>, labelSets: Readonly<Record<string, LumiMask>>): Table {
  if (!Object.keys(labelSets).length) throw new StrategyError('evaluation needs at least one label set (a named lumi mask of good LS)');
  const rows: LabelMetricsRow[] = [];
  for (const [strategy, p] of Object.entries(predictions)) {
    const c = columnsOf(p, strategy);
    const all = Array.from({ length: p.rowCount }, (_, i) => i);
    const byRun = new Map<number, number[]>();
    for (const i of all) {
      const r = c.run[i]!;
      let list = byRun.get(r);
      if (!list) byRun.set(r, (list = []));
      list.push(i);
    }
    for (const [label, mask] of Object.entries(labelSets)) {
      const bad = badUnder(mask, c.run, c.lumi);
      rows.push(metricsOf(strategy, label, 'all', all, c, bad));
      for (const [run, list] of [...byRun].sort((a, b) => a[0] - b[0])) rows.push(metricsOf(strategy, label, String(run), list, c, bad));
    }
  }
  return metricsTable(rows);
}

export function metricsTable(rows: readonly LabelMetricsRow[]): Table {
  return table({
    strategy: rows.map((r) => r.strategy),
    label: rows.map((r) => r.label),
    run: rows.map((r) => r.run),
    auc: Float64Array.from(rows, (r) => r.auc),
    efficiency: Float64Array.from(rows, (r) => r.efficiency),
    fpr: Float64Array.from(rows, (r) => r.fpr),
    n_apply: Int32Array.from(rows, (r) => r.n_apply),
    n_bad: Int32Array.from(rows, (r) => r.n_bad),
  });
}

/**
 * ROC curves (efficiency vs FPR, log FPR axis) of every strategy, one trace per strategy × label
 * set, working points marked. A log axis cannot show FPR 0: those points sit at half of the
 * smallest non-zero FPR (1 / (2·n_good)), the floor of the axis.
 */
export function rocFigureByLabel(predictions: Readonly<Record<string, Table>>, labelSets: Readonly<Record<string, LumiMask>>, maxPoints = 400): PlotlyFigure {
  const data: Array<Record<string, unknown>> = [];
  let floor = 1;
  for (const [strategy, p] of Object.entries(predictions)) {
    const c = columnsOf(p, strategy);
    for (const [label, mask] of Object.entries(labelSets)) {
      const bad = badUnder(mask, c.run, c.lumi);
      const nBad = bad.reduce((s, x) => s + x, 0);
      const nGood = p.rowCount - nBad;
      if (!nBad || !nGood) continue;
      const lo = 0.5 / nGood;
      floor = Math.min(floor, lo);
      const curve = rocCurve(c.score, bad);
      const step = Math.max(1, Math.ceil(curve.fpr.length / maxPoints));
      const keep = curve.fpr.map((_, i) => i).filter((i) => i % step === 0 || i === curve.fpr.length - 1);
      const auc = rocAuc(c.score, bad);
      const group = `${strategy} / ${label}`;
      data.push({
        type: 'scatter',
        mode: 'lines',
        name: `${group} (AUC ${auc.toFixed(4)})`,
        legendgroup: group,
        x: keep.map((i) => Math.max(curve.fpr[i]!, lo)),
        y: keep.map((i) => curve.tpr[i]),
      });
      let tp = 0;
      let fp = 0;
      for (let i = 0; i < p.rowCount; i++) if (c.flag[i]) bad[i] ? tp++ : fp++;
      data.push({
        type: 'scatter',
        mode: 'markers',
        name: `${group} working point`,
        legendgroup: group,
        showlegend: false,
        marker: { size: 10, symbol: 'x' },
        x: [Math.max(fp / nGood, lo)],
        y: [tp / nBad],
      });
    }
  }
  return {
    data,
    layout: {
      title: { text: 'Strategies on labelled lumisections: ROC per label set' },
      xaxis: { title: { text: 'False-positive rate (good LS flagged), log scale' }, type: 'log', range: [Math.log10(floor), 0] },
      yaxis: { title: { text: 'Efficiency (bad LS flagged)' }, range: [0, 1.02] },
      legend: { x: 0.45, y: 0.05 },
    },
  };
}
