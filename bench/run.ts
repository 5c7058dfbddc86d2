/**
 * `npm run bench`: every speed figure the issues ask for, one benchmark after the other (each in
 * its own process, so one's heap and JIT state do not skew the next). Figures only, no pass/fail.
 * Quicker run: BENCH_DQM_LS=500 npm run bench. The dashboard and load benchmarks need a built
 * server and a browser: `npm run bench:ui`, `npm run bench:load`.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const benches: Array<[string, string]> = [
  ['framework overhead (500 trivial nodes)', 'framework.ts'],
  ['pandas pickle decode/encode', 'pickle.ts'],
  ['DQM: map parsing, real-pickle pipeline, 5,000 LS x 4 layers end to end', 'dqm.ts'],
  ['DQMIO CSV read: MB/s 1D and 2D, where the time goes, peak RSS on a 2 GB export', 'dqmio.ts'],
  ['anomaly strategies: fit/apply on 5,000 LS', 'strategies.ts'],
  ['histogram-set formats: old .hset vs HDF5, 5,000 LS save/load MB/s', 'formats.ts'],
  ['CLI start-up and whole-process dqm run vs the original Python algorithms', 'cli.ts'],
];

let failed = 0;
for (const [title, file] of benches) {
  console.log(`\n=== ${title} (bench/${file}) ===`);
  const res = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, file)], { stdio: 'inherit', env: process.env });
  if (res.status !== 0) {
    failed++;
    console.log(`bench/${file} exited with ${res.status ?? res.signal}`);
  }
}
process.exit(failed ? 1 : 0);
