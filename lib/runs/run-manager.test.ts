import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { LIB, makeTempProject, SLOW_REGISTRY } from '../session/temp-project.fixtures';
import { RunManager } from './run-manager';
import { isProcessAlive } from './process-info';
import { RunStore } from './run-store';
import type { StoredEvent } from '../services';

// The fixture project plus the slow pipeline, whose last node waits until it is cancelled.
const REGISTRY = SLOW_REGISTRY;

const roots: string[] = [];
const managers: RunManager[] = [];
afterAll(async () => {
  await Promise.all(managers.map((m) => m.close({ cancelRunning: true })));
  roots.forEach((r) => rmSync(r, { recursive: true, force: true }));
});
function setup(): { root: string; manager: RunManager } {
  const root = makeTempProject({ files: { 'pipelines/registry.ts': REGISTRY } });
  roots.push(root);
  const manager = new RunManager({ root, killGraceMs: 2000 });
  managers.push(manager);
  return { root, manager };
}

/** All events of a run until it ends, replayed then live. */
function collect(manager: RunManager, id: string): Promise<StoredEvent[]> {
  return new Promise((resolve) => {
    const events: StoredEvent[] = [];
    manager.subscribe(id, (e) => events.push(e), () => resolve(events));
  });
}

describe('RunManager', () => {
  it('runs a pipeline in a child process and records every node and dataset', async () => {
    const { root, manager } = setup();
    const run = await manager.start({ pipeline: '__default__', params: 'factor=3' });
    expect(run).toMatchObject({ pipeline: '__default__', env: 'local', status: 'running', startedBy: 'dashboard', params: { factor: 3 } });
    expect(run.pid).not.toBe(process.pid);
    const events = await collect(manager, run.id);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]).toMatchObject({ type: 'run_started', runId: run.id, nodes: ['scale', 'count_of', 'total_of', 'make_report'] });
    expect(events.at(-1)).toMatchObject({ type: 'run_finished', status: 'success' });
    expect(events.some((e) => e.type === 'progress' && e.node === 'scale')).toBe(true);

    const details = manager.get(run.id);
    expect(details.run.status).toBe('success');
    expect(details.nodes.map((n) => [n.node, n.status])).toEqual([
      ['scale', 'done'],
      ['count_of', 'done'],
      ['total_of', 'done'],
      ['make_report', 'done'],
    ]);
    expect(details.nodes.every((n) => typeof n.durationMs === 'number')).toBe(true);
    const report = details.datasets.find((d) => d.dataset === 'report');
    expect(report?.sizeBytes).toBe(readFileSync(path.join(root, 'data/08_reporting/report.json')).length);
    expect(details.datasets.find((d) => d.dataset === 'scaled')).toMatchObject({ sizeBytes: null, rows: 4 });
    expect(JSON.parse(readFileSync(path.join(root, 'data/08_reporting/report.json'), 'utf8'))).toEqual({ total: 30, count: 4, mean: 8.5 });
    // A late subscriber gets the same log.
    expect(await collect(manager, run.id)).toEqual(events);
  });

  it('records a failing node with its error and the resume command', async () => {
    const { manager } = setup();
    const run = await manager.start({ pipeline: 'failing' });
    const events = await collect(manager, run.id);
    expect(events.at(-1)).toMatchObject({ type: 'run_finished', status: 'failed' });
    const details = manager.get(run.id);
    expect(details.run).toMatchObject({ status: 'failed', error: 'boom: the detector is on fire' });
    const explode = details.nodes.find((n) => n.node === 'explode');
    expect(explode).toMatchObject({ status: 'failed', error: { message: 'boom: the detector is on fire' }, resumeCommand: 'dqm run --from-nodes explode --pipeline failing' });
  });

  it('refuses a second run while one is running, and cancels a run', async () => {
    const { root, manager } = setup();
    const run = await manager.start({ pipeline: 'slow' });
    // The run yields the CPU to the server (nice +10): the page answers first under contention.
    expect(os.getPriority(run.pid!)).toBe(Math.min(19, os.getPriority() + 10));
    await expect(manager.start({})).rejects.toThrow(new RegExp(`^A run is already in progress in this project: ${run.id} \\(started by dashboard`));
    await expect(manager.start({})).rejects.toMatchObject({ code: 'RUN_CONFLICT', httpStatus: 409, runningId: run.id });
    const ended = collect(manager, run.id);
    // Wait until the slow node runs, then cancel it.
    await new Promise<void>((resolve) => {
      const off = manager.subscribe(run.id, (e) => {
        if (e.type === 'node_started' && e.node === 'wait_long') resolve();
      });
      void off;
    });
    const cancelled = await manager.cancel(run.id);
    expect(cancelled).toMatchObject({ status: 'cancelled', error: 'cancelled from the dashboard' });
    expect((await ended).at(-1)).toMatchObject({ type: 'run_aborted', status: 'cancelled' });
    expect(manager.get(run.id).nodes.find((n) => n.node === 'wait_long')).toMatchObject({ status: 'failed', error: { message: 'cancelled from the dashboard' } });
    expect(manager.runningId()).toBeUndefined();
    // No half-written or temp dataset files.
    expect(existsSync(path.join(root, 'data/02_intermediate/waited.json'))).toBe(false);
    await expect(manager.cancel(run.id)).rejects.toThrow(`Run ${run.id} is not running (it was cancelled); nothing to cancel`);
    // The project is free again.
    const next = await manager.start({ pipeline: 'main', nodes: ['scale', 'total_of'] });
    expect((await collect(manager, next.id)).at(-1)).toMatchObject({ type: 'run_finished', status: 'success' });
  });

  it('refuses bad requests with a clear message and records nothing', async () => {
    const { manager } = setup();
    await expect(manager.start({ pipeline: 'nope' })).rejects.toThrow("Unknown pipeline 'nope'. Registered pipelines: __default__, failing, main, slow.");
    await expect(manager.start({ nodes: ['scal'] })).rejects.toThrow("Pipeline '__default__' has no node named 'scal'. Did you mean 'scale'?");
    await expect(manager.start({ pipeline: 'main', colour: 'red' })).rejects.toThrow(
      "Unknown field 'colour' in the run request. Allowed: pipeline, env, params, nodes, fromNodes, toNodes, tags, fromInputs, toOutputs, namespace, onlyMissingOutputs, runner",
    );
    await expect(manager.start({ env: '../etc' })).rejects.toThrow(`'env' must be a name (letters, digits, _ . : -), got "../etc"`);
    await expect(manager.start({ params: 'a' })).rejects.toThrow("Invalid 'params': Invalid --params 'a': expected key=value pairs separated by commas");
    await expect(manager.start({ nodes: 3 })).rejects.toMatchObject({ httpStatus: 400, message: "'nodes' must be a list of names or comma-separated text, got 3" });
    expect(manager.list()).toEqual([]);
    await expect(Promise.resolve().then(() => manager.get('missing'))).rejects.toMatchObject({ httpStatus: 404, code: 'RUN_NOT_FOUND' });
  });

  it('sees a run started from the CLI as the running one', async () => {
    const { root, manager } = setup();
    const store = RunStore.open(root);
    store.createRun({ id: 'cli-run', pipeline: '__default__', env: 'local', startedBy: 'cli', user: 'bob' });
    store.close();
    await expect(manager.start({})).rejects.toThrow(/^A run is already in progress in this project: cli-run \(started by cli bob at /);
    await expect(manager.cancel('cli-run')).rejects.toThrow(`Run cli-run was started by cli bob (pid ${process.pid}), not by this dashboard: stop it where it runs`);
  });
});

