import type { HistogramSet, Table } from 'dqm-playground-ds/data';
import { table } from 'dqm-playground-ds/data';
import {
  checkMaskInData,
  evaluateLabelSets,
  histogramFeatures,
  loadLumiMask,
  LumiMask,
  predictionsTable,
  rocFigureByLabel,
  STRATEGIES,
  StrategyError,
  type GoldenJson,
  type ModelBase,
  type PlotlyFigure,
} from 'dqm-playground-ds/dqm';
import { reportMetric, reportProgress } from 'dqm-playground-ds/progress';
import { makeFit, makePredict, type TaskData } from './nodes';

/**
 * `params:evaluate`: the masks (file paths) and the strategies of an evaluation on labelled LS.
 * `labels` maps a label-set name to a GOOD-LS mask file (Golden JSON or run,lumisection CSV).
 */
export interface EvaluateParams {
  histograms?: string;
  develop?: string;
  apply?: string | null;
  labels?: Record<string, string>;
  strategies?: string[];
  [strategy: string]: unknown;
}

/**
 * What an evaluation runs on, as plain JSON: `task` is a TaskData (the same shape the strategies
 * pipeline uses) whose develop set holds only the develop LS good under every label set;
 * `develop_all` every develop LS (supervised strategies get them all, with labels), `labels` the
 * label sets.
 */
export interface EvaluationSelection {
  task: TaskData;
  develop_all: GoldenJson;
  labels: Record<string, GoldenJson>;
  counts: { develop: number; develop_good: number; apply: number };
}

function loadMask(file: unknown, role: string): LumiMask {
  if (typeof file !== 'string' || !file) throw new StrategyError(`parameter 'evaluate.${role}' must be a lumi mask file (.json Golden JSON or .csv run,lumisection), got ${JSON.stringify(file)}`);
  return loadLumiMask(file);
}

/**
 * Loads and checks the develop, apply and label masks against the histograms. Develop and apply
 * masks must name only LS the data has; a label set may cover other runs (a full Golden JSON
 * does) but, in the data's runs, only LS the data has. Apply defaults to every LS not in develop.
 */
export function prepare_evaluation(h: HistogramSet, params: EvaluateParams): EvaluationSelection {
  const shown = params.histograms ?? h.title;
  const inData = (mask: LumiMask, file: string, role: string, dataRunsOnly = false) => checkMaskInData(mask, h.run, h.lumi, { file, dataset: shown, role, dataRunsOnly });
  const develop = loadMask(params.develop, 'develop');
  inData(develop, params.develop!, 'develop');
  let apply: LumiMask;
  if (params.apply) {
    apply = loadMask(params.apply, 'apply');
    inData(apply, params.apply, 'apply');
  } else {
    const rows = Array.from(h.run.keys()).filter((i) => !develop.contains(h.run[i]!, h.lumi[i]!));
    apply = LumiMask.fromPairs(rows.map((i) => h.run[i]!), rows.map((i) => h.lumi[i]!));
  }
  const labelFiles = params.labels ?? {};
  if (!Object.keys(labelFiles).length) throw new StrategyError("an evaluation needs at least one label set: parameter 'evaluate.labels' maps a name to a GOOD-LS mask file");
  const labels: Record<string, LumiMask> = {};
  for (const [name, file] of Object.entries(labelFiles)) {
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new StrategyError(`label set name '${name}' must use only letters, digits, _ . -`);
    labels[name] = loadMask(file, `labels.${name}`);
    inData(labels[name], file, `label set ${name}`, true);
  }
  const devRows = develop.select(h.run, h.lumi);
  const applyRows = apply.select(h.run, h.lumi);
  const overlap = Array.from(applyRows).filter((i) => develop.contains(h.run[i]!, h.lumi[i]!));
  if (overlap.length) {
    const i = overlap[0]!;
    throw new StrategyError(`${overlap.length} apply lumisections are also in develop (first: run ${h.run[i]} LS ${h.lumi[i]}): strategies must be judged on LS they were not fitted on`);
  }
  if (!applyRows.length) throw new StrategyError(`the apply set selects no lumisection of ${shown}`);
  const good = Array.from(devRows).filter((i) => Object.values(labels).every((m) => m.contains(h.run[i]!, h.lumi[i]!)));
  if (!good.length) throw new StrategyError(`no develop lumisection is good under every label set (${Object.keys(labels).join(', ')}): nothing to learn "normal" from`);
  const mask = (rows: ArrayLike<number>) => LumiMask.fromPairs(Array.from(rows, (i) => h.run[i]!), Array.from(rows, (i) => h.lumi[i]!)).toGoldenJson();
  return {
    task: { name: 'evaluate', description: `develop ${params.develop}, apply ${params.apply ?? 'every other LS'}`, source: params.develop!, develop: mask(good), apply: apply.toGoldenJson() },
    develop_all: develop.toGoldenJson(),
    labels: Object.fromEntries(Object.entries(labels).map(([k, m]) => [k, m.toGoldenJson()])),
    counts: { develop: devRows.length, develop_good: good.length, apply: applyRows.length },
  };
}

