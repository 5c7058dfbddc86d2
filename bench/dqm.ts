/**
 * DQM speed: map parse MB/s, the real-pickle pipeline (data_processing + data_science) in-process,
 * and a simulated run of 5,000 LS × 4 layers end to end (`dqm run` in a child process: wall time
 * and peak RSS). Run: npm run bench:dqm   (BENCH_DQM_LS=500 for a quicker simulated run)
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildHistogramSet, pixelMapShape, parseMapCropped, writeSimulation } from '../lib/dqm';
import { readPandasPickle } from '../lib/io';
import { aggregateProperties, computeGeometricalProperties, computeMeanImage, computeRmse, computeSummaryStatistics } from '../pipelines/data_science/nodes';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = process.env.DQM_SHARED ?? path.resolve(REPO, '../shared');
const REAL = (l: number) => path.join(SHARED, `data/run316187/Run_316187_0_clusterposition_PXLayer_${l}.pkl`);
const SIM_LS = Number(process.env.BENCH_DQM_LS ?? 5000);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// 1. Parse throughput on the real map strings (string input, as the pickle reader gives them, and bytes).
const tables = [1, 2].map((l) => readPandasPickle(readFileSync(REAL(l))));
const maps = tables.flatMap((t) => t.columns.map as string[]);
const bytes = maps.map((m) => Buffer.from(m, 'latin1'));
const total = maps.reduce((s, m) => s + m.length, 0);
const out = new Float32Array(60000);
for (const [label, inputs] of [['string', maps], ['bytes', bytes]] as const) {
  const rates: number[] = [];
  const cpuRates: number[] = [];
  // Warm up (JIT) for a second, then 15 timed passes over the 32 maps.
  for (const t0 = performance.now(); performance.now() - t0 < 1000; ) for (const m of inputs) parseMapCropped(m, out, 0);
  for (let rep = 0; rep < 15; rep++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (const m of inputs) parseMapCropped(m, out, 0);
    const cpu = process.cpuUsage(c0);
    rates.push(total / ((performance.now() - t0) / 1000) / 1e6);
    cpuRates.push(total / ((cpu.user + cpu.system) / 1e6) / 1e6);
  }
  console.log(
    `parse (${label} input): ${median(rates).toFixed(0)} MB/s median, ${Math.max(...rates).toFixed(0)} MB/s best wall; ` +
      `${median(cpuRates).toFixed(0)} MB/s per CPU-second (${maps.length} maps, ${(total / 1e6).toFixed(1)} MB; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores)`,
  );
}

// 2. The two real pickles through data_processing + data_science, in-process (read + parse + features).
const times: number[] = [];
const cpuTimes: number[] = [];
for (let rep = 0; rep < 15; rep++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (const l of [1, 2]) {
    const set = await buildHistogramSet(readPandasPickle(readFileSync(REAL(l))), { dataset: `raw_pixel_layer_${l}`, shape: pixelMapShape(l) });
    const mean = computeMeanImage(set);
    aggregateProperties(computeSummaryStatistics(set), computeGeometricalProperties(set), computeRmse(set, mean));
  }
  const cpu = process.cpuUsage(c0);
  if (rep >= 5) times.push(performance.now() - t0); // the first passes warm the JIT up
  if (rep >= 5) cpuTimes.push((cpu.user + cpu.system) / 1000);
}
const ls = tables.reduce((s, t) => s + t.rowCount, 0);
console.log(`real pickles (2 layers, ${ls} LS) dp + ds in-process: ${median(times).toFixed(1)} ms median, ${Math.min(...times).toFixed(1)} ms best wall, ${median(cpuTimes).toFixed(1)} ms CPU -> ${(ls / (median(times) / 1000)).toFixed(0)} LS/s`);

// 3. A simulated run of SIM_LS LS × 4 layers: simulate, then `dqm run` end to end in a child process.
const root = mkdtempSync(path.join(os.tmpdir(), 'dqm-bench-'));
try {
  cpSync(path.join(REPO, 'conf'), path.join(root, 'conf'), { recursive: true });
  mkdirSync(path.join(root, 'pipelines'));
  writeFileSync(path.join(root, 'package.json'), '{ "type": "module", "private": true }\n');
  writeFileSync(path.join(root, 'pipelines/registry.ts'), `export { registerPipelines } from '${path.join(REPO, 'pipelines/registry.ts')}';\n`);
  writeFileSync(path.join(root, 'pipelines/settings.ts'), 'export const hooks = [];\n');
  const s0 = performance.now();
  const sim = await writeSimulation({ seed: 1, lumisections: SIM_LS, layers: [1, 2, 3, 4], chunkSize: 1000 }, path.join(root, 'data/01_raw'));
  console.log(`simulate ${SIM_LS} LS × 4 layers: ${((performance.now() - s0) / 1000).toFixed(1)} s, ${(sim.bytes / 1e9).toFixed(2)} GB of pickles`);
  const run = spawnSync('/usr/bin/time', ['-f', '%e %M %U %S', process.execPath, path.join(REPO, 'bin/dqm.js'), 'run'], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (run.status !== 0) throw new Error(`dqm run failed:\n${run.stdout}\n${run.stderr}`);
  const [wall, rssKb, user, sys] = run.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  const durations = [...run.stdout.matchAll(/^(\S+)\s+completed\s+([\d.]+)(ms|s)$/gm)].map((m) => ({ node: m[1]!, ms: Number(m[2]) * (m[3] === 's' ? 1000 : 1) }));
  const dpds = durations.filter((d) => !/plot_/.test(d.node)).reduce((s, d) => s + d.ms, 0);
  console.log(`dqm run (${SIM_LS} LS × 4 layers, default pipeline): ${wall!.toFixed(1)} s wall (${(user! + sys!).toFixed(1)} s CPU), peak RSS ${(rssKb! / 1024).toFixed(0)} MB; dp + ds nodes ${(dpds / 1000).toFixed(1)} s -> ${((4 * SIM_LS) / (dpds / 1000)).toFixed(0)} LS/s`);
  const slowest = [...durations].sort((a, b) => b.ms - a.ms).slice(0, 4).map((d) => `${d.node} ${(d.ms / 1000).toFixed(2)} s`);
  console.log(`  slowest nodes: ${slowest.join(', ')}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
