/**
 * The image-contents proof (issue 8), for a machine with no Docker engine: assembles exactly
 * what the generated Dockerfile's runtime stage copies into a fresh folder outside the repo,
 * reports its size against the original project's 1.45 GB pip layer, then runs
 * `dqm run --env ci` and the dashboard from that folder with no other node_modules in reach.
 *
 *   npx tsx bench/image-size.ts            # needs `npm run build` (output: 'standalone') first
 *   npx tsx bench/image-size.ts --keep     # leave the folder for inspection
 *
 * Not part of the unit suite: it needs the dashboard's production build and takes ~a minute.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { assembleImageDir, DEFAULT_STANDALONE_PRUNE, directorySize, standaloneFromTraces } from '../lib/deploy';

const ROOT = path.resolve(import.meta.dirname, '..');
const ORIGINAL_PIP_LAYER_MB = 1450;
const TARGET_MB = 150;
const keep = process.argv.includes('--keep');
const mb = (bytes: number) => (bytes / 1e6).toFixed(1);

const dest = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-image-'));
for (let dir = path.dirname(dest); ; dir = path.dirname(dir)) {
  if (fs.existsSync(path.join(dir, 'node_modules'))) throw new Error(`${dir}/node_modules would be in reach of the image folder`);
  if (dir === path.dirname(dir)) break;
}

let failed = false;
let standaloneDir: string | undefined;
try {
  if (!fs.existsSync(path.join(ROOT, '.next/standalone'))) {
    if (!fs.existsSync(path.join(ROOT, '.next/required-server-files.json'))) {
      console.log('NO DASHBOARD BUILD (run `npm run build`): partial figure without the dashboard');
    } else {
      // Not built standalone: rebuild what standalone would hold from the same traces Next wrote.
      standaloneDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-standalone-'));
      const files = standaloneFromTraces(ROOT, standaloneDir, DEFAULT_STANDALONE_PRUNE);
      console.log(`.next/standalone missing (next.config.js has no output: 'standalone'): rebuilt it from the build's file traces (${files.length} files)`);
    }
  }
  const total = assembleImageDir(ROOT, dest, {}, { allowMissingBuild: true, standaloneDir });
  console.log(`image folder: ${dest}`);
  for (const part of ['node_modules', '.next', 'lib', 'pipelines', 'conf', 'server', 'bin']) {
    const p = path.join(dest, part);
    if (fs.existsSync(p)) console.log(`  ${part.padEnd(13)} ${mb(directorySize(p).bytes).padStart(7)} MB`);
  }
  console.log(`  ${'total'.padEnd(13)} ${mb(total.bytes).padStart(7)} MB in ${total.files} files (target < ${TARGET_MB} MB; original pip layer ${ORIGINAL_PIP_LAYER_MB} MB: ${(ORIGINAL_PIP_LAYER_MB / (total.bytes / 1e6)).toFixed(1)}x smaller)`);

  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dest, NODE_ENV: 'production', NEXT_TELEMETRY_DISABLED: '1' } as NodeJS.ProcessEnv;
  // The image holds no data: like the CI job, simulate a small sample into data/ first.
  const sim = spawnSync(process.execPath, ['bin/dqm.js', 'simulate', '--lumisections', '40', '--layers', '1,2'], { cwd: dest, env, encoding: 'utf8' });
  if (sim.status !== 0) console.log(`dqm simulate failed: ${(sim.stderr || sim.stdout).trim().split('\n').slice(-3).join('\n')}`);
  const t0 = performance.now();
  const run = spawnSync(process.execPath, ['bin/dqm.js', 'run', '--env', 'ci'], { cwd: dest, env, encoding: 'utf8' });
  console.log(`dqm run --env ci: exit ${run.status} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  if (run.status !== 0) {
    failed = true;
    console.log((run.stderr || run.stdout).trim().split('\n').slice(-5).join('\n'));
  } else {
    const reporting = path.join(dest, 'data/08_reporting');
    console.log(`  data/08_reporting: ${fs.existsSync(reporting) ? directorySize(reporting).files : 0} files`);
  }

  const port = await freePort();
  // A known token (passed by env, as the image's users would), sent with every probe.
  const token = 'image-proof-token';
  const viz = spawn(process.execPath, ['bin/dqm.js', 'viz', '--host', '127.0.0.1', '--port', String(port), '--no-browser'], { cwd: dest, env: { ...env, DQM_VIZ_TOKEN: token }, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  viz.stdout.on('data', (d) => (log += d));
  viz.stderr.on('data', (d) => (log += d));
  try {
    for (const route of ['/', '/api/main']) {
      const status = await poll(`http://127.0.0.1:${port}${route}`, token, 60_000, () => viz.exitCode !== null);
      console.log(`dashboard GET ${route}: ${status}`);
      if (status !== 200) failed = true;
    }
  } finally {
    viz.kill('SIGTERM');
  }
  if (failed && log) console.log(log.trim().split('\n').slice(-8).join('\n'));
} catch (error) {
  failed = true;
  console.log(`image proof incomplete: ${(error as Error).message}`);
} finally {
  if (keep) console.log(`kept ${dest}`);
  else fs.rmSync(dest, { recursive: true, force: true });
  if (standaloneDir) fs.rmSync(standaloneDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** Polls a URL until it answers (bounded: at most `ms`, one request every 250 ms). */
async function poll(url: string, token: string, ms: number, dead: () => boolean): Promise<number | string> {
  const end = Date.now() + ms;
  while (Date.now() < end && !dead()) {
    try {
      const res = await fetch(url, { headers: { authorization: `Token ${token}` }, signal: AbortSignal.timeout(10_000) });
      await res.arrayBuffer();
      return res.status;
    } catch {
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  return dead() ? 'server exited' : 'timeout';
}
