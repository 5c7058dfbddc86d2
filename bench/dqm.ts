/**
 * DQM speed: map parse MB/s, the real-pickle pipeline (data_processing + data_science) in-process,
 * the machine's own limits (memory copy, a scalar JS loop), and simulated runs of N LS × 4 layers
 * end to end (simulate on threads, then `dqm run` in a child process, sequential and parallel
 * runner: wall, CPU and peak RSS), for several N to show how it scales.
 * Run: npm run bench:dqm   (BENCH_DQM_LS=1000,2500,5000 is the default; BENCH_DQM_LS=500 is quick;
 * BENCH_DQM_RUNNERS=sequential to skip the parallel runs). The machine is shared: CPU seconds
 * are printed beside wall seconds, and the load average with each figure.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, cpSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildHistogramSet, pixelMapShape, parseMapCropped, parseMapReference, writeSimulation } from '../lib/dqm';
import { readPandasPickle } from '../lib/io';
import { distIsFresh } from '../bin/dist-freshness.js';
import { runWatched } from './watch-run';
import { aggregateProperties, computeGeometricalProperties, computeMeanImage, computeRmse, computeSummaryStatistics } from '../pipelines/data_science/nodes';
import { SHARED_DIR } from '../tests/shared-data.fixtures';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = SHARED_DIR;
const REAL = (l: number) => path.join(SHARED, `data/run316187/Run_316187_0_clusterposition_PXLayer_${l}.pkl`);
const SIZES = (process.env.BENCH_DQM_LS ?? '1000,2500,5000').split(',').map(Number);
const RUNNERS = (process.env.BENCH_DQM_RUNNERS ?? 'sequential,parallel').split(',');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const load = () => `load ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} cores`;
const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
/** Issue 17's goals, printed next to each figure. */
const GOALS = { parseMBs: 600, realMs: 25, simulateS5k: 20, runS5k: 25, rssMB: 1200 } as const;
const verdict = (ok: boolean) => (ok ? 'MET' : 'NOT MET');

// 1. Parse throughput on the real maps: as the pipeline reads them (views of the pickle bytes,
// fast path), and the strict reference parser on the same bytes and on JS strings.
const files = [1, 2].map((l) => readFileSync(REAL(l)));
const maps = files.flatMap((f) => readPandasPickle(f, { textAsBytes: true }).columns.map as Uint8Array[]);
const strings = files.flatMap((f) => readPandasPickle(f).columns.map as string[]);
const total = maps.reduce((s, m) => s + m.length, 0);
const out = new Float32Array(60000);
let parseRate = NaN;
const parsers: Array<[string, Array<string | Uint8Array>, typeof parseMapCropped]> = [
  ['pickle bytes, fast path (the pipeline)', maps, parseMapCropped],
  ['pickle bytes, strict reference parser', maps, parseMapReference],
  ['JS strings, strict reference parser', strings, parseMapReference],
];
for (const [label, inputs, parse] of parsers) {
  const rates: number[] = [];
  const cpuRates: number[] = [];
  // Warm up (JIT) for a second, then 15 timed passes over the 32 maps.
  for (const t0 = performance.now(); performance.now() - t0 < 1000; ) for (const m of inputs) parse(m, out, 0);
  for (let rep = 0; rep < 15; rep++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (const m of inputs) parse(m, out, 0);
    const cpu = process.cpuUsage(c0);
    rates.push(total / ((performance.now() - t0) / 1000) / 1e6);
    cpuRates.push(total / (cpuMs(cpu) / 1000) / 1e6);
  }
  if (label.includes('the pipeline')) parseRate = median(cpuRates);
  const goal = label.includes('the pipeline') ? ` [goal ≥ ${GOALS.parseMBs} MB/s: ${verdict(median(cpuRates) >= GOALS.parseMBs)}]` : '';
  console.log(
    `parse (${label}): ${median(cpuRates).toFixed(0)} MB/s per CPU-second, ${median(rates).toFixed(0)} MB/s wall median, ${Math.max(...rates).toFixed(0)} best wall (${maps.length} maps, ${(total / 1e6).toFixed(1)} MB; ${load()})${goal}`,
  );
}