/** Per-LS summary features (entries, mean, RMS, quantiles) for feature strategies. */
export function histogram_features(h: HistogramSet): Table {
  return histogramFeatures(h);
}

/** A strategy entry of the evaluation: its base strategy (`strategy:` key, default its own name) and params. */
export function strategyOf(name: string, params: unknown): { base: string; params: Record<string, unknown> } {
  const p = { ...((params ?? {}) as Record<string, unknown>) };
  const base = typeof p.strategy === 'string' ? p.strategy : name;
  delete p.strategy;
  if (!STRATEGIES[base]) throw new StrategyError(`evaluation strategy '${name}': unknown strategy '${base}' (strategies: ${Object.keys(STRATEGIES).join(', ')})`);
  return { base, params: p };
}

/**
 * `rebin: auto` (or none) -> a block size fitting the set: 1D keeps its bins up to `max_bins`
 * (default 400), 2D maps rebin to at most `max_bins` (default 4000) bins.
 */
export function resolveRebin(params: Record<string, unknown>, h: HistogramSet): Record<string, unknown> {
  const { max_bins: maxBinsParam, ...rest } = params;
  if (rest.rebin !== undefined && rest.rebin !== 'auto') return rest;
  const maxBins = typeof maxBinsParam === 'number' ? maxBinsParam : h.ny === 1 ? 400 : 4000;
  let f = 1;
  while (Math.ceil(h.ny / (h.ny === 1 ? 1 : f)) * Math.ceil(h.nx / f) > maxBins) f++;
  return { ...rest, rebin: [h.ny === 1 ? 1 : f, f] };
}

/** Skipped entries (a 1D-only variant on 2D maps) fit no model and predict nothing. */
interface SkippedModel extends ModelBase {
  readonly skipped: string;
}

/** Node factory: the strategies pipeline's fit node, on the evaluation's good develop LS. */
export function makeEvaluateFit(name: string, dataset: string): (data: HistogramSet | Table, selection: EvaluationSelection, params: unknown) => ModelBase {
  return function fit_model(data, selection, raw) {
    const { base, params } = strategyOf(name, raw);
    const def = STRATEGIES[base]!;
    const only1d = params.only_1d === true;
    delete params.only_1d;
    if (only1d && data.kind === 'histogram-set' && data.ny !== 1) {
      const skipped: SkippedModel = { strategy: base, threshold: Number.POSITIVE_INFINITY, fpr: 0, developCount: 0, skipped: `${name} needs 1D histograms` };
      return skipped;
    }
    const resolved = data.kind === 'histogram-set' ? resolveRebin(params, data) : params;
    if (!def.supervised) return makeFit(base, dataset)(data, selection.task, resolved);
    // supervised: every develop LS, labelled by one label set (`label:`, default the first given)
    if (data.kind !== 'histogram-set' || def.input !== 'maps') throw new StrategyError(`${name} must read a HistogramSet`);
    const names = Object.keys(selection.labels);
    const label = resolved.label ?? names[0];
    delete resolved.label;
    if (typeof label !== 'string' || !selection.labels[label]) {
      throw new StrategyError(`${name}: parameter 'label' must name one of the label sets (${names.join(', ')}), got ${JSON.stringify(label)}`);
    }
    const all = LumiMask.fromGoldenJson(selection.develop_all, 'evaluation develop');
    const rows = all.select(data.run, data.lumi);
    const mask = LumiMask.fromGoldenJson(selection.labels[label], `label set ${label}`);
    const bad = Uint8Array.from(rows, (i) => (mask.contains(data.run[i]!, data.lumi[i]!) ? 0 : 1));
    const nBad = bad.reduce((n, b) => n + b, 0);
    if (nBad === 0 || nBad === rows.length) {
      // One class only: nothing to learn from. Skip this strategy, judge the others (one warning line).
      const why = `the develop LS hold ${rows.length - nBad} good and ${nBad} bad under label set ${label}, and a supervised strategy learns from both`;
      console.warn(`Warning: ${name} skipped: ${why} (develop on runs with bad LS to judge it)`);
      const skipped: SkippedModel = { strategy: base, threshold: Number.POSITIVE_INFINITY, fpr: 0, developCount: rows.length, skipped: why };
      return skipped;
    }
    reportProgress(0, 1, 'fits');
    const model = def.fit(data, rows, resolved, bad);
    reportProgress(1, 1, 'fits');
    return model;
  };
}

/** Node factory: the strategies pipeline's predict node (layer 1: one ME), skipped models give no rows. */
export function makeEvaluatePredict(name: string, dataset: string): (model: ModelBase, data: HistogramSet | Table, selection: EvaluationSelection) => Table {
  return function predict(model, data, selection) {
    if ('skipped' in model) return predictionsTable({ run: new Int32Array(0), lumi: new Int32Array(0), score: new Float64Array(0) }, 1, 0);
    const p = makePredict(model.strategy, dataset, 1)(model, data, selection.task).predictions;
    return table({ ...p.columns, threshold: new Float64Array(p.rowCount).fill(model.threshold) });
  };
}

