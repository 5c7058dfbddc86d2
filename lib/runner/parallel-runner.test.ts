import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DataCatalog } from '../io';
import { node, Pipeline } from '../pipeline';
import { loadRegistry, NODE_WORKER_ENTRY } from '../session';
import { makeTempProject } from '../session/temp-project.fixtures';
import { ParallelRunner, RunError, runPipeline } from './index';

/** Nodes report the thread they ran in, so the test sees where each ran. */
const REGISTRY = `import { threadId } from 'node:worker_threads';
import { node, Pipeline } from 'dqm-playground-ds/pipeline';

export function make(n: number): Float32Array {
  return new Float32Array(n).map((_, i) => i);
}
export function left(a: Float32Array) {
  return { thread: threadId, sum: a.reduce((s, v) => s + v, 0), kind: a.constructor.name };
}
export function right(a: Float32Array) {
  return { thread: threadId, max: Math.max(...a) };
}
export function on_main(a: Float32Array) {
  return { thread: threadId, n: a.length };
}
export function join(l: unknown, r: unknown, m: unknown) {
  return { l, r, m };
}
export function fail(_a: Float32Array): number {
  throw new Error('worker boom');
}

export function registerPipelines(_ctx: { parameters: Record<string, unknown> }): Record<string, Pipeline> {
  const fan = new Pipeline([
    node(make, 'params:n', 'arr'),
    node(left, 'arr', 'l'),
    node(right, 'arr', 'r'),
    node(on_main, 'arr', 'm', { tags: 'main_thread' }),
    node(join, ['l', 'r', 'm'], 'joined'),
  ]);
  const failing = new Pipeline([node(make, 'params:n', 'arr'), node(left, 'arr', 'l'), node(fail, 'arr', 'never')]);
  return { __default__: fan, failing };
}
`;

const root = makeTempProject({ files: { 'pipelines/registry.ts': REGISTRY } });
afterAll(() => rmSync(root, { recursive: true, force: true }));

const registryUrl = pathToFileURL(path.join(root, 'pipelines/registry.ts')).href;
const registry = await import(registryUrl);
const pipelines = await loadRegistry(root, {});
const workers = (parameters: Record<string, unknown> = {}) => ({ entry: NODE_WORKER_ENTRY, root, parameters });

function catalog(): DataCatalog {
  const c = DataCatalog.fromConfig({}, { projectRoot: root });
  c.addFeedDict({ n: 1000 });
  return c;
}

describe('ParallelRunner', () => {
  it('runs independent nodes in worker threads, main_thread nodes here, with the same results as sequential', async () => {
    // borrowMainThread: false, or these tiny nodes would all finish here before a worker has loaded
    const runner = new ParallelRunner({ registry: workers({ n: 1000 }), maxWorkers: 2, borrowMainThread: false });
    const parallel = await runPipeline(pipelines.__default__!, catalog(), { runner });
    const joined = parallel.outputs.joined as { l: { thread: number; sum: number; kind: string }; r: { thread: number; max: number }; m: { thread: number; n: number } };
    expect(parallel.status).toBe('success');
    expect(parallel.runner).toBe('parallel');
    expect(joined.l).toMatchObject({ sum: 499500, kind: 'Float32Array' });
    expect(joined.r.max).toBe(999);
    expect(joined.l.thread).toBeGreaterThan(0);
    expect(joined.r.thread).toBeGreaterThan(0);
    expect(joined.m).toEqual({ thread: 0, n: 1000 });

    const sequential = await runPipeline(pipelines.__default__!, catalog(), { runner: 'sequential' });
    const seq = sequential.outputs.joined as typeof joined;
    expect({ ...seq.l, thread: 1 }).toEqual({ ...joined.l, thread: 1 });
    expect(seq.l.thread).toBe(0);
  });

  it('lets workers load and save persisted datasets through their own catalog', async () => {
    const entries = { l: { type: 'json.JSONDataset', filepath: 'data/l.json' }, r: { type: 'json.JSONDataset', filepath: 'data/r.json' } };
    const c = DataCatalog.fromConfig(entries, { projectRoot: root });
    c.addFeedDict({ n: 10 });
    const init = { ...workers(), catalog: { entries, projectRoot: root, parameters: { n: 10 } } };
    const runner = new ParallelRunner({ registry: init, maxWorkers: 2, borrowMainThread: false });
    const events: string[] = [];
    const result = await runPipeline(pipelines.__default__!, c, { runner, onEvent: (e) => e.type === 'dataset_saved' && events.push(e.dataset) });
    const saved = JSON.parse(readFileSync(path.join(root, 'data/l.json'), 'utf8')) as { thread: number; sum: number };
    expect(saved.sum).toBe(45);
    expect(saved.thread).toBeGreaterThan(0);
    expect([...result.datasetsSaved].sort()).toEqual(['arr', 'joined', 'l', 'm', 'r']);
    expect([...events].sort()).toEqual(['arr', 'joined', 'l', 'm', 'r']);
    expect((result.outputs.joined as { l: { sum: number } }).l.sum).toBe(45);
  });

  it('reports a node failing in a worker with its name, its error and the resume command', async () => {
    const run = runPipeline(pipelines.failing!, catalog(), { runner: 'parallel', registry: workers(), maxWorkers: 2 });
    await expect(run).rejects.toThrow(RunError);
    await expect(
      runPipeline(pipelines.failing!, catalog(), { runner: 'parallel', registry: workers(), maxWorkers: 2 }),
    ).rejects.toThrow("Node 'fail' failed: worker boom. Resume the run with: dqm run --from-nodes make");
  });

  it('runs in this thread when the registry cannot be imported or does not know the node', async () => {
    const broken = { ...workers(), root: path.join(root, 'missing') };
    const result = await runPipeline(pipelines.__default__!, catalog(), { runner: 'parallel', registry: broken, maxWorkers: 2 });
    expect((result.outputs.joined as { l: { thread: number } }).l.thread).toBe(0);

    const inCode = new Pipeline([
      node(registry.make, 'params:n', 'arr'),
      node(registry.left, 'arr', 'x', { name: 'renamed_left' }),
      node(registry.right, 'arr', 'r'),
    ]);
    const runner = new ParallelRunner({ registry: workers(), maxWorkers: 2, borrowMainThread: false });
    const local = await runPipeline(inCode, catalog(), { runner });
    expect((local.outputs.x as { thread: number }).thread).toBe(0);
    expect((local.outputs.r as { thread: number }).thread).toBeGreaterThan(0);
  });

  it('runs a chain in process (nothing to overlap)', async () => {
    const chain = pipelines.failing!.onlyNodes('make', 'left');
    const result = await runPipeline(chain, catalog(), { runner: 'parallel', registry: workers() });
    expect((result.outputs.l as { thread: number }).thread).toBe(0);
  });
});
