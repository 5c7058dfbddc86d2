import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../errors';
import { RunReporter } from '../run-reporter';
import { action, addProjectOptions, formatTable, parseList, type ProjectCliOptions } from '../shared';

interface EvaluateCliValues extends ProjectCliOptions {
  histograms: string;
  hname?: string;
  develop: string;
  apply?: string;
  labels: string[];
  out: string;
  strategies?: string;
}

/** The first error of type `T` in `error`'s cause chain. */
function causeOfType<T extends Error>(error: unknown, type: abstract new (...args: never[]) => T): T | undefined {
  for (let e = error; e instanceof Error; e = e.cause) if (e instanceof type) return e;
  return undefined;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** `--labels pixel=good.json` -> { pixel: '/abs/good.json' }; a repeated name is an error. */
function parseLabels(values: string[]): Record<string, string> {
  if (!values.length) throw new CliError('dqm evaluate needs at least one --labels NAME=GOOD_MASK.json (a lumi mask of the good LS)');
  const out: Record<string, string> = {};
  for (const v of values) {
    const at = v.indexOf('=');
    const name = v.slice(0, at);
    if (at <= 0 || at === v.length - 1 || !/^[A-Za-z0-9_.-]+$/.test(name)) {
      throw new CliError(`Invalid --labels '${v}': expected NAME=GOOD_MASK.json (name: letters, digits, _ . -)`);
    }
    if (out[name]) throw new CliError(`--labels '${name}' is given twice`);
    out[name] = path.resolve(v.slice(at + 1));
  }
  return out;
}

/**
 * `dqm evaluate`: which strategy finds the bad LS of one ME? Runs the registered `evaluate`
 * pipeline (the strategies pipeline's fit/predict nodes, then the label-set evaluation) with a
 * runtime catalog pointing at the user's export and output folder and runtime parameters holding
 * the masks; prints the pooled metrics and writes DIR/metrics.csv, DIR/predictions.csv, DIR/roc.json.
 */
export function register(program: Command): void {
  const cmd = program
    .command('evaluate')
    .description('Judge the anomaly-detection strategies on labelled lumisections of one monitoring element')
    .requiredOption('--histograms <file.csv>', 'per-LS histograms: a DQMIO CSV export or the website CSV export')
    .option('--hname <name>', 'monitoring element to read (DQMIO: its hname, required; website CSV: its title)')
    .requiredOption('--develop <mask>', 'lumi mask (Golden JSON or run,lumisection CSV) of the LS to develop on')
    .option('--apply <mask>', 'lumi mask of the LS to apply to (default: every LS not in develop)')
    .option('--labels <name=mask>', 'a label set: NAME=mask of its GOOD LS (repeatable)', collect, [] as string[])
    .requiredOption('--out <dir>', 'folder for metrics.csv, predictions.csv and roc.json')
    .option('--strategies <names>', 'comma-separated entries of evaluate.strategies to run (default: all)')
    .addHelpText(
      'after',
      `
A supervised strategy (random_forest) learns from the good and bad develop LS of one label set
(its 'label' parameter, default the first --labels). When the develop LS hold no bad (or no good)
LS under it, that strategy is skipped with a one-line warning and the others are still judged:
the table shows it as 'skipped', and metrics.csv has one pooled row per label set for it with
empty auc, efficiency and fpr and the reason in the 'skipped' column (empty for judged rows).
It has no rows in predictions.csv and no curve in roc.json.`,
    );
  addProjectOptions(cmd).action(
    action(async (values: EvaluateCliValues) => {
      const labels = parseLabels(values.labels);
      const histograms = path.resolve(values.histograms);
      const out = path.resolve(values.out);
      if (fs.existsSync(out) && !fs.statSync(out).isDirectory()) throw new CliError(`--out ${values.out} is a file, not a folder`);
      const [{ sniffHistogramCsv, HistogramFileError }, { parseRuntimeParams }, { Project }, { parseCsv }] = await Promise.all([
        import('../../lib/dqm'),
        import('../../lib/config'),
        import('../../lib/session'),
        import('../../lib/io'),
      ]);
      const format = sniffHistogramCsv(histograms, values.histograms);
      if (format === 'dqmio-csv' && !values.hname) throw new CliError(`--hname is required for the DQMIO CSV export ${values.histograms} (the monitoring element to read)`);
      const source =
        format === 'dqmio-csv'
          ? { type: 'dqm.DQMIOCSVDataset', filepath: histograms, load_args: { hname: values.hname } }
          : { type: 'dqm.WebsiteHistogramsCSVDataset', filepath: histograms, load_args: values.hname ? { title: values.hname } : {} };
      const strategies = parseList(values.strategies);
      const runtimeParams = {
        ...(values.params === undefined ? {} : parseRuntimeParams(values.params)),
        evaluate: {
          histograms: values.histograms,
          develop: path.resolve(values.develop),
          apply: values.apply === undefined ? null : path.resolve(values.apply),
          labels,
          ...(strategies ? { strategies } : {}),
        },
      };
      const project = await Project.load({ env: values.env ?? 'local', runtimeParams });
      const reporter = new RunReporter(process.stderr);
      const { RunError } = await import('../../lib/runner');
      // A failed node's own error is the message (a resume command makes no sense here).
      const result = await project.run(
        {
          pipeline: 'evaluate',
          catalog: {
            'evaluate.histograms': source,
            'evaluate.selection': { type: 'MemoryDataset' },
            'evaluate.metrics': { type: 'pandas.CSVDataset', filepath: path.join(out, 'metrics.csv') },
            'evaluate.predictions': { type: 'pandas.CSVDataset', filepath: path.join(out, 'predictions.csv') },
            'evaluate.roc_plot': { type: 'plotly.JSONDataSet', filepath: path.join(out, 'roc.json') },
          },
        },
        reporter.onEvent,
      ).catch((error: unknown) => {
        reporter.stop();
        const cause = error instanceof RunError && error.cause instanceof Error ? error.cause : error;
        // A broken export: the reader's own line (file as typed, line, run, LS), not the dataset wrapper.
        const bad = causeOfType(cause, HistogramFileError);
        throw bad ? bad.namingFile(values.histograms) : cause;
      });
      const metrics = parseCsv(fs.readFileSync(path.join(out, 'metrics.csv'), 'utf8'));
      const c = metrics.columns;
      const rows: string[][] = [];
      const fmt = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(4) : 'n/a');
      for (let i = 0; i < metrics.rowCount; i++) {
        if (String(c.run![i]) !== 'all') continue;
        const skipped = c.skipped?.[i];
        const judged = skipped ? ['skipped', '-', '-'] : [fmt(c.auc![i]), fmt(c.efficiency![i]), fmt(c.fpr![i])];
        rows.push([String(c.strategy![i]), String(c.label![i]), ...judged, String(c.n_apply![i]), String(c.n_bad![i])]);
      }
      process.stdout.write(`${formatTable(['strategy', 'label', 'auc', 'efficiency', 'fpr', 'n_apply', 'n_bad'], rows)}\n`);
      process.stdout.write(`Wrote ${path.join(values.out, 'metrics.csv')}, predictions.csv and roc.json (per-run rows in metrics.csv; ${(result.durationMs / 1000).toFixed(1)} s)\n`);
    }),
  );
}
