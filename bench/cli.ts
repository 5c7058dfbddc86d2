/**
 * CLI start-up and the whole-process `dqm run` on the real Run 316187 pickles, against the
 * original Python project's algorithms (bench/python/original_dp_ds.py) in the same run.
 * Every command is a fresh process, timed from outside (wall) with its CPU (user + sys of the
 * process tree, from bash's `times`); the commands take turns (A B C A B C ...) so a drift in
 * the machine's load hits all alike. Medians printed. BENCH_CLI_RUNS (default 5) runs each.
 * Compiled = dist/ (bin/dqm.js's default when fresh); source = DQM_FROM_SOURCE=1 (tsx).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SHARED_DIR } from '../tests/shared-data.fixtures';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = SHARED_DIR;
const PICKLES = [1, 2].map((l) => path.join(SHARED, `data/run316187/Run_316187_0_clusterposition_PXLayer_${l}.pkl`));
const PYTHON = '/usr/bin/python3';
const RUNS = Number(process.env.BENCH_CLI_RUNS ?? 5);
const BIN = path.join(REPO, 'bin/dqm.js');

interface Timing {
  wall: number;
  cpu: number;
}

/** One run of `argv` in `cwd`; bash's `times` gives the children's user and system seconds. */
function timeOnce(argv: string[], cwd: string, env: Record<string, string> = {}): Timing {
  const t0 = performance.now();
  const r = spawnSync('bash', ['-c', '"$@" >/dev/null 2>/tmp/dqm-bench-cli.err || { cat /tmp/dqm-bench-cli.err >&2; exit 1; }; times', 'bench', ...argv], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed in ${cwd}:\n${r.stderr}`);
  const children = r.stdout.trim().split('\n')[1] ?? '';
  const secs = [...children.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  return { wall, cpu: ((secs[0] ?? 0) + (secs[1] ?? 0)) * 1000 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The repo's own DQM pipelines on the two real pickles (as pipelines/dqm-real-data.test.ts sets up). */
function realDataProject(): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-bench-cli-'));
  fs.mkdirSync(path.join(root, 'conf/base/parameters'), { recursive: true });
  fs.mkdirSync(path.join(root, 'conf/local'), { recursive: true });
  fs.mkdirSync(path.join(root, 'pipelines'), { recursive: true });
  const catalog = fs.readFileSync(path.join(REPO, 'conf/base/catalog.yml'), 'utf8').replace(/raw_pixel_layer_\{n\}:\n(  .*\n)+/, '');
  const raw = PICKLES.map((f, i) => `raw_pixel_layer_${i + 1}:\n  type: pickle.PickleDataSet\n  filepath: ${f}\n  layer: raw\n`).join('');
  fs.writeFileSync(path.join(root, 'conf/base/catalog.yml'), raw + catalog);
  fs.writeFileSync(path.join(root, 'conf/base/parameters.yml'), 'layers: [1, 2]\n');
  fs.copyFileSync(path.join(REPO, 'conf/base/parameters/data_processing.yml'), path.join(root, 'conf/base/parameters/data_processing.yml'));
  fs.writeFileSync(path.join(root, 'package.json'), '{ "name": "dqm-bench-cli", "private": true, "type": "module" }\n');
  fs.writeFileSync(path.join(root, 'pipelines/registry.ts'), `export { registerPipelines } from '${path.join(REPO, 'pipelines/registry.ts')}';\n`);
  fs.mkdirSync(path.join(root, 'node_modules'));
  fs.symlinkSync(REPO, path.join(root, 'node_modules', 'dqm-playground-ds'), 'dir');
  return root;
}

const build = spawnSync(process.execPath, [path.join(REPO, 'scripts/build-cli.js')], { encoding: 'utf8' });
if (build.status !== 0) throw new Error(`scripts/build-cli.js failed:\n${build.stderr}`);
console.log(build.stdout.trim());

const project = realDataProject();
const pyOut = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-bench-py-'));
const RUN = ['run', '--pipelines', 'data_processing,data_science'];
const SOURCE = { DQM_FROM_SOURCE: '1' };
const cases: Array<{ name: string; argv: string[]; cwd: string; env?: Record<string, string>; runs?: number }> = [
  { name: 'node -e 0 (the floor)', argv: [process.execPath, '-e', '0'], cwd: REPO },
  { name: 'dqm --version (compiled)', argv: [process.execPath, BIN, '--version'], cwd: REPO },
  { name: 'dqm --version (source, tsx)', argv: [process.execPath, BIN, '--version'], cwd: REPO, env: SOURCE },
  { name: 'dqm registry list (compiled)', argv: [process.execPath, BIN, 'registry', 'list'], cwd: REPO },
  { name: 'dqm registry list (source, tsx)', argv: [process.execPath, BIN, 'registry', 'list'], cwd: REPO, env: SOURCE },
  { name: 'dqm run dp+ds, real pickles (compiled)', argv: [process.execPath, BIN, ...RUN], cwd: project },
  { name: 'dqm run dp+ds, real pickles (source, tsx)', argv: [process.execPath, BIN, ...RUN], cwd: project, env: SOURCE },
  { name: 'original Python dp+ds, real pickles', argv: [PYTHON, path.join(REPO, 'bench/python/original_dp_ds.py'), pyOut, ...PICKLES], cwd: REPO, runs: Math.min(RUNS, 3) },
];

// Warm-up: the page cache, and the project's bundle in .dqm/cache (a first start bundles it).
for (const c of cases) timeOnce(c.argv, c.cwd, c.env);
const results = new Map<string, Timing[]>(cases.map((c) => [c.name, []]));
for (let i = 0; i < RUNS; i++) {
  for (const c of cases) if (i < (c.runs ?? RUNS)) results.get(c.name)!.push(timeOnce(c.argv, c.cwd, c.env));
}

const fig = (name: string) => ({ wall: median(results.get(name)!.map((t) => t.wall)), cpu: median(results.get(name)!.map((t) => t.cpu)) });
console.log(`${RUNS} runs each (Python: ${Math.min(RUNS, 3)}), medians; ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}`);
for (const c of cases) {
  const f = fig(c.name);
  console.log(`${c.name.padEnd(44)} ${f.wall.toFixed(0).padStart(6)} ms wall  ${f.cpu.toFixed(0).padStart(6)} ms CPU`);
}
const py = fig('original Python dp+ds, real pickles');
const ours = fig('dqm run dp+ds, real pickles (compiled)');
console.log(`whole-process dqm run vs the original's algorithms: ${(py.wall / ours.wall).toFixed(1)}x faster (wall), ${(py.cpu / ours.cpu).toFixed(1)}x less CPU`);
fs.rmSync(project, { recursive: true, force: true });
fs.rmSync(pyOut, { recursive: true, force: true });
