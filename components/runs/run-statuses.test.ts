import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../lib/services';
import { namespaceStatus, statusesFromDetails, statusesOfEvents } from './run-statuses';

const at = '2026-01-01T00:00:00.000Z';
const events: StoredEvent[] = [
  { seq: 1, type: 'run_started', runId: 'r', pipeline: 'p', nodes: ['dp.a', 'dp.b', 'c'], at },
  { seq: 2, type: 'node_started', node: 'dp.a', index: 0, total: 3, at },
  { seq: 3, type: 'progress', node: 'dp.a', done: 3, total: 9, unit: 'LS', at },
  { seq: 4, type: 'node_finished', node: 'dp.a', durationMs: 12, at },
  { seq: 5, type: 'node_started', node: 'dp.b', index: 1, total: 3, at },
];

describe('run statuses', () => {
  it('maps the event stream to per-node statuses', () => {
    expect(statusesOfEvents(events.slice(0, 3))).toEqual({ 'dp.a': { status: 'running', progress: { done: 3, total: 9, unit: 'LS' } }, 'dp.b': { status: 'pending' }, c: { status: 'pending' } });
    const failed = statusesOfEvents([...events, { seq: 6, type: 'node_failed', node: 'dp.b', error: { code: 'E', message: 'boom' }, resumeCommand: 'dqm run --from-nodes dp.b', at }]);
    expect(failed).toEqual({
      'dp.a': { status: 'done', durationMs: 12 },
      'dp.b': { status: 'failed', error: { code: 'E', message: 'boom' }, resumeCommand: 'dqm run --from-nodes dp.b' },
      c: { status: 'pending' },
    });
    expect(namespaceStatus(failed, 'dp')).toEqual({ status: 'failed' });
    expect(namespaceStatus(failed, 'other')).toBeUndefined();
  });

  it('fails the running node when the run is aborted', () => {
    const s = statusesOfEvents([...events, { seq: 6, type: 'run_aborted', status: 'cancelled', reason: 'cancelled from the dashboard', at }]);
    expect(s['dp.b']).toEqual({ status: 'failed', error: { code: 'RUN_ABORTED', message: 'cancelled from the dashboard' } });
    expect(s.c).toEqual({ status: 'not_run' });
  });

  it('shows the nodes a failed run never reached as not run', () => {
    const failed = statusesOfEvents([
      ...events,
      { seq: 6, type: 'node_failed', node: 'dp.b', error: { code: 'E', message: 'boom' }, resumeCommand: 'x', traceback: 'Error: boom', at },
      { seq: 7, type: 'run_finished', status: 'failed', durationMs: 3, at },
    ]);
    expect(failed.c).toEqual({ status: 'not_run' });
    expect(failed['dp.b']).toMatchObject({ status: 'failed', traceback: 'Error: boom' });
    expect(namespaceStatus({ 'x.a': { status: 'done' }, 'x.b': { status: 'not_run' } }, 'x')).toEqual({ status: 'not_run' });
  });

  it('reads stored statuses, skipped nodes included', () => {
    const s = statusesFromDetails({
      run: {} as never,
      datasets: [],
      metrics: [],
      nodes: [
        { node: 'a', position: 0, status: 'done', startedAt: at, durationMs: 5, error: null, resumeCommand: null, resumeFrom: null, progress: { done: 9, total: 9, unit: 'LS' }, traceback: null },
        { node: 'b', position: 1, status: 'skipped', startedAt: null, durationMs: null, error: null, resumeCommand: null, resumeFrom: null, progress: null, traceback: null },
        { node: 'c', position: 2, status: 'failed', startedAt: at, durationMs: 1, error: { code: 'E', message: 'boom' }, resumeCommand: 'dqm run --from-nodes c', resumeFrom: ['c'], progress: null, traceback: 'Error: boom\n    at c (pipelines/x/nodes.ts:3:9)' },
      ],
    });
    expect(s).toEqual({
      a: { status: 'done', durationMs: 5 },
      b: { status: 'skipped' },
      c: { status: 'failed', durationMs: 1, error: { code: 'E', message: 'boom' }, resumeCommand: 'dqm run --from-nodes c', traceback: 'Error: boom\n    at c (pipelines/x/nodes.ts:3:9)' },
    });
  });
});
