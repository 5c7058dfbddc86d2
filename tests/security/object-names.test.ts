/**
 * Names that Object.prototype also has (`__proto__`, `constructor`, `toString`) as pipeline,
 * node, dataset and parameter names, through the real CLI and the real server: a project that
 * defines them runs and shows them like any other name; one that does not gets the ordinary
 * "unknown" error, never a 500 or "pipeline.nodeNames is not a function".
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startViz, type VizProcess } from '../../e2e/viz-server.fixtures';
import { makeTempProject, registrySource, REPO } from '../../lib/session/temp-project.fixtures';

const NAMES = ['__proto__', 'constructor', 'toString'] as const;

// Pipeline X: node X reads `in_X` and params:names.X and writes dataset X (in memory); node
// `keep_X` saves it as `out_X`. (Top-level keys starting with `_` are YAML helpers, dropped as in
// Kedro, so `__proto__` is a parameter under `names`, and a catalog entry only as a nested name.)
const registry = registrySource({
  functions: 'export function pick(x: unknown, p: unknown): unknown {\n  return { x, p };\n}\nexport function keep<T>(x: T): T {\n  return x;\n}\n',
  pipelines: Object.fromEntries(NAMES.map((n) => [`['${n}']`, `new Pipeline([node(pick, ['in_${n}', 'params:names.${n}'], '${n}', { name: '${n}' }), node(keep, '${n}', 'out_${n}', { name: 'keep_${n}' })])`])),
});
const catalog = NAMES.map((n) => `in_${n}:\n  type: json.JSONDataset\n  filepath: data/01_raw/${n}.json\nout_${n}:\n  type: json.JSONDataset\n  filepath: data/07_model_output/${n}.json\n`).join('');
const parameters = `names:\n${NAMES.map((n, i) => `  ${n}: ${i + 1}\n`).join('')}`;
const output = (n: string) => JSON.parse(fs.readFileSync(path.join(root, `data/07_model_output/${n}.json`), 'utf8')) as unknown;

let root: string;
let bare: string;
let viz: VizProcess;

/** The real CLI, async: a blocked event loop would let the server drop the test's keep-alive sockets. */
function dqm(cwd: string, ...args: string[]): Promise<{ status: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(REPO, 'bin/dqm.js'), ...args], { cwd });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (status) => resolve({ status, out, err: err.trim() }));
  });
}