describe('run store under kill -9', () => {
  it('stays consistent and marks the interrupted run failed at the next open', async () => {
    const root = makeTempProject();
    roots.push(root);
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    // A writer that records events as fast as it can until killed.
    const script = `
      import { RunStore } from ${JSON.stringify(path.join(LIB, 'runs/run-store.ts'))};
      const store = RunStore.open(${JSON.stringify(root)});
      let n = 0;
      for (let r = 0; ; r++) {
        const id = 'run-' + r;
        store.createRun({ id, pipeline: 'p', env: 'local', startedBy: 'cli' });
        store.recordEvent(id, { type: 'run_started', runId: id, pipeline: 'p', nodes: ['a', 'b'], at: new Date().toISOString() });
        // Runs 0-2 finish; run 3 keeps writing events until the kill lands in the middle of it.
        for (let i = 0; i < 50 || r === 3; i++) {
          store.recordEvent(id, { type: 'progress', node: 'a', done: i, total: 50, unit: 'LS', at: new Date().toISOString() });
          if (r === 3 && ++n === 200) process.stdout.write('writing\\n');
        }
        store.recordEvent(id, { type: 'run_finished', status: 'success', durationMs: 1, at: new Date().toISOString() });
      }`;
    const child = spawn(process.execPath, ['--import', tsx, '--input-type=module', '-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('writing') && resolve());
      child.once('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
    });
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));

    const store = RunStore.open(root);
    expect(store.integrityCheck()).toBe('ok');
    const runs = store.listRuns({ limit: 100_000 });
    expect(runs).toHaveLength(4);
    expect(runs.filter((r) => r.status === 'running')).toEqual([]);
    const interrupted = runs.filter((r) => r.status === 'failed');
    expect(interrupted).toHaveLength(1);
    expect(interrupted[0]!.error).toBe(`process died (pid ${child.pid} not running)`);
    // Every finished run has its whole log: no torn transaction survived.
    for (const r of runs.filter((x) => x.status === 'success').slice(0, 20)) expect(store.events(r.id)).toHaveLength(52);
    store.close();
    expect(readdirSync(path.join(root, '.dqm')).sort()).toContain('runs.sqlite');
  });
});

