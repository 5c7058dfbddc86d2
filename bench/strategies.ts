/**
 * Strategy speed, fit and apply separately, as LS/s: `npx tsx bench/strategies.ts [LS] [layers]`
 * (default 5,000 LS × layers 1-4; BENCH_STRATEGIES_VARIANTS=0 skips the variant table).
 *
 * 1. The strategies pipeline (conf/base/parameters/strategies.yml: the enabled strategies with
 *    their parameters) on every layer's 200×300 simulated maps, and the total fit + apply over all
 *    layers (issue 17 goal: < 10 s for 5,000 LS × 4 layers). Fit = develop on all LS (components
 *    from the evenly spaced `maxTrain` LS, out-of-fold develop scores for the threshold); apply =
 *    score every LS (with the worst LS's residual map, as the pipeline does).
 *    Then the same with the layers on worker threads (BENCH_STRATEGIES_WORKERS, default 2), as
 *    `dqm run --runner parallel` runs the per-layer fit/predict nodes: the wall time of that phase.
 * 2. Every evaluation variant (conf/base/parameters/evaluate.yml: mean_distance and its median /
 *    KS variants, pca, nmf, feature_zscore, random_forest) on a 1D set (100 bins, synthetic charge
 *    spectra) and on layer 1's 2D maps, rebin 'auto' resolved as `dqm evaluate` does. The forest
 *    learns the simulation's labels (2D) or the injected gain drops (1D).
 * The simulation and the aggregated-properties table are inputs, timed apart. Machine: 2 shared
 * cores; run under `flock /work/bench.lock` and read the load average printed with the figures.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { parse as parseYaml } from 'yaml';
import { createHistogramSet, type HistogramSet, type Table } from '../lib/data';
import { startWorker } from '../lib/io';
import { allRows, histogramFeatures, STRATEGIES } from '../lib/dqm';
import { Prng } from '../lib/dqm/prng';
import { labelsOf } from '../lib/dqm/simulate';
import { aggregatedProperties, simulatedLayer, simulation } from '../lib/dqm/strategies/simulated.fixtures';
import { resolveRebin, strategyOf } from '../pipelines/strategies/evaluate-nodes';

const here = path.dirname(fileURLToPath(import.meta.url));
const yaml = (f: string) => parseYaml(fs.readFileSync(path.resolve(here, '../conf/base/parameters', f), 'utf8')) as Record<string, Record<string, unknown>>;
const pipelineParams = yaml('strategies.yml');
const evaluateParams = yaml('evaluate.yml').evaluate as Record<string, unknown> & { strategies: string[] };
// a worker thread's process.argv is not the command's: it gets the LS count in workerData
const n = Number((workerData as { n?: number } | null)?.n ?? process.argv[2] ?? process.env.BENCH_STRATEGIES_LS ?? 5000);
const layers = String(process.argv[3] ?? '1,2,3,4').split(',').map(Number);
const variants = process.env.BENCH_STRATEGIES_VARIANTS !== '0';

interface Timed {
  fitMs: number;
  applyMs: number;
  /** CPU time of this thread's process (user + system): less skewed than wall by other load. */
  fitCpuMs: number;
  applyCpuMs: number;
}

const cpuMs = (since: NodeJS.CpuUsage) => {
  const u = process.cpuUsage(since);
  return (u.user + u.system) / 1000;
};

/** Fits on all `rows` and applies to all of them (the maps or the table, as the strategy reads). */
function time(base: string, params: Record<string, unknown>, h: HistogramSet, table: Table, bad?: Uint8Array, count = h.run.length): Timed {
  const def = STRATEGIES[base]!;
  const rows = allRows(count);
  let t = performance.now();
  let c = process.cpuUsage();
  const model = def.input === 'maps' ? def.fit(h, rows, params, bad) : def.fit(table, rows, params);
  const fitMs = performance.now() - t;
  const fitCpuMs = cpuMs(c);
  t = performance.now();
  c = process.cpuUsage();
  if (def.input === 'maps') def.apply(model, h, rows);
  else def.apply(model, table, rows);
  return { fitMs, applyMs: performance.now() - t, fitCpuMs, applyCpuMs: cpuMs(c) };
}