beforeAll(async () => {
  root = makeTempProject({
    files: {
      'pipelines/registry.ts': registry,
      'conf/base/catalog.yml': catalog,
      'conf/base/parameters.yml': parameters,
      ...Object.fromEntries(NAMES.map((n) => [`data/01_raw/${n}.json`, JSON.stringify(`input of ${n}`)])),
    },
  });
  bare = makeTempProject();
  viz = await startViz([], { cwd: root });
});
afterAll(async () => {
  await viz?.stop();
  for (const d of [root, bare]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

describe('defined by the project: they work like any name', () => {
  it.each(NAMES)('CLI: dqm run --pipeline %s --nodes <same>,keep_<same> --params names.<same>=41', async (n) => {
    const r = await dqm(root, 'run', '--pipeline', n, '--nodes', `${n},keep_${n}`, '--params', `names.${n}=41`);
    expect(r.err).toBe('');
    expect(r.status).toBe(0);
    expect(output(n)).toEqual({ x: `input of ${n}`, p: 41 });
    // No prototype was touched in the run (the value would show up on every object).
    expect(({} as Record<string, unknown>).p).toBeUndefined();
  });
  it.each(NAMES)('CLI: parameter %s from parameters.yml reaches the node', async (n) => {
    expect((await dqm(root, 'run', '--pipeline', n)).status).toBe(0);
    expect(output(n)).toEqual({ x: `input of ${n}`, p: NAMES.indexOf(n) + 1 });
  });
  it.each(NAMES)('API: pipeline, dataset, parameter and task %s', async (n) => {
    const pipe = await viz.fetch(`api/pipelines/${encodeURIComponent(n)}`);
    expect(pipe.status).toBe(200);
    const graph = (await pipe.json()) as { nodes: Array<{ id: string; name: string; type: string }>; selected_pipeline: string };
    expect(graph.selected_pipeline).toBe(n);
    expect(graph.nodes.map((x) => `${x.type}:${x.name}`).sort()).toEqual([`data:${n}`, `data:in_${n}`, `data:out_${n}`, `parameters:params:names.${n}`, `task:${n}`, `task:keep_${n}`].sort());
    const q = `?pipeline=${encodeURIComponent(n)}`;
    const input = await (await viz.fetch(`api/nodes/in_${encodeURIComponent(n)}${q}`)).json();
    expect(input).toMatchObject({ kind: 'data', name: `in_${n}`, preview: { kind: 'text', text: `input of ${n}` } });
    const param = await (await viz.fetch(`api/nodes/${encodeURIComponent(`params:names.${n}`)}${q}`)).json();
    expect(param).toMatchObject({ kind: 'parameters', value: NAMES.indexOf(n) + 1 });
    // The dataset X and the task X share a name: ids tell them apart.
    const data = graph.nodes.find((x) => x.type === 'data' && x.name === n)!;
    expect(await (await viz.fetch(`api/nodes/${encodeURIComponent(data.id)}${q}`)).json()).toMatchObject({ kind: 'data', name: n, type: 'MemoryDataset' });
    const task = graph.nodes.find((x) => x.type === 'task' && x.name === n)!;
    const details = await (await viz.fetch(`api/nodes/${encodeURIComponent(task.id)}${q}`)).json();
    expect(details).toMatchObject({ kind: 'task', name: n, inputs: [`in_${n}`, `params:names.${n}`], outputs: [n], parameters: { [`params:names.${n}`]: NAMES.indexOf(n) + 1 } });
  });
  it.each(NAMES)('API: POST /api/runs {pipeline: %s, params: {names: {<same>: 7}}} runs it', async (n) => {
    const r = await viz.fetch('api/runs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pipeline: n, params: { names: { [n]: 7 } } }) });
    expect(r.status).toBe(202);
    const id = ((await r.json()) as { run: { id: string } }).run.id;
    await expect.poll(async () => ((await (await viz.fetch(`api/runs/${id}`)).json()) as { run: { status: string } }).run.status, { timeout: 60_000 }).toBe('success');
    expect(output(n)).toEqual({ x: `input of ${n}`, p: 7 });
  });
});

describe('not defined: the ordinary "unknown" errors', () => {
  it.each(NAMES)('CLI: %s as pipeline, node, input, output and catalog pipeline', async (n) => {
    const pipelines = 'Registered pipelines: __default__, failing, main.';
    expect(await dqm(bare, 'run', '--pipeline', n)).toMatchObject({ status: 1, err: `Error: Unknown pipeline '${n}'. ${pipelines}` });
    expect(await dqm(bare, 'catalog', 'list', '--pipeline', n)).toMatchObject({ status: 1, err: `Error: Unknown pipeline '${n}'. ${pipelines}` });
    expect(await dqm(bare, 'registry', 'describe', n)).toMatchObject({ status: 1, err: `Error: Unknown pipeline '${n}'. ${pipelines}` });
    expect(await dqm(bare, 'run', '--nodes', n)).toMatchObject({ status: 1, err: `Error: Pipeline '__default__' has no node named '${n}'. Valid nodes: scale, count_of, total_of, make_report` });
    expect(await dqm(bare, 'run', '--from-inputs', n)).toMatchObject({ status: 1, err: `Error: Pipeline does not have '${n}' among its inputs.` });
    expect(await dqm(bare, 'run', '--to-outputs', n)).toMatchObject({ status: 1, err: `Error: Pipeline does not have '${n}' among its outputs.` });
  });
  // The served project defines the three names; Object's other members are not defined there.
  it.each(['valueOf', 'hasOwnProperty', '__defineGetter__'])('API: %s as pipeline, node and run pipeline', async (n) => {
    const pipe = await viz.fetch(`api/pipelines/${n}`);
    expect(pipe.status).toBe(404);
    expect(((await pipe.json()) as { error: { code: string } }).error.code).toBe('PIPELINE_NOT_FOUND');
    const node = await viz.fetch(`api/nodes/${n}?pipeline=constructor`);
    expect(node.status).toBe(404);
    const run = await viz.fetch('api/runs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pipeline: n }) });
    expect(run.status).toBe(400);
    const message = ((await run.json()) as { error: { message: string } }).error.message;
    expect(message).toMatch(new RegExp(`^Unknown pipeline '${n}'\\. Registered pipelines: `));
    const nodes = await viz.fetch('api/runs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pipeline: 'toString', nodes: [n] }) });
    expect(nodes.status).toBe(400);
    expect(((await nodes.json()) as { error: { message: string } }).error.message).toBe(`Pipeline 'toString' has no node named '${n}'. Valid nodes: toString, keep_toString`);
  });
});