/**
 * Node factory: every strategy's predictions against every label set. Outputs `metrics`
 * (strategy, label, run ('all' = pooled), auc, efficiency, fpr, n_apply, n_bad), `predictions`
 * (strategy, run, lumi, score, flag, threshold) and the ROC figure (log FPR axis).
 */
export function makeEvaluateLabels(
  strategies: string[],
): (selection: EvaluationSelection, ...predictionsThenModels: Array<Table | ModelBase>) => { metrics: Table; predictions: Table; roc: PlotlyFigure } {
  return function evaluate_label_sets(selection, ...predictionsThenModels) {
    const labels = Object.fromEntries(Object.entries(selection.labels).map(([k, j]) => [k, LumiMask.fromGoldenJson(j, `label set ${k}`)]));
    const byName: Record<string, Table> = {};
    const skipped: Record<string, string> = {};
    strategies.forEach((s, i) => {
      const model = predictionsThenModels[strategies.length + i] as ModelBase;
      if ('skipped' in model) skipped[s] = (model as SkippedModel).skipped;
      else byName[s] = predictionsThenModels[i] as Table;
    });
    const metrics = withSkippedRows(evaluateLabelSets(byName, labels), strategies, skipped, selection, labels);
    for (let i = 0; i < metrics.rowCount; i++) {
      if (metrics.columns.run![i] === 'all') reportMetric(`${metrics.columns.strategy![i]}.${metrics.columns.label![i]}.auc`, Number(metrics.columns.auc![i]));
    }
    return { metrics, predictions: longPredictions(byName), roc: rocFigureByLabel(byName, labels) };
  };
}

/**
 * The metrics with a `skipped` column: empty for judged rows; for a skipped strategy one pooled row
 * per label set (auc, efficiency, fpr NaN; n_apply and n_bad of the apply LS) saying why.
 */
function withSkippedRows(metrics: Table, strategies: string[], skipped: Record<string, string>, selection: EvaluationSelection, labels: Record<string, LumiMask>): Table {
  const apply = LumiMask.fromGoldenJson(selection.task.apply, 'evaluation apply');
  const cols = Object.fromEntries(Object.entries(metrics.columns).map(([k, v]) => [k, Array.from(v as ArrayLike<unknown>)])) as Record<string, unknown[]>;
  cols.skipped = new Array(metrics.rowCount).fill('');
  const out: Record<string, unknown[]> = Object.fromEntries(Object.keys(cols).map((k) => [k, []]));
  const copyRows = (strategy: string) => {
    for (let i = 0; i < metrics.rowCount; i++) if (cols.strategy![i] === strategy) for (const k of Object.keys(cols)) out[k]!.push(cols[k]![i]);
  };
  for (const s of strategies) {
    if (!(s in skipped)) {
      copyRows(s);
      continue;
    }
    for (const [label, mask] of Object.entries(labels)) {
      let nBad = 0;
      for (const run of apply.runs()) for (const [a, b] of apply.ranges(run)) for (let ls = a; ls <= b; ls++) if (!mask.contains(run, ls)) nBad++;
      const row: Record<string, unknown> = { strategy: s, label, run: 'all', auc: NaN, efficiency: NaN, fpr: NaN, n_apply: selection.counts.apply, n_bad: nBad, skipped: skipped[s] };
      for (const k of Object.keys(cols)) out[k]!.push(row[k]);
    }
  }
  return table({
    strategy: out.strategy as string[],
    label: out.label as string[],
    run: out.run as string[],
    auc: Float64Array.from(out.auc as number[]),
    efficiency: Float64Array.from(out.efficiency as number[]),
    fpr: Float64Array.from(out.fpr as number[]),
    n_apply: Int32Array.from(out.n_apply as number[]),
    n_bad: Int32Array.from(out.n_bad as number[]),
    skipped: out.skipped as string[],
  });
}

/** All strategies' predictions in one long table: strategy, run, lumi, score, flag. */
function longPredictions(byName: Record<string, Table>): Table {
  const strategy: string[] = [];
  const run: number[] = [];
  const lumi: number[] = [];
  const score: number[] = [];
  const flag: number[] = [];
  const threshold: number[] = [];
  for (const [name, p] of Object.entries(byName)) {
    const c = p.columns;
    for (let i = 0; i < p.rowCount; i++) {
      strategy.push(name);
      run.push(Number(c.run![i]));
      lumi.push(Number(c.lumi![i]));
      score.push(Number(c.score![i]));
      flag.push(Number(c.flag![i]));
      threshold.push(Number(c.threshold?.[i] ?? Number.NaN));
    }
  }
  return table({
    strategy,
    run: Int32Array.from(run),
    lumi: Int32Array.from(lumi),
    score: Float64Array.from(score),
    flag: Int32Array.from(flag),
    threshold: Float64Array.from(threshold),
  });
}
