/**
 * Faults, with the real processes: `dqm viz` killed with SIGKILL during a run (the run, detached,
 * goes on), then the run's process too, during a run and during a dataset write; then the server
 * restarted: the run store is consistent, the run is marked failed, no output is half-written,
 * and the stale temp file of the interrupted save is removed.
 * Disk full during a save (a 1 MB tmpfs mounted over the output folder; we run as root): a clear
 * error, exit 1, the old file kept.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startViz } from '../../e2e/viz-server.fixtures';
import type { RunDetails, RunRecord } from '../../lib/services';
import { DEFAULT_CATALOG, makeTempProject, registrySource, REPO, SLOW_PIPELINE } from '../../lib/session/temp-project.fixtures';

const REGISTRY = registrySource({
  functions: `${SLOW_PIPELINE.functions}/** ~120 MB of JSON: the save takes long enough to be caught mid-write. */
export function make_big(xs: number[]): string[] {
  return Array.from({ length: 1_200_000 }, (_, i) => 'x'.repeat(90) + String(i + xs.length));
}
/** 3 MB: more than the 1 MB file system holds. */
export function make_huge(xs: number[]): { blob: string } {
  return { blob: 'y'.repeat(3_000_000 + xs.length) };
}

`,
  pipelines: { ...SLOW_PIPELINE.pipelines, big: "new Pipeline([node(make_big, 'numbers', 'big')])", huge: "new Pipeline([node(make_huge, 'numbers', 'report')])" },
});
const CATALOG = `${DEFAULT_CATALOG}waited:
  type: json.JSONDataset
  filepath: data/04_feature/waited.json
big:
  type: json.JSONDataset
  filepath: data/05_model_input/big.json
`;

let root: string;
beforeAll(() => {
  root = makeTempProject({ files: { 'pipelines/registry.ts': REGISTRY, 'conf/base/catalog.yml': CATALOG, 'data/05_model_input/big.json': '"OLD BIG"\n', 'data/08_reporting/report.json': '{"old": true}\n' } });
});
afterAll(() => {
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

/** `dqm viz` in its own process group: SIGKILL to the group is a crash of the session (the detached run survives it). */
async function startDetachedViz(): Promise<{ url: string; child: ChildProcess }> {
  // A port taken between freePort() and listen() by a parallel test: try another.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startDetachedVizOnce();
    } catch (error) {
      if (attempt >= 3 || !/already in use/.test(String(error))) throw error;
    }
  }
}

async function startDetachedVizOnce(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, [path.join(REPO, 'bin/dqm.js'), 'viz', '--no-browser', '--no-token', '--port', String(port)], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`dqm viz exited with ${child.exitCode}:\n${output}`);
    const ok = await fetch(`${url}api/main`).then((r) => r.status === 200, () => false);
    if (ok) return { url, child };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('dqm viz did not start');
}

/** Running (a zombie, exited but not reaped by whoever adopted it, is not). */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0] !== 'Z';
  } catch {
    return false;
  }
};

/** Kills the server's session (the run, in its own session, is still there), then the run's process group. */
async function killGroup(child: ChildProcess, runPid: number | null): Promise<void> {
  process.kill(-child.pid!, 'SIGKILL');
  for (let i = 0; i < 100 && alive(child.pid!); i++) await new Promise((r) => setTimeout(r, 50));
  expect(alive(child.pid!)).toBe(false);
  if (runPid === null) return;
  expect(alive(runPid)).toBe(true);
  process.kill(-runPid, 'SIGKILL');
  for (let i = 0; i < 100 && alive(runPid); i++) await new Promise((r) => setTimeout(r, 50));
  expect(alive(runPid)).toBe(false);
}

async function postRun(url: string, pipeline: string): Promise<RunRecord> {
  const res = await fetch(`${url}api/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pipeline }) });
  expect(res.status).toBe(202);
  return ((await res.json()) as { run: RunRecord }).run;
}

function storeIsConsistent(): void {
  const db = new Database(path.join(root, '.dqm', 'runs.sqlite'), { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare("SELECT count(*) AS n FROM runs WHERE status = 'running'").get()).toEqual({ n: 0 });
  } finally {
    db.close();
  }
}

/** After a restart, what the server says about the killed run. */
async function afterRestart(id: string): Promise<{ details: RunDetails; output: string }> {
  const viz = await startViz(['--no-token'], { cwd: root });
  try {
    const details = (await (await viz.fetch(`api/runs/${id}`)).json()) as RunDetails;
    return { details, output: viz.output() };
  } finally {
    await viz.stop();
  }
}

