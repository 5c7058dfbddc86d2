import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RunStore, STORE_FILE } from './run-store';
import type { RunLogEvent } from '../services';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function tempRoot(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), 'dqm-runs-'));
  dirs.push(d);
  return d;
}
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

/** A pid that certainly belongs to no process: one that has just exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
  return Number(r.stdout.toString());
}

describe('RunStore', () => {
  it('creates .dqm/runs.sqlite in WAL mode with the schema version', () => {
    const root = tempRoot();
    const store = RunStore.open(root);
    expect(store.file).toBe(path.join(root, STORE_FILE));
    store.close();
    const db = new Database(path.join(root, '.dqm/runs.sqlite'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    db.close();
  });

  it('maps runner events to run, node and dataset rows', () => {
    const store = RunStore.open(tempRoot());
    store.createRun({ id: 'r1', pipeline: '__default__', env: 'local', params: { factor: 3 }, selection: { tags: ['prep'] }, startedBy: 'cli', user: 'alice', startedAt: at(0) });
    const events: RunLogEvent[] = [
      { type: 'run_started', runId: 'r1', pipeline: '__default__', nodes: ['a', 'b', 'c'], at: at(0) },
      { type: 'node_started', node: 'a', index: 0, total: 3, at: at(1) },
      { type: 'progress', node: 'a', done: 5, total: 10, unit: 'LS', at: at(1) },
      { type: 'dataset_saved', dataset: 'x', at: at(2) },
      { type: 'node_finished', node: 'a', durationMs: 1000, at: at(2) },
      { type: 'node_started', node: 'b', index: 1, total: 3, at: at(2) },
      { type: 'node_failed', node: 'b', error: { code: 'NODE_ERROR', message: 'boom' }, resumeCommand: 'dqm run --from-nodes b', at: at(5) },
      { type: 'run_finished', status: 'failed', durationMs: 5000, at: at(5) },
    ];
    const seqs = events.map((e) => store.recordEvent('r1', e, e.type === 'dataset_saved' ? { sizeBytes: 123 } : {}));
    expect(seqs).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    store.setDatasetRows('r1', 'x', 42);
    const d = store.getRunDetails('r1');
    expect(d.run).toMatchObject({ id: 'r1', status: 'failed', error: 'boom', finishedAt: at(5), durationMs: 5000, startedBy: 'cli', user: 'alice', params: { factor: 3 }, selection: { tags: ['prep'] }, pid: process.pid });
    expect(d.nodes).toEqual([
      { node: 'a', position: 0, status: 'done', startedAt: at(1), durationMs: 1000, error: null, resumeCommand: null, resumeFrom: null, progress: { done: 5, total: 10, unit: 'LS' }, traceback: null },
      { node: 'b', position: 1, status: 'failed', startedAt: at(2), durationMs: 3000, error: { code: 'NODE_ERROR', message: 'boom' }, resumeCommand: 'dqm run --from-nodes b', resumeFrom: null, progress: null, traceback: null },
      // The run ended before c started: not run.
      { node: 'c', position: 2, status: 'not_run', startedAt: null, durationMs: null, error: null, resumeCommand: null, resumeFrom: null, progress: null, traceback: null },
    ]);
    expect(d.datasets).toEqual([{ dataset: 'x', savedAt: at(2), sizeBytes: 123, rows: 42 }]);
    store.close();
  });

  it('replays events in order, from any sequence number', () => {
    const store = RunStore.open(tempRoot());
    store.createRun({ id: 'r', pipeline: 'p', env: 'local', startedBy: 'dashboard' });
    store.recordEvent('r', { type: 'run_started', runId: 'r', pipeline: 'p', nodes: ['a'], at: at(0) });
    for (let i = 1; i <= 20; i++) store.recordEvent('r', { type: 'progress', node: 'a', done: i, total: 20, unit: 'LS', at: at(i) });
    store.recordEvent('r', { type: 'run_finished', status: 'success', durationMs: 21, at: at(21) });
    const all = store.events('r');
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: 22 }, (_, i) => i + 1));
    expect(all[0]).toEqual({ type: 'run_started', runId: 'r', pipeline: 'p', nodes: ['a'], at: at(0), seq: 1 });
    expect(all.at(-1)?.type).toBe('run_finished');
    expect(store.events('r', 20).map((e) => e.seq)).toEqual([21, 22]);
    expect(store.getRun('r').status).toBe('success');
    store.close();
  });

  it('marks runs whose process died as failed at the next open', () => {
    const root = tempRoot();
    const pid = deadPid();
    const store = RunStore.open(root);
    store.createRun({ id: 'dead', pipeline: 'p', env: 'local', startedBy: 'cli', pid });
    store.recordEvent('dead', { type: 'run_started', runId: 'dead', pipeline: 'p', nodes: ['a', 'b'], at: at(0) });
    store.recordEvent('dead', { type: 'node_started', node: 'a', index: 0, total: 2, at: at(1) });
    store.createRun({ id: 'alive', pipeline: 'p', env: 'local', startedBy: 'cli' });
    store.close();

    const again = RunStore.open(root);
    const dead = again.getRunDetails('dead');
    expect(dead.run.status).toBe('failed');
    expect(dead.run.error).toBe(`process died (pid ${pid} not running)`);
    expect(dead.nodes.map((n) => [n.node, n.status, n.error?.message])).toEqual([
      ['a', 'failed', `process died (pid ${pid} not running)`],
      ['b', 'not_run', undefined],
    ]);
    expect(again.events('dead').at(-1)).toMatchObject({ type: 'run_aborted', status: 'failed', reason: `process died (pid ${pid} not running)` });
    // This process is alive: its run stays running.
    expect(again.getRun('alive').status).toBe('running');
    again.close();
  });

  it('does not take a pid that now belongs to another process for the run', () => {
    const root = tempRoot();
    const store = RunStore.open(root);
    store.createRun({ id: 'reused', pipeline: 'p', env: 'local', startedBy: 'cli', pid: process.pid });
    store.close();
    const db = new Database(path.join(root, STORE_FILE));
    db.prepare("UPDATE runs SET pid_start = '1' WHERE id = 'reused'").run();
    db.close();
    const again = RunStore.open(root);
    expect(again.getRun('reused')).toMatchObject({ status: 'failed', error: `process died (pid ${process.pid} not running)` });
    again.close();
  });

  it('never stores secrets from the params', () => {
    const root = tempRoot();
    const store = RunStore.open(root);
    store.createRun({
      id: 'p',
      pipeline: 'p',
      env: 'local',
      startedBy: 'dashboard',
      params: { api_token: 'tok-123', db: { password: 'hunter2', host: 'h' }, list: [{ client_secret: 's' }], apiKey: 'k', n: 1 },
    });
    expect(store.getRun('p').params).toEqual({ api_token: '***', db: { password: '***', host: 'h' }, list: [{ client_secret: '***' }], apiKey: '***', n: 1 });
    store.close();
    const raw = new Database(path.join(root, STORE_FILE)).prepare('SELECT params FROM runs').get() as { params: string };
    expect(raw.params).not.toMatch(/tok-123|hunter2/);
  });

  it('lists runs newest first and finds unknown ids with a clear error', () => {
    const store = RunStore.open(tempRoot());
    store.createRun({ id: 'old', pipeline: 'p', env: 'local', startedBy: 'cli', startedAt: at(1) });
    store.createRun({ id: 'new', pipeline: 'q', env: 'ci', startedBy: 'dashboard', startedAt: at(2) });
    expect(store.listRuns().map((r) => r.id)).toEqual(['new', 'old']);
    expect(store.listRuns({ limit: 1, offset: 1 }).map((r) => r.id)).toEqual(['old']);
    expect(() => store.getRun('nope')).toThrow(`No run 'nope' in the run store (${store.file})`);
    expect(() => store.recordEvent('nope', { type: 'dataset_saved', dataset: 'x', at: at(0) })).toThrow(`Cannot record event 'dataset_saved': no run 'nope' in ${store.file}`);
    store.close();
  });

  it('refuses a file written by a newer schema', () => {
    const root = tempRoot();
    RunStore.open(root).close();
    const db = new Database(path.join(root, STORE_FILE));
    db.pragma('user_version = 99');
    db.close();
    expect(() => RunStore.open(root)).toThrow(
      `Cannot open the run store ${path.join(root, STORE_FILE)}: the file has schema version 99, newer than this dqm (2); upgrade dqm or move the file away`,
    );
  });

  it('aborts a running run once, as cancelled', () => {
    const store = RunStore.open(tempRoot());
    store.createRun({ id: 'c', pipeline: 'p', env: 'local', startedBy: 'dashboard' });
    const e = store.abortRun('c', 'cancelled', 'cancelled from the dashboard');
    expect(e).toMatchObject({ type: 'run_aborted', status: 'cancelled', seq: 1 });
    expect(store.abortRun('c', 'failed', 'again')).toBeUndefined();
    expect(store.getRun('c')).toMatchObject({ status: 'cancelled', error: 'cancelled from the dashboard' });
    store.close();
  });
});