describe('detached runs', () => {
  it('keep running when the server stops; a new server re-attaches, follows and cancels them', async () => {
    const { root, manager } = setup();
    const run = await manager.start({ pipeline: 'slow' });
    await new Promise<void>((resolve) => manager.subscribe(run.id, (e) => e.type === 'node_started' && e.node === 'wait_long' && resolve()));
    await manager.close(); // `dqm viz` stops: the run goes on
    expect(isProcessAlive(run.pid!)).toBe(true);
    // Its own session: not in the server's process group, so Ctrl+C or a hang-up there never reaches it.
    expect(readFileSync(`/proc/${run.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')[3]).toBe(String(run.pid));

    const again = new RunManager({ root, killGraceMs: 2000 });
    managers.push(again);
    expect(again.runningId()).toBe(run.id);
    expect(again.get(run.id).run.status).toBe('running');
    await expect(again.start({})).rejects.toThrow(`A run is already in progress in this project: ${run.id}`);
    const ended = collect(again, run.id);
    expect((await again.cancel(run.id)).status).toBe('cancelled');
    expect((await ended).at(-1)).toMatchObject({ type: 'run_aborted', status: 'cancelled', reason: 'cancelled from the dashboard' });
    expect(isProcessAlive(run.pid!)).toBe(false);
    expect(again.runningId()).toBeUndefined();
  });

  it('notices that the process of a run it re-attached to died', async () => {
    const { root, manager } = setup();
    const run = await manager.start({ pipeline: 'slow' });
    await manager.close();
    const again = new RunManager({ root, pollMs: 50 });
    managers.push(again);
    const ended = collect(again, run.id);
    process.kill(run.pid!, 'SIGKILL');
    expect((await ended).at(-1)).toMatchObject({ type: 'run_aborted', status: 'failed', reason: `process died (pid ${run.pid} not running)` });
    await again.start({ pipeline: 'main' }).then((r) => collect(again, r.id));
  });

  it('re-runs a failed run from its failed node with the same params, and compares two runs', async () => {
    const { manager } = setup();
    const first = await manager.start({ pipeline: 'failing', params: { factor: 3 } });
    await collect(manager, first.id);
    const again = await manager.rerun(first.id, {});
    await collect(manager, again.id);
    const d = manager.get(again.id);
    expect(d.run).toMatchObject({ pipeline: 'failing', params: { factor: 3 }, selection: { fromNodes: ['explode'] }, rerunOf: first.id, status: 'failed' });
    expect(d.nodes.map((n) => [n.node, n.status])).toEqual([['explode', 'failed']]);
    expect(d.nodes[0]!.traceback).toMatch(/^Error: boom: the detector is on fire\n\s+at ignite \(pipelines\/registry\.ts:\d+:\d+\)\n\s+at Node\.explode \(pipelines\/registry\.ts:\d+:\d+\)/);
    expect(manager.logs(again.id, 'explode').map((l) => [l.stream, l.text])).toEqual([['stdout', 'checking the detector (total 30)']]);
    await expect(manager.rerun(first.id, { from: 'middle' })).rejects.toThrow(`'from' must be 'failed' or 'start', got "middle"`);

    const ok = await manager.start({ pipeline: 'main', params: { factor: 5 } });
    await collect(manager, ok.id);
    await expect(manager.rerun(ok.id, { from: 'failed' })).rejects.toThrow(`Run ${ok.id} has no failed node to resume from (it succeeded); re-run it from the start`);
    const c = manager.compare(first.id, ok.id);
    expect(c.params).toEqual([{ key: 'factor', a: 3, b: 5, changed: true }]);
    expect(c.fields.find((f) => f.key === 'pipeline')).toEqual({ key: 'pipeline', a: 'failing', b: 'main', changed: true });
    expect(c.nodes.find((n) => n.key === 'scale')).toMatchObject({ a: { status: 'done' }, b: { status: 'done' } });
    expect(c.nodes.find((n) => n.key === 'explode')).toMatchObject({ a: { status: 'failed' }, b: null });
    expect(manager.durations('scale').map((p) => p.runId)).toEqual([ok.id, first.id]);
  });
});