const lsPerS = (ms: number, count = n) => ((count * 1000) / ms).toFixed(0);
const row = (set: string, name: string, r: Timed, count = n) =>
  console.log(
    `  ${set.padEnd(11)} ${name.padEnd(21)} ${r.fitMs.toFixed(0).padStart(8)} ${r.fitCpuMs.toFixed(0).padStart(7)} ${lsPerS(r.fitMs, count).padStart(9)} ` +
      `${r.applyMs.toFixed(0).padStart(9)} ${r.applyCpuMs.toFixed(0).padStart(7)} ${lsPerS(r.applyMs, count).padStart(11)}`,
  );
const header = () =>
  console.log(
    `  ${'set'.padEnd(11)} ${'strategy'.padEnd(21)} ${'fit ms'.padStart(8)} ${'cpu ms'.padStart(7)} ${'fit LS/s'.padStart(9)} ${'apply ms'.padStart(9)} ${'cpu ms'.padStart(7)} ${'apply LS/s'.padStart(11)}`,
  );

/**
 * A 1D ME like chargeInner_PXLayer_1: 100 bins of a Landau-like charge spectrum, Poisson counts
 * at a falling luminosity; every 20th LS (labelled bad) has its gain dropped by 15 %.
 */
function oneD(count: number): { h: HistogramSet; bad: Uint8Array } {
  const h = createHistogramSet({ title: 'chargeInner_PXLayer_1', name: 'chargeInner_PXLayer_1', ny: 1, nx: 100, x: { min: 0, max: 80000, label: 'charge [e]' }, y: { min: 0, max: 1, label: 'entries' } }, count);
  const bad = new Uint8Array(count);
  const prng = new Prng(7);
  const shape = (x: number, peak: number) => Math.exp(-((x - peak) / 6) - Math.exp(-(x - peak) / 6));
  for (let i = 0; i < count; i++) {
    h.run[i] = 297000 + Math.floor(i / 1000);
    h.lumi[i] = (i % 1000) + 1;
    bad[i] = i % 20 === 19 ? 1 : 0;
    const peak = bad[i] ? 20 : 24;
    const entries = 100_000 * (1 - 0.4 * ((i % 1000) / 1000));
    let sum = 0;
    for (let x = 0; x < 100; x++) {
      const v = prng.poisson((entries / 16) * shape(x, peak));
      h.values[i * 100 + x] = v;
      sum += v;
    }
    h.entries[i] = sum;
  }
  return { h, bad };
}

/** The simulation's labels of one layer as a per-LS 0/1 array in the set's row order. */
function simulatedBad(plan: ReturnType<typeof simulation>, h: HistogramSet, layer: number): Uint8Array {
  const labelled = new Set(labelsOf(plan).filter((l) => l.layer === layer).map((l) => `${l.run}:${l.lumi}`));
  return Uint8Array.from(h.run, (run, i) => (labelled.has(`${run}:${h.lumi[i]}`) ? 1 : 0));
}

const load = () => os.loadavg().map((x) => x.toFixed(2)).join(' ');
const enabled = (pipelineParams.strategies!.enabled as string[]) ?? [];

/** A layer's simulated maps and aggregated properties (inputs, timed apart). */
function layerInputs(layer: number) {
  const t = performance.now();
  const plan = simulation({ seed: 1, lumisections: n, runs: 1, layers: [layer] });
  const h = simulatedLayer(plan, layer);
  const simMs = performance.now() - t;
  const t2 = performance.now();
  const table = aggregatedProperties(h);
  return { plan, h, table, simMs, aggMs: performance.now() - t2 };
}

// Worker mode (section 1's parallel run): build the inputs of its layers, say ready, run the
// enabled strategies on them when told to go, say done.
if (!isMainThread && (workerData as { bench?: string })?.bench === 'strategies') {
  const inputs = (workerData as { layers: number[] }).layers.map(layerInputs);
  parentPort!.once('message', () => {
    for (const { h, table } of inputs) for (const name of enabled) time(name, pipelineParams[`strategy_${name}`] ?? {}, h, table);
    parentPort!.postMessage('done');
  });
  parentPort!.postMessage('ready');
} else void main();

