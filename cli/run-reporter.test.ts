import { describe, expect, it } from 'vitest';
import type { RunResult } from '../lib/runner';
import { RunReporter } from './run-reporter';
import { formatDuration, parseList, parseLoadVersions } from './shared';

const at = '2026-01-01T00:00:00.000Z';
const sink = (isTTY: boolean) => {
  const chunks: string[] = [];
  return { chunks, out: { isTTY, write: (s: string) => chunks.push(s) } };
};
const result: RunResult = {
  runId: 'r1',
  pipeline: '__default__',
  status: 'failed',
  runner: 'sequential',
  nodes: [
    { name: 'load', status: 'completed', durationMs: 1234 },
    { name: 'explode', status: 'failed', durationMs: 5, error: { code: 'Error', message: 'boom' } },
    { name: 'plot', status: 'not_run' },
    { name: 'cached', status: 'skipped' },
  ],
  datasetsSaved: ['a'],
  durationMs: 1300,
  outputs: {},
};

describe('RunReporter', () => {
  it('prints plain lines when not on a terminal', () => {
    const { chunks, out } = sink(false);
    const r = new RunReporter(out);
    r.onEvent({ type: 'run_started', runId: 'r1', pipeline: 'p', nodes: ['a', 'b'], at });
    r.onEvent({ type: 'node_started', node: 'a', index: 1, total: 2, at });
    r.onEvent({ type: 'progress', node: 'a', done: 5, total: 10, unit: 'LS', at });
    r.onEvent({ type: 'node_finished', node: 'a', durationMs: 12.3, at });
    r.onEvent({ type: 'node_started', node: 'b', index: 2, total: 2, at });
    r.onEvent({ type: 'node_failed', node: 'b', error: { code: 'E', message: 'x' }, resumeCommand: 'dqm run --from-nodes b', at });
    r.onEvent({ type: 'run_finished', status: 'failed', durationMs: 20, at });
    expect(chunks.join('')).toBe("Running pipeline 'p' (2 nodes, run r1)\n[1/2] a started\n[1/2] a completed in 12ms\n[2/2] b started\nb failed\n");
  });

  it('rewrites one line on a terminal, with the node progress, and clears it at the end', () => {
    const { chunks, out } = sink(true);
    const r = new RunReporter(out);
    r.onEvent({ type: 'run_started', runId: 'r1', pipeline: 'p', nodes: ['a'], at });
    r.onEvent({ type: 'node_started', node: 'a', index: 1, total: 1, at });
    r.onEvent({ type: 'progress', node: 'a', done: 5, total: 10, unit: 'LS', at });
    r.onEvent({ type: 'run_finished', status: 'success', durationMs: 20, at });
    expect(chunks[1]).toMatch(/^\r\x1b\[2K\[1\/1\] a {2}\d+ms$/);
    expect(chunks[2]).toMatch(/^\r\x1b\[2K\[1\/1\] a {2}\d+ms {2}5\/10 LS$/);
    expect(chunks.at(-1)).toBe('\r\x1b[2K');
    expect(chunks.join('')).not.toContain('\n[');
  });

  it('summarises nodes, status and durations', () => {
    expect(new RunReporter(sink(false).out).summary(result)).toBe(
      [
        'node     status     duration',
        '-------  ---------  --------',
        'load     completed  1.2s',
        'explode  failed     5ms',
        'plot     not_run    -',
        'cached   skipped    -',
        '',
        'Run r1 FAILED in 1.3s: 1/4 nodes completed, 1 skipped, 1 datasets saved (sequential runner)',
        '',
      ].join('\n'),
    );
  });
});

describe('CLI argument helpers', () => {
  it('parses lists and load versions', () => {
    expect(parseList(' a, b ,,c')).toEqual(['a', 'b', 'c']);
    expect(parseLoadVersions('model:2024-01-01T00.00.00.000Z,x:v1')).toEqual({ model: '2024-01-01T00.00.00.000Z', x: 'v1' });
    expect(() => parseLoadVersions('model')).toThrow("Invalid --load-versions 'model': expected dataset:version pairs separated by commas");
  });

  it('formats durations', () => {
    expect([formatDuration(undefined), formatDuration(12.4), formatDuration(1234), formatDuration(125_000)]).toEqual(['-', '12ms', '1.2s', '2m05s']);
  });
});
