import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RunStore } from './run-store';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
function store(): RunStore {
  const d = mkdtempSync(path.join(os.tmpdir(), 'dqm-lock-'));
  dirs.push(d);
  return RunStore.open(d);
}

/** A pid that certainly belongs to no process: one that has just exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString());
}

describe('the run lock', () => {
  it('lets one run hold it and refuses another, naming the running run and who started it', () => {
    const s = store();
    s.acquireLock('r1', process.pid);
    s.createRun({ id: 'r1', pipeline: 'p', env: 'local', startedBy: 'dashboard', user: 'alice', startedAt: '2026-01-01T00:00:00.000Z' });
    expect(s.lockHolder()).toMatchObject({ runId: 'r1', pid: process.pid });
    expect(() => s.acquireLock('r2', process.pid)).toThrow(
      `A run is already in progress in this project: r1 (started by dashboard alice at 2026-01-01T00:00:00.000Z, pid ${process.pid}). Wait for it to finish or cancel it first`,
    );
    expect(() => s.acquireLock('r2')).toThrow(expect.objectContaining({ code: 'RUN_CONFLICT', httpStatus: 409, runningId: 'r1' }));
    // The holder may take it again (the run process taking over from the server).
    s.acquireLock('r1', process.pid);
    s.close();
  });

  it('is released by the end of its run, by release, and when its process dies', () => {
    const s = store();
    s.createRun({ id: 'r1', pipeline: 'p', env: 'local', startedBy: 'cli', pid: null });
    s.acquireLock('r1');
    s.recordEvent('r1', { type: 'run_finished', status: 'success', durationMs: 1, at: new Date().toISOString() });
    expect(s.lockHolder()).toBeUndefined();
    s.acquireLock('r2');
    s.releaseLock('r2');
    expect(s.lockHolder()).toBeUndefined();
    // A holder killed with -9 (its pid gone) does not hold the project any more.
    const pid = deadPid();
    s.acquireLock('r3', pid);
    expect(s.lockHolder()).toBeUndefined();
    s.acquireLock('r4');
    expect(s.lockHolder()?.runId).toBe('r4');
    s.close();
  });

  it('hands over to the process that executes the run', () => {
    const s = store();
    s.acquireLock('r1', process.pid);
    s.transferLock('r1', process.ppid);
    expect(s.lockHolder()).toMatchObject({ runId: 'r1', pid: process.ppid });
    // A transfer for another run changes nothing.
    s.transferLock('other', process.pid);
    expect(s.lockHolder()).toMatchObject({ runId: 'r1', pid: process.ppid });
    s.close();
  });

  it('counts a running run without a lock row (an older dqm) while its process lives', () => {
    const s = store();
    s.createRun({ id: 'old', pipeline: 'p', env: 'local', startedBy: 'cli', user: 'bob', startedAt: '2026-01-01T00:00:00.000Z' });
    expect(() => s.acquireLock('new')).toThrow(/^A run is already in progress in this project: old \(started by cli bob at 2026-01-01T00:00:00.000Z, pid \d+\)/);
    s.close();
  });
});
