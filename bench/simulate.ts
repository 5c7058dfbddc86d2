/**
 * Simulator speed (issue 17 goal: 5,000 LS × 4 layers in < 20 s on the machine's 2 threads).
 * Run: npm run bench:simulate   (BENCH_SIM_LS=5000 is the default; BENCH_SIM_THREADS to pin the
 * thread count; BENCH_SIM_PROFILE_LS=100 LS per layer for the one-thread split, 0 to skip it).
 *
 * 1. One thread, in-process, no files: per map, the Poisson sampling (MapGenerator.sample) and
 *    sampling + map text (mapBytes), so the formatting is their difference.
 * 2. writeSimulation end to end (threads, pickles written to a temp folder): wall seconds, CPU
 *    seconds of all threads, ms CPU per map, and the bytes written.
 * The machine is shared: run under `flock /work/bench.lock`; the load average is printed with each figure.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { MapGenerator, planSimulation, writeSimulation } from '../lib/dqm';
import { Prng } from '../lib/dqm/prng';
import { ENTRIES_AT_FILL_START } from '../lib/dqm/simulate-calibration';
import { hashSeed } from '../lib/dqm/simulate-layer';

const LS = Number(process.env.BENCH_SIM_LS ?? 5000);
const PROFILE_LS = Number(process.env.BENCH_SIM_PROFILE_LS ?? 100);
const THREADS = process.env.BENCH_SIM_THREADS ? Number(process.env.BENCH_SIM_THREADS) : undefined;
const LAYERS = [1, 2, 3, 4];
const load = () => `load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} on ${os.availableParallelism()} cores`;
const cpuMs = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;

// 1. One thread: sampling alone, then sampling + text, over the same LS (a fresh stream each).
if (PROFILE_LS > 0) {
  const plan = planSimulation({ seed: 1, lumisections: PROFILE_LS, layers: LAYERS });
  const timeMaps = (withText: boolean) => {
    const c0 = process.cpuUsage();
    let bytes = 0;
    for (const layer of LAYERS) {
      const gen = new MapGenerator(plan.models.get(layer)!, new Prng(hashSeed(1, 'maps', 357000, layer)));
      const curve = plan.lumi.get(357000)!;
      for (let ls = 1; ls <= PROFILE_LS; ls++) {
        const entries = ENTRIES_AT_FILL_START[layer]! * curve[ls - 1]!;
        if (withText) bytes += gen.mapBytes(entries).length;
        else gen.sample(entries);
      }
    }
    return { ms: cpuMs(process.cpuUsage(c0)) / (PROFILE_LS * LAYERS.length), bytes };
  };
  timeMaps(true); // JIT warm-up
  const sample = timeMaps(false);
  const both = timeMaps(true);
  console.log(
    `one thread, ${PROFILE_LS} LS × 4 layers, no files: sampling ${sample.ms.toFixed(3)} ms CPU per map, sampling + map text ${both.ms.toFixed(3)} ms ` +
      `(text ${(both.ms - sample.ms).toFixed(3)} ms, ${(both.bytes / (PROFILE_LS * LAYERS.length) / 1e3).toFixed(0)} kB per map) (${load()})`,
  );
}

// 2. End to end, as `dqm simulate` runs it.
const dir = mkdtempSync(path.join(os.tmpdir(), 'dqm-bench-sim-'));
try {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const sim = await writeSimulation({ seed: 1, lumisections: LS, layers: LAYERS, chunkSize: 1000 }, dir, undefined, THREADS ? { threads: THREADS } : {});
  const used = process.cpuUsage(c0);
  const cpu = cpuMs(used) / 1000;
  const wall = (performance.now() - t0) / 1000;
  const maps = LS * LAYERS.length;
  const goal = (20 * LS) / 5000;
  console.log(
    `simulate ${LS} LS × 4 layers (writeSimulation, ${THREADS ?? os.availableParallelism()} threads): ${wall.toFixed(2)} s wall, ${cpu.toFixed(1)} s CPU (${(used.system / 1e6).toFixed(1)} s of it system: page cache, page faults), ` +
      `${((cpu * 1000) / maps).toFixed(3)} ms CPU per map, ${(sim.bytes / 1e9).toFixed(2)} GB written (${load()}) [goal < ${goal.toFixed(1)} s: ${wall < goal ? 'MET' : 'NOT MET'}]`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
