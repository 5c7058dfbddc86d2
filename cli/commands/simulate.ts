import type { Command } from 'commander';
import * as path from 'node:path';
import { writeSimulation } from '../../lib/dqm';
import { CliError } from '../errors';
import { action, parseList } from '../shared';

interface SimulateCliOptions {
  seed: string;
  lumisections: string;
  runs: string;
  layers: string;
  out: string;
  firstRun: string;
  chunkSize: string;
  anomalies: boolean;
}

/** `dqm simulate`: writes realistic raw pixel maps (and anomaly labels) for the pipelines to read. */
export function register(program: Command): void {
  program
    .command('simulate')
    .description('Generate simulated pixel barrel runs (layers 1-4) calibrated on real Run 316187 maps, with labelled anomalies')
    .option('--seed <n>', 'random seed (same seed, same data)', '1')
    .option('--lumisections <n>', 'lumisections per run', '500')
    .option('--runs <n>', 'number of runs', '1')
    .option('--layers <list>', 'barrel layers to simulate', '1,2,3,4')
    .option('--out <dir>', 'output folder (relative to the current directory)', 'data/01_raw')
    .option('--first-run <n>', 'number of the first run', '357000')
    .option('--chunk-size <n>', 'lumisections per file (long runs are split into parts)', '1000')
    .option('--no-anomalies', 'do not inject anomalies')
    .action(
      action(async (opts: SimulateCliOptions) => {
        const int = (name: string, v: string): number => {
          if (!/^-?\d+$/.test(v.trim())) throw new CliError(`--${name} must be an integer, got '${v}'`);
          return Number(v);
        };
        const layers = (parseList(opts.layers) ?? []).map((l) => int('layers', l));
        const out = path.resolve(process.cwd(), opts.out);
        const options = {
          seed: int('seed', opts.seed),
          lumisections: int('lumisections', opts.lumisections),
          runs: int('runs', opts.runs),
          layers,
          firstRun: int('first-run', opts.firstRun),
          chunkSize: int('chunk-size', opts.chunkSize),
          anomalies: opts.anomalies,
        };
        process.stdout.write(`Simulating ${options.runs} run(s) × ${options.lumisections} LS for layer(s) ${layers.join(', ')} (seed ${options.seed}) into ${opts.out}\n`);
        const summary = await writeSimulation(options, out, (p) => {
          process.stdout.write(`  run ${p.run} layer ${p.layer}: ${p.done}/${p.total} LS -> ${path.relative(process.cwd(), p.file)}\n`);
        });
        const mb = (summary.bytes / 1e6).toFixed(1);
        process.stdout.write(
          `Wrote ${summary.files.length} file(s), ${mb} MB, ${summary.lumisections} LS per layer in ${(summary.durationMs / 1000).toFixed(1)} s; ` +
            `${summary.labels} anomaly labels in ${path.relative(process.cwd(), summary.labelsFile)}\n`,
        );
      }),
    );
}