let memoryGBs = NaN;
let diskMBs = NaN;
let diskSlowMBs = NaN;
let loopGBs = NaN;
// 2. The machine's limits on one core: memory copy bandwidth, and a scalar JS loop over floats
// (what a feature kernel is: one add per value at best).
{
  const big = new Float32Array(64 << 20); // 256 MB
  big.fill(1);
  const copy = new Float32Array(big.length);
  const bw: number[] = [];
  const loop: number[] = [];
  for (let rep = 0; rep < 5; rep++) {
    let c0 = process.cpuUsage();
    copy.set(big);
    bw.push(big.byteLength / 1e6 / (cpuMs(process.cpuUsage(c0)) / 1000));
    c0 = process.cpuUsage();
    let s = 0;
    for (let k = 0; k < big.length; k++) s += big[k]!;
    loop.push(big.byteLength / 1e6 / (cpuMs(process.cpuUsage(c0)) / 1000) + s * 0);
  }
  memoryGBs = median(bw) / 1000;
  loopGBs = median(loop) / 1000;
  console.log(`machine: memory copy ${memoryGBs.toFixed(1)} GB/s per CPU-second, scalar JS float sum ${(median(loop) / 1000).toFixed(2)} GB/s per CPU-second (one core; ${load()})`);
}
// Fresh memory. This machine is a VM whose host backs a guest page only when it is first touched,
// and takes back pages the guest has freed for ~2 s (free page reporting): every page the run
// touches that was not in use just before costs a host fault. Measured: new page-cache pages
// (a new file, as the atomic save's temp file is) and new anonymous memory (a fresh buffer) both
// go at ~300-600 MB/s per core, against 5-12 GB/s for pages reused at once (a file rewritten in
// place, or written right after another was deleted). That rate, not the disk, is the floor of
// writing the HDF5 intermediates. Three 256 MB files side by side (none deleted in between),
// then a 256 MB fresh buffer.
{
  const files = [0, 1, 2].map((i) => path.join(os.tmpdir(), `dqm-bench-disk-${process.pid}-${i}.bin`));
  const block = Buffer.alloc(8 << 20, 1);
  const rates: number[] = [];
  let anonMBs = NaN;
  try {
    for (const file of files) {
      const t0 = performance.now();
      const fd = openSync(file, 'w');
      for (let i = 0; i < 32; i++) writeSync(fd, block);
      closeSync(fd);
      rates.push(256 / ((performance.now() - t0) / 1000));
    }
    const t0 = performance.now();
    new Uint8Array(256 << 20).fill(1);
    anonMBs = 256 / ((performance.now() - t0) / 1000);
  } finally {
    for (const file of files) rmSync(file, { force: true });
  }
  diskMBs = median(rates);
  diskSlowMBs = Math.min(...rates);
  console.log(
    `machine: fresh memory: new-file write ${diskMBs.toFixed(0)} MB/s median, ${diskSlowMBs.toFixed(0)} MB/s slowest (3 new 256 MB files in 8 MB blocks, page cache, no fsync: ${rates.map((r) => r.toFixed(0)).join(', ')}); ` +
      `a new buffer's first touch ${anonMBs.toFixed(0)} MB/s (one core; ${load()})`,
  );
}

// 3. The two real pickles through data_processing + data_science, in-process (read + unpickle + parse + features), as the catalog reads them (text_as_bytes).
const times: number[] = [];
const cpuTimes: number[] = [];
for (let rep = 0; rep < 15; rep++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (const l of [1, 2]) {
    const set = await buildHistogramSet(readPandasPickle(readFileSync(REAL(l)), { textAsBytes: true }), { dataset: `raw_pixel_layer_${l}`, shape: pixelMapShape(l) });
    const mean = computeMeanImage(set);
    aggregateProperties(computeSummaryStatistics(set), computeGeometricalProperties(set), computeRmse(set, mean));
  }
  const cpu = process.cpuUsage(c0);
  if (rep >= 5) times.push(performance.now() - t0); // the first passes warm the JIT up
  if (rep >= 5) cpuTimes.push((cpu.user + cpu.system) / 1000);
}
const ls = maps.length;
console.log(
  `real pickles (2 layers, ${ls} LS) dp + ds in-process: ${median(times).toFixed(1)} ms median, ${Math.min(...times).toFixed(1)} ms best wall, ${median(cpuTimes).toFixed(1)} ms CPU -> ${(ls / (median(times) / 1000)).toFixed(0)} LS/s (${load()}) ` +
    `[goal < ${GOALS.realMs} ms: ${verdict(median(times) < GOALS.realMs)} wall, ${verdict(median(cpuTimes) < GOALS.realMs)} CPU; of it the parse alone at the rate above ${(total / 1e6 / parseRate * 1000).toFixed(1)} ms; memory floor ${(total / 1e6 / memoryGBs).toFixed(1)} ms to stream the ${(total / 1e6).toFixed(1)} MB once]`,
);

