import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HistogramSet, Table } from 'dqm-playground-ds/data';
import {
  concatTables,
  evaluatePredictions,
  flaggedCsvTable,
  flaggedGoldenJson,
  predictionsTable,
  rocFigure,
  STRATEGIES,
  StrategyError,
  type LsScores,
  type ModelBase,
  type PlotlyFigure,
} from 'dqm-playground-ds/dqm';
import { LumiMask, resolveTask, TaskError, type GoldenJson } from 'dqm-playground-ds/dqm';
import { reportMetric, reportProgress } from 'dqm-playground-ds/progress';

/** The project root: task names and mask paths in parameters resolve against it (as catalog paths do). */
const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The task as plain data (JSON-able, so it can be saved and sent to worker threads). */
export interface TaskData {
  name: string;
  description: string;
  source: string;
  develop: GoldenJson;
  apply: GoldenJson;
}

/**
 * Loads the task named by `params:strategies.task`: a task name in conf/base/tasks, a task file
 * path, or an inline `{develop, apply}` object.
 */
export function load_task(spec: unknown): TaskData {
  if (spec === undefined || spec === null) {
    throw new TaskError("No task given: set parameter 'strategies.task' to a task name in conf/base/tasks, a task file or an inline {develop, apply} mapping");
  }
  const task = resolveTask(spec, { projectRoot: PROJECT_ROOT });
  return { name: task.name, description: task.description, source: task.source, develop: task.develop.toGoldenJson(), apply: task.apply.toGoldenJson() };
}

type LayerData = HistogramSet | Table;

function runLumi(data: LayerData): { run: ArrayLike<number>; lumi: ArrayLike<number> } {
  if (data.kind === 'histogram-set') return data;
  const run = data.columns.run;
  const lumi = data.columns.lumi;
  if (!run || !lumi) throw new StrategyError(`the table has no 'run' and 'lumi' columns (columns: ${Object.keys(data.columns).join(', ')})`);
  return { run: run as ArrayLike<number>, lumi: lumi as ArrayLike<number> };
}

/** Rows of `data` inside the task's `which` set; an empty develop set is an error naming the runs. */
function selectRows(data: LayerData, task: TaskData, which: 'develop' | 'apply', dataset: string): Int32Array {
  const mask = LumiMask.fromGoldenJson(task[which], `task '${task.name}' ${which}`);
  const { run, lumi } = runLumi(data);
  const rows = mask.select(run, lumi);
  if (!rows.length && which === 'develop') {
    const dataRuns = [...new Set(Array.from(run))].sort((a, b) => a - b);
    throw new TaskError(
      `Task '${task.name}': the develop set (${mask.describe()}; runs ${short(mask.runs())}) selects no lumisection of ${dataset} (runs ${short(dataRuns)})`,
    );
  }
  return rows;
}

function short(runs: number[]): string {
  return runs.length > 6 ? `${runs.slice(0, 6).join(', ')}, … (${runs.length} runs)` : runs.join(', ') || 'none';
}

/** Node factory: fits strategy `name` on the task's develop LS of one layer. */
export function makeFit(name: string, dataset: string): (data: LayerData, task: TaskData, params: unknown) => ModelBase {
  const def = STRATEGIES[name];
  if (!def) throw new StrategyError(`Unknown strategy '${name}' (strategies: ${Object.keys(STRATEGIES).join(', ')})`);
  return function fit_model(data, task, params) {
    const rows = selectRows(data, task, 'develop', dataset);
    const p = (params ?? {}) as Record<string, unknown>;
    reportProgress(0, 1, 'fits');
    const model = def.input === 'maps' ? def.fit(asMaps(data, dataset), rows, p) : def.fit(asTable(data, dataset), rows, p);
    reportProgress(1, 1, 'fits');
    return model;
  };
}

/** Node factory: scores the task's apply LS of one layer; predictions plus the worst LS's residual. */
export function makePredict(
  name: string,
  dataset: string,
  layer: number,
): (model: ModelBase, data: LayerData, task: TaskData) => { predictions: Table; worst_residual: HistogramSet | null } {
  const def = STRATEGIES[name]!;
  return function predict(model, data, task) {
    const rows = selectRows(data, task, 'apply', dataset);
    const scores: LsScores = def.input === 'maps' ? def.apply(model, asMaps(data, dataset), rows) : def.apply(model, asTable(data, dataset), rows);
    return { predictions: predictionsTable(scores, layer, model.threshold), worst_residual: scores.worstResidual ?? null };
  };
}

/** All layers' predictions of one strategy in one table. */
export function collect_predictions(...layers: Table[]): Table {
  return concatTables(layers);
}

/** Golden-JSON mask and `run,lumisection` table of the LS flagged in any layer. */
export function export_flagged(predictions: Table): { json: GoldenJson; csv: Table } {
  const csv = flaggedCsvTable(predictions);
  // Recorded with the run: the dashboard compares runs by it.
  reportMetric('flagged_ls', csv.rowCount);
  return { json: flaggedGoldenJson(predictions), csv };
}

/** Node factory: evaluation of every strategy's predictions against the simulator's labels. */
export function makeEvaluate(strategies: string[]): (labels: Table, ...predictions: Table[]) => { metrics: Table; roc: PlotlyFigure } {
  return function evaluate_strategies(labels, ...predictions) {
    const byName = Object.fromEntries(strategies.map((s, i) => [s, predictions[i]!]));
    const metrics = evaluatePredictions(byName, labels);
    reportStrategyMetrics(metrics);
    return { metrics, roc: rocFigure(byName, labels) };
  };
}

function asMaps(data: LayerData, dataset: string): HistogramSet {
  if (data.kind !== 'histogram-set') throw new StrategyError(`${dataset} must be a HistogramSet (map strategies), got a table`);
  return data;
}

function asTable(data: LayerData, dataset: string): Table {
  if (data.kind !== 'table') throw new StrategyError(`${dataset} must be a Table (feature strategies), got a HistogramSet`);
  return data;
}

/** Each strategy's AUC and efficiency over all layers and anomaly types, as run metrics. */
function reportStrategyMetrics(metrics: Table): void {
  const c = metrics.columns;
  for (let i = 0; i < metrics.rowCount; i++) {
    if (c.layer?.[i] !== 'all' || c.anomaly_type?.[i] !== 'any') continue;
    reportMetric(`${String(c.strategy?.[i])}.auc`, Number(c.auc?.[i]));
    reportMetric(`${String(c.strategy?.[i])}.efficiency`, Number(c.efficiency?.[i]));
  }
}
