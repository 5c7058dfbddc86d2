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

/**
 * Where a process's resident memory is (Linux /proc/<pid>/smaps_rollup and status): anonymous
 * (V8 heaps of the main thread and of each worker thread, wasm memories, ArrayBuffers, malloc)
 * against file-backed (the node binary, native addons, mapped files), and its thread count
 * (each worker thread is a V8 isolate of its own). One line; null if unknown.
 */
export function memoryBreakdown(pid: number | null | undefined): string | null {
  if (!pid) return null;
  try {
    const rollup = fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0);
    const threads = /^Threads:\s+(\d+)/m.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    const mb = (k: number) => (k / 1024).toFixed(0);
    return `RSS ${mb(kb('Rss'))} MB = anonymous ${mb(kb('Anonymous'))} + file-backed ${mb(kb('Rss') - kb('Anonymous'))}; ${threads} threads`;
  } catch {
    return null;
  }
}

/**
 * A thread's CPU time and its time spent runnable but waiting for a core (Linux
 * /proc/<pid>/task/<tid>/schedstat, in ms); null if unknown. The wait is what the scheduler,
 * not the thread's own work, adds to its answers.
 */
export function schedMs(pid: number | null | undefined, tid: number | null | undefined = pid): { ranMs: number; waitedMs: number } | null {
  if (!pid || !tid) return null;
  try {
    const [ran, waited] = fs.readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').trim().split(/\s+/).map(Number);
    return { ranMs: ran! / 1e6, waitedMs: waited! / 1e6 };
  } catch {
    return null;
  }
}