/**
 * Section 1 again with the layers spread over `workers` threads: wall from "go" to the last
 * done, and the process's CPU over that phase (process.cpuUsage counts every thread).
 */
async function parallelLayers(workers: number): Promise<{ wall: number; cpu: number }> {
  const entry = fileURLToPath(import.meta.url);
  const threads = Array.from({ length: workers }, (_, w) => startWorker(entry, { bench: 'strategies', n, layers: layers.filter((_, i) => i % workers === w) }));
  const next = () => Promise.all(threads.map((t) => new Promise<void>((ok, fail) => (t.once('message', () => ok()), t.once('error', fail)))));
  await next();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const done = next();
  for (const t of threads) t.postMessage('go');
  await done;
  const wall = performance.now() - t0;
  const cpu = cpuMs(c0);
  await Promise.all(threads.map((t) => t.terminate()));
  return { wall, cpu };
}

async function main(): Promise<void> {
  console.log(`strategies bench: ${n} LS, layers ${layers.join(', ')}, node ${process.version}, ${os.cpus().length} cores, load ${load()}`);
  console.log(`\n1. strategies pipeline (strategies.yml, enabled: ${enabled.join(', ')}), 200×300 maps, fit on all LS, apply to all`);
  header();
  let total = 0;
  let totalCpu = 0;
  let layer1: { h: HistogramSet; table: Table; bad: Uint8Array } | undefined;
  for (const layer of layers) {
    const { plan, h, table, simMs, aggMs } = layerInputs(layer);
    console.log(`  (layer ${layer} inputs: simulate ${simMs.toFixed(0)} ms, aggregated properties ${aggMs.toFixed(0)} ms, not counted)`);
    for (const name of enabled) {
      const r = time(name, pipelineParams[`strategy_${name}`] ?? {}, h, table);
      row(`2D layer ${layer}`, name, r);
      total += r.fitMs + r.applyMs;
      totalCpu += r.fitCpuMs + r.applyCpuMs;
    }
    if (layer === layers[0]) layer1 = { h, table, bad: simulatedBad(plan, h, layer) };
  }
  console.log(`  TOTAL fit + apply, ${n} LS × ${layers.length} layers, one thread: ${(total / 1000).toFixed(2)} s wall, ${(totalCpu / 1000).toFixed(2)} s CPU (issue 17 goal < 10 s), load ${load()}`);
  const workers = Math.min(Number(process.env.BENCH_STRATEGIES_WORKERS ?? 2), layers.length);
  if (workers > 1) {
    const p = await parallelLayers(workers);
    console.log(`  TOTAL fit + apply, ${n} LS × ${layers.length} layers, ${workers} worker threads: ${(p.wall / 1000).toFixed(2)} s wall, ${(p.cpu / 1000).toFixed(2)} s CPU, load ${load()}`);
  }

  if (variants && layer1) {
    // the forest and the 2D NMF take minutes at 5,000 LS: fewer LS keep the bench under 5 minutes
    const vn = Math.min(n, Number(process.env.BENCH_STRATEGIES_VARIANT_LS ?? 2000));
    console.log(`\n2. evaluation variants (evaluate.yml, rebin auto) on ${vn} LS, fit on all of them, apply to all`);
    header();
    const one = oneD(vn);
    const sets: Array<[string, HistogramSet, Table, Uint8Array]> = [
      ['1D 100 bins', one.h, histogramFeatures(one.h), one.bad],
      [`2D layer ${layers[0]}`, layer1.h, layer1.table, layer1.bad],
    ];
    for (const [label, h, table, bad] of sets) {
      for (const name of evaluateParams.strategies) {
        const { base, params } = strategyOf(name, evaluateParams[name]);
        if (params.only_1d === true && h.ny !== 1) continue;
        delete params.only_1d;
        const resolved = resolveRebin(params, h);
        delete resolved.label;
        row(label, name, time(base, resolved, h, table, STRATEGIES[base]!.supervised ? bad.subarray(0, vn) : undefined, vn), vn);
      }
    }
    console.log(`  load ${load()}`);
  }
}