describe('kill -9 of the dashboard server', () => {
  it('during a run: after a restart the run is failed, the store consistent, no output half-written', async () => {
    const { url, child } = await startDetachedViz();
    const run = await postRun(url, 'slow');
    // Wait until the long node runs (its predecessors saved `total`).
    for (let i = 0; i < 600; i++) {
      const d = (await (await fetch(`${url}api/runs/${run.id}`)).json()) as RunDetails;
      if (d.nodes.some((n) => n.node === 'wait_long' && n.status === 'running')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await killGroup(child, run.pid);
    const { details } = await afterRestart(run.id);
    expect(details.run.status).toBe('failed');
    expect(details.run.error).toMatch(/process died/);
    expect(details.nodes.find((n) => n.node === 'wait_long')?.status).not.toBe('running');
    storeIsConsistent();
    expect(fs.existsSync(path.join(root, 'data/04_feature/waited.json'))).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(root, 'data/03_primary/total.json'), 'utf8'))).toBe(20);
  });

  it('during a dataset write: the old file is intact, the stale temp file is removed at the next start', async () => {
    const folder = path.join(root, 'data/05_model_input');
    const before = fs.readFileSync(path.join(folder, 'big.json'));
    let caught: string | undefined;
    let runId = '';
    for (let attempt = 0; attempt < 3 && !caught; attempt++) {
      const { url, child } = await startDetachedViz();
      const run = await postRun(url, 'big');
      runId = run.id;
      const deadline = Date.now() + 120_000;
      while (!caught && Date.now() < deadline && alive(run.pid!)) {
        caught = fs.readdirSync(folder).find((f) => f.includes('.tmp-'));
        if (!caught) await new Promise((r) => setImmediate(r));
      }
      if (caught) await killGroup(child, run.pid);
      else {
        process.kill(-child.pid!, 'SIGKILL');
        if (alive(run.pid!)) process.kill(-run.pid!, 'SIGKILL');
      }
    }
    expect(caught, 'the temp file of the save was never seen').toBeDefined();
    expect(fs.existsSync(path.join(folder, caught!))).toBe(true);
    expect(fs.readFileSync(path.join(folder, 'big.json'))).toEqual(before);
    const { details, output } = await afterRestart(runId);
    expect(output).toContain('Removed 1 temp file(s) left by interrupted saves: data/05_model_input/');
    expect(fs.readdirSync(folder)).toEqual(['big.json']);
    expect(fs.readFileSync(path.join(folder, 'big.json'))).toEqual(before);
    expect(details.run.status).toBe('failed');
    storeIsConsistent();
  });
});

describe('disk full during a save', () => {
  it('a clear error naming the dataset, exit 1, the old file kept, no temp file left', () => {
    const folder = path.join(root, 'data/08_reporting');
    const before = fs.readFileSync(path.join(folder, 'report.json'));
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', folder]).status === 0;
    let r: ReturnType<typeof spawnSync>;
    try {
      if (mounted) {
        fs.writeFileSync(path.join(folder, 'report.json'), before);
        r = spawnSync(process.execPath, [path.join(REPO, 'bin/dqm.js'), 'run', '--pipeline', 'huge'], { cwd: root, encoding: 'utf8' });
      } else {
        // No mount (not root): a file-size limit on the child makes the write fail with EFBIG
        // (SIGXFSZ ignored, so the write returns the error instead of killing the process).
        r = spawnSync('sh', ['-c', `trap '' XFSZ; exec prlimit --fsize=1000000 "${process.execPath}" "${path.join(REPO, 'bin/dqm.js')}" run --pipeline huge`], { cwd: root, encoding: 'utf8' });
      }
      expect(r.status, String(r.stderr)).toBe(1);
      const line = String(r.stderr).trim().split('\n').filter((l) => l.startsWith('Error:'));
      expect(line).toHaveLength(1);
      expect(line[0]).toMatch(mounted ? /saving data to dataset 'report' \(data\/08_reporting\/report\.json\).*(ENOSPC|no space left)/i : /saving data to dataset 'report'.*(EFBIG|too large)/i);
      expect(fs.readFileSync(path.join(folder, 'report.json'))).toEqual(before);
      expect(fs.readdirSync(folder)).toEqual(['report.json']);
    } finally {
      if (mounted) {
        spawnSync('umount', [folder]);
      }
    }
    expect(fs.readFileSync(path.join(folder, 'report.json'))).toEqual(before);
  });
});