const perThousand: Array<{ runner: string; n: number; s: number }> = [];
// `dqm run` as installed: the compiled CLI. With dist/ older than the sources, bin/dqm.js falls
// back to compiling TypeScript at start, which costs ~600 MB of RSS and seconds of CPU per
// process and worker thread (measured: `dqm registry list` 107 MB compiled, 726 MB from source).
if (!distIsFresh(REPO)) {
  const build = spawnSync(process.execPath, [path.join(REPO, 'scripts/build-cli.js')], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`scripts/build-cli.js failed:\n${build.stdout}\n${build.stderr}`);
  console.log('(dist/ was older than the sources: compiled the CLI first, as npm install does)');
}
// 4. Simulated runs of N LS × 4 layers: simulate (threads), then `dqm run` end to end in a child process.
for (const n of SIZES) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'dqm-bench-'));
  try {
    cpSync(path.join(REPO, 'conf'), path.join(root, 'conf'), { recursive: true });
    mkdirSync(path.join(root, 'pipelines'));
    writeFileSync(path.join(root, 'package.json'), '{ "type": "module", "private": true }\n');
    writeFileSync(path.join(root, 'pipelines/registry.ts'), `export { registerPipelines } from '${path.join(REPO, 'pipelines/registry.ts')}';\n`);
    const s0 = performance.now();
    const c0 = process.cpuUsage();
    const sim = await writeSimulation({ seed: 1, lumisections: n, layers: [1, 2, 3, 4], chunkSize: 1000 }, path.join(root, 'data/01_raw'));
    const simCpu = cpuMs(process.cpuUsage(c0)) / 1000;
    const simWall = (performance.now() - s0) / 1000;
    // The goal is for 5,000 LS; other sizes are judged pro rata (the simulator is linear in LS).
    const simGoal = (GOALS.simulateS5k * n) / 5000;
    console.log(
      `simulate ${n} LS × 4 layers: ${simWall.toFixed(1)} s wall, ${simCpu.toFixed(1)} s CPU (all threads) on ${os.availableParallelism()} threads, ${(sim.bytes / 1e9).toFixed(2)} GB of pickles (${load()}) ` +
        `[goal < ${simGoal.toFixed(1)} s (${GOALS.simulateS5k} s at 5,000 LS): ${verdict(simWall < simGoal)}; writing them into new page-cache pages takes ${(sim.bytes / 1e6 / diskMBs / 2).toFixed(1)}–${(sim.bytes / 1e6 / diskSlowMBs / 2).toFixed(1)} s on 2 cores at ${diskMBs.toFixed(0)}–${diskSlowMBs.toFixed(0)} MB/s per core]`,
    );
    for (const runner of RUNNERS) {
      // The run starts with no write-back pending: the pickles just simulated (or the last run's
      // outputs) are flushed first, else the kernel throttles the run's own writes while it
      // writes them out (dirty-page throttling: the parallel runner then used ~1 core of 2).
      const t0 = performance.now();
      spawnSync('sync');
      console.log(`  (sync before the run: ${((performance.now() - t0) / 1000).toFixed(1)} s of write-back left by the step before)`);
      const run = await runWatched('/usr/bin/time', ['-f', '%e %M %U %S', process.execPath, path.join(REPO, 'bin/dqm.js'), 'run', '--runner', runner], root);
      if (run.status !== 0) throw new Error(`dqm run failed:\n${run.stdout}\n${run.stderr}`);
      const [wall, rssKb, user, sys] = run.stderr.trim().split('\n').pop()!.split(' ').map(Number);
      const durations = [...run.stdout.matchAll(/\] (\S+) completed in (?:(\d+)m(\d+)s|([\d.]+)(ms|s))$/gm)].map((m) => ({
        node: m[1]!,
        ms: m[2] !== undefined ? (Number(m[2]) * 60 + Number(m[3])) * 1000 : Number(m[4]) * (m[5] === 's' ? 1000 : 1),
      }));
      // cli/shared.ts formatDuration: 850ms, 12.3s or 1m05s.
      const inRun = /completed in (?:(\d+)m(\d+)s|([\d.]+)(ms|s)):/.exec(run.stdout);
      const runS = !inRun ? NaN : inRun[1] !== undefined ? Number(inRun[1]) * 60 + Number(inRun[2]) : Number(inRun[3]) / (inRun[4] === 'ms' ? 1000 : 1);
      console.log(
        `dqm run --runner ${runner} (${n} LS × 4 layers): ${wall!.toFixed(1)} s wall (run itself ${runS.toFixed(1)} s), ${(user! + sys!).toFixed(1)} s CPU, peak RSS ${(rssKb! / 1024).toFixed(0)} MB; ` +
          `${((4 * n) / runS).toFixed(0)} LS/s, ${((runS / n) * 1000).toFixed(2)} s per 1,000 LS (${load()})`,
      );
      perThousand.push({ runner, n, s: (wall! / n) * 1000 });
      const runGoal = (GOALS.runS5k * n) / 5000;
      console.log(
        `  [goal < ${runGoal.toFixed(1)} s (${GOALS.runS5k} s at 5,000 LS): ${verdict(wall! < runGoal)}; peak RSS goal < ${GOALS.rssMB} MB: ${verdict(rssKb! / 1024 < GOALS.rssMB)} ` +
          `(one layer's maps alone are ${((n * 60000 * 4) / 1e6).toFixed(0)} MB)]`,
      );
      console.log(`  memory: ${run.peak}`);
      const slowest = [...durations].sort((a, b) => b.ms - a.ms).slice(0, 4).map((d) => `${d.node} ${(d.ms / 1000).toFixed(2)} s`);
      console.log(`  slowest nodes: ${slowest.join(', ')}`);
      // Where the time goes: node time by kind, the run's kernel (system) CPU, and the floors.
      const kinds = new Map<string, number>();
      for (const d of durations) {
        const kind = d.node.startsWith('preprocess_') ? 'preprocess (read pickles, parse, write HDF5)' : /compute_|aggregate_/.test(d.node) ? 'features' : 'plots and the rest';
        kinds.set(kind, (kinds.get(kind) ?? 0) + d.ms / 1000);
      }
      const intermediate = 4 * n * 60000 * 4; // the four preprocessed sets, float32
      console.log(
        `  time by kind (node seconds): ${[...kinds].map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')}; system CPU ${sys!.toFixed(1)} s (file I/O and page faults)`,
      );
      console.log(
        `  floors: writing the ${(intermediate / 1e9).toFixed(1)} GB of HDF5 intermediates into new page-cache pages ${(intermediate / 1e6 / diskMBs).toFixed(1)} s on one core, ${(intermediate / 1e6 / diskMBs / 2).toFixed(1)} s on 2 (fresh-memory rate above); ` +
          `parsing the ${(sim.bytes / 1e9).toFixed(2)} GB of pickles at the measured fast-path rate on 2 cores ${(sim.bytes / 1e6 / parseRate / 2).toFixed(1)} s; ` +
          `the three feature kernels that read every value (mean image, centre of mass, RMSE) at the scalar JS loop rate ${loopGBs.toFixed(1)} GB/s on 2 cores ${((3 * intermediate) / 1e9 / loopGBs / 2).toFixed(1)} s`,
      );
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
// Linear in LS: the wall seconds per 1,000 LS should not grow with N.
for (const runner of RUNNERS) {
  const rows = perThousand.filter((r) => r.runner === runner);
  if (rows.length > 1) console.log(`linearity (${runner}): ${rows.map((r) => `${r.n} LS ${r.s.toFixed(2)} s per 1,000 LS`).join(', ')} (wall, whole process)`);
}
