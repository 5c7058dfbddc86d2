import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO } from '../e2e/viz-server.fixtures';

/** A temp copy of the default project (conf + pipelines; lib and node_modules linked) with simulated data. */
export function makeLoadProject(lumisections: number): { dir: string; dqm(args: string[]): number; remove(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-load-'));
  for (const f of ['conf', 'pipelines']) fs.cpSync(path.join(REPO, f), path.join(dir, f), { recursive: true });
  fs.copyFileSync(path.join(REPO, 'package.json'), path.join(dir, 'package.json'));
  for (const f of ['lib', 'node_modules']) fs.symlinkSync(path.join(REPO, f), path.join(dir, f));
  /** Runs `dqm ARGS` in the project; returns its wall time in ms. */
  const dqm = (args: string[]): number => {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, [path.join(REPO, 'bin/dqm.js'), ...args], { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`dqm ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
    return performance.now() - t0;
  };
  dqm(['simulate', '--lumisections', String(lumisections)]);
  return { dir, dqm, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Resident memory of a process in MB (Linux), null if unknown. */
export function rssMb(pid: number | null | undefined): number | null {
  if (!pid) return null;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : null;
  } catch {
    return null;
  }
}
