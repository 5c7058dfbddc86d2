/**
 * Node output and tracebacks as a user gets them: `dqm run` in a real process (Node's own
 * console, no test runner in between), then the run store read back.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataCatalog } from '../io';
import { ParallelRunner, runPipeline, type RunEvent } from '../runner';
import { loadRegistry, NODE_WORKER_ENTRY } from '../session';
import { REPO, registrySource, tempProjects } from '../session/temp-project.fixtures';
import { LogWriter } from './log-writer';
import { RunStore } from './run-store';

const project = tempProjects();
const BIN = path.join(REPO, 'bin/dqm.js');
const SECRET = 'hunter2-very-secret';

const NOISY = registrySource({
  functions: `export function noisy(xs: number[]): number[] {
  console.log('hello from noisy');
  process.stdout.write('partial ');
  process.stdout.write('line\\n');
  console.error('token is ${SECRET}');
  process.emitWarning('careful: low statistics', { code: 'DQM_DATA_WARNING' });
  return xs;
}
export function fails(xs: number[]): number {
  console.log('about to fail');
  return deepDown(xs);
}
function deepDown(xs: number[]): number {
  if (xs.length) throw new Error('detector on fire near ${SECRET}');
  return 0;
}
`,
  pipelines: {
    noisy: "new Pipeline([node(noisy, 'numbers', 'noisy_out'), node(fails, 'noisy_out', 'never')])",
  },
});

function dqm(cwd: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, DQM_DEBUG: '', FORCE_COLOR: '0' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('node logs and tracebacks', () => {
  it('stores what each node wrote, by stream, with secrets redacted, and the source-mapped stack of the failure', () => {
    const root = project({ 'pipelines/registry.ts': NOISY, 'conf/base/credentials.yml': `site:\n  token: ${SECRET}\n` });
    const r = dqm(root, 'run', '--pipeline', 'noisy');
    expect(r.code).toBe(1);
    // The terminal still shows the node's output.
    expect(r.stdout).toContain('hello from noisy\n');
    const store = RunStore.open(root);
    const [run] = store.listRuns();
    const lines = store.logs(run!.id);
    expect(lines.map((l) => [l.node, l.stream, l.text])).toEqual([
      ['noisy', 'stdout', 'hello from noisy'],
      ['noisy', 'stdout', 'partial line'],
      ['noisy', 'stderr', 'token is ***'],
      ['noisy', 'warning', '[DQM_DATA_WARNING] Warning: careful: low statistics'],
      ['fails', 'stdout', 'about to fail'],
    ]);
    expect(lines.every((l) => !Number.isNaN(Date.parse(l.time)))).toBe(true);
    expect(store.logs(run!.id, 'fails').map((l) => l.text)).toEqual(['about to fail']);

    const failed = store.getRunDetails(run!.id).nodes.find((n) => n.node === 'fails')!;
    expect(failed.error?.message).toBe('detector on fire near ***');
    // Paths relative to the project: what the user opens in their editor.
    const registry = 'pipelines/registry.ts';
    const text = NOISY.split('\n');
    const throwLine = text.findIndex((l) => l.includes("throw new Error('detector on fire")) + 1;
    const callLine = text.findIndex((l) => l.includes('return deepDown(xs);')) + 1;
    expect(failed.traceback).toMatch(/^Error: detector on fire near \*\*\*\n/);
    expect(failed.traceback).toContain(`at deepDown (${registry}:${throwLine}:`);
    expect(failed.traceback).toContain(`at Node.fails (${registry}:${callLine}:`);
    expect(failed.traceback).not.toContain(SECRET);
    expect(failed.traceback).not.toContain('node:internal');
    // noisy_out is a memory dataset: the run resumes where it is made.
    expect(failed.resumeFrom).toEqual(['noisy']);
    store.close();
  });

  it('never records an argument error as a run', () => {
    const root = project();
    expect(dqm(root, 'run', '--nodes', 'scal').stderr).toBe("Error: Pipeline '__default__' has no node named 'scal'. Did you mean 'scale'? Valid nodes: scale, count_of, total_of, make_report\n");
    expect(dqm(root, 'run', '--pipeline', 'mian').code).toBe(1);
    const store = RunStore.open(root);
    expect(store.listRuns()).toEqual([]);
    store.close();
  });

  it('refuses `dqm run` while another run holds the project, naming it, and records nothing', () => {
    const root = project();
    const store = RunStore.open(root);
    store.acquireLock('dash-1', process.pid);
    store.createRun({ id: 'dash-1', pipeline: 'slow', env: 'local', startedBy: 'dashboard', user: 'alice', startedAt: '2026-01-01T00:00:00.000Z' });
    const r = dqm(root, 'run');
    expect(r.stderr).toBe(`Error: A run is already in progress in this project: dash-1 (started by dashboard alice at 2026-01-01T00:00:00.000Z, pid ${process.pid}). Wait for it to finish or cancel it first\n`);
    expect(r.code).toBe(1);
    expect(store.listRuns().map((x) => x.id)).toEqual(['dash-1']);
    store.close();
  });

  it('attributes output written in parallel-runner worker threads to its node', async () => {
    const root = project({
      'pipelines/registry.ts': registrySource({
        functions: `export function left(xs: number[]) { console.log('left says hi'); return xs.length; }
export function right(xs: number[]) { process.stderr.write('right complains\\n'); return xs.length; }
`,
        pipelines: { fan: "new Pipeline([node(left, 'numbers', 'l'), node(right, 'numbers', 'r')])" },
      }),
    });
    const pipelines = await loadRegistry(root, {});
    const catalog = DataCatalog.fromConfig({ numbers: { type: 'json.JSONDataset', filepath: 'data/01_raw/numbers.json' } }, { projectRoot: root });
    const runner = new ParallelRunner({ registry: { entry: NODE_WORKER_ENTRY, root, parameters: {} }, maxWorkers: 2, borrowMainThread: false });
    const events: RunEvent[] = [];
    await runPipeline(pipelines.fan!, catalog, { runner, onEvent: (e) => events.push(e) });
    const logs = events.filter((e): e is Extract<RunEvent, { type: 'log' }> => e.type === 'log').map((e) => [e.node, e.stream, e.text]);
    expect(logs.sort()).toEqual([
      ['left', 'stdout', 'left says hi'],
      ['right', 'stderr', 'right complains'],
    ]);
  });
});

describe('LogWriter', () => {
  it('keeps the head and the tail of a node that prints too much, and says what it cut', () => {
    const root = project();
    const store = RunStore.open(root);
    store.createRun({ id: 'r', pipeline: 'p', env: 'local', startedBy: 'cli' });
    // 10 bytes per line with its newline: 10 lines fit in the head, 10 in the tail.
    const writer = new LogWriter(store, 'r', [SECRET], { headBytes: 100, tailBytes: 100 });
    const at = new Date().toISOString();
    for (let i = 0; i < 1000; i++) writer.add({ type: 'log', node: 'a', stream: 'stdout', text: `line ${String(i).padStart(4, '0')}`, at });
    writer.add({ type: 'log', node: 'b', stream: 'stdout', text: `b sees ${SECRET}`, at });
    writer.flush();
    const a = store.logs('r', 'a').map((l) => l.text);
    expect(a.slice(0, 10)).toEqual(Array.from({ length: 10 }, (_, i) => `line ${String(i).padStart(4, '0')}`));
    expect(a[10]).toBe("… 980 lines (10 kB) cut here: the first 100 B and the last 100 B of this node's output are kept …");
    expect(a.slice(11)).toEqual(Array.from({ length: 10 }, (_, i) => `line ${String(990 + i).padStart(4, '0')}`));
    expect(store.logs('r', 'b').map((l) => l.text)).toEqual(['b sees ***']);
    // Nothing beyond head + tail + the marker stays in the store.
    expect(store.events('r').length).toBe(22);
    store.close();
  });
});
