import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import type { DatasetFreshness, LogLine, RunDetails, RunRecord } from '../lib/services';
import { addRun, PARTITIONS_FILES } from '../lib/runs/partitions.fixtures';
import { makeTempProject, SLOW_REGISTRY } from '../lib/session/temp-project.fixtures';
import { authFetch, node, shot, waitForGraph } from './dashboard.fixtures';
import { REPO, startViz, type VizProcess } from './viz-server.fixtures';

// Debugging a run from the browser: a failing node's stack and output, the graph coloured by
// status, the timeline, two runs compared, a run outliving `dqm viz`, the run x layer view.

const projectUrl = () => process.env.VIZ_PROJECT_URL!;
const BIN = path.join(REPO, 'bin/dqm.js');
const roots: string[] = [];
const servers: VizProcess[] = [];
test.afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  roots.forEach((r) => rmSync(r, { recursive: true, force: true }));
});

async function serve(files: Record<string, string>, args: string[] = []): Promise<{ root: string; viz: VizProcess }> {
  const root = makeTempProject({ files });
  roots.push(root);
  const viz = await startViz(args, { cwd: root });
  servers.push(viz);
  return { root, viz };
}

async function json<T>(url: string): Promise<T> {
  return (await (await authFetch(url)).json()) as T;
}

/** Polls a run until `done(details)` (default: it ended). */
async function waitRun(base: string, id: string, done: (d: RunDetails) => boolean = (d) => d.run.status !== 'running'): Promise<RunDetails> {
  for (const deadline = Date.now() + 90_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
    const d = await json<RunDetails>(`${base}api/runs/${id}`);
    if (done(d)) return d;
  }
  throw new Error(`run ${id} did not get there in time`);
}

async function startRun(base: string, body: Record<string, unknown>): Promise<RunRecord> {
  const res = await authFetch(`${base}api/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(202);
  return ((await res.json()) as { run: RunRecord }).run;
}

const fill = (page: Page, id: string) => node(page, id).locator('.viz-node').evaluate((el) => getComputedStyle(el).backgroundColor);
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]![0] !== 'Z';
  } catch {
    return false;
  }
};

test('a failed run colours the whole graph at first sight; the failed node, its stack and output are one click away', async ({ page }) => {
  // Every modular pipeline open: each of the 36 tasks is a node of its own.
  await page.goto(`${projectUrl()}?expanded=layer_1,layer_2,layer_3,layer_4`);
  await waitForGraph(page);
  await page.getByTestId('run-open').click();
  await page.getByTestId('run-params').fill('data_processing.min_entries=-1');
  await page.getByTestId('run-submit').click();
  await expect(page.getByTestId('run-summary')).toHaveAttribute('data-status', 'failed', { timeout: 60_000 });
  const failed = 'preprocess_raw_pixel_layer_1_node';
  await expect(node(page, failed).locator('.viz-node')).toHaveAttribute('data-run-state', 'failed');
  // The node's whole body is filled: red for the failure, hatched for what never ran.
  expect(await fill(page, failed)).toBe('rgb(254, 202, 202)');
  await expect(node(page, 'layer_1.compute_mean_image').locator('.viz-node')).toHaveAttribute('data-run-state', 'not_run');
  expect(await page.locator('.viz-node[data-run-state="not_run"]').count()).toBe(35);
  await page.screenshot({ path: shot('debug-01-failed-run-first-view') });

  await page.getByTestId('run-failed-node').click();
  await expect(page.getByTestId('metadata-title')).toHaveText(failed);
  await expect(page.getByTestId('node-run-error')).toHaveText("BAD_PARAMETER: Parameter 'data_processing.min_entries' must be a number ≥ 0, got -1");
  const nodesTs = readFileSync(path.join(REPO, 'pipelines/data_processing/nodes.ts'), 'utf8').split('\n');
  const throwLine = nodesTs.findIndex((l) => l.includes("Parameter 'data_processing.min_entries' must be")) + 1;
  await expect(page.getByTestId('node-run-traceback')).toContainText(`(pipelines/data_processing/nodes.ts:${throwLine}:`);
  await page.screenshot({ path: shot('debug-02-traceback') });

  // The run x layer view of the DQM project: layer 1's processing failed, the others are processed.
  await page.getByTestId('runs-page-link').click();
  await page.getByTestId('runs-tab-layers').click();
  const cell = (layer: number) => page.locator(`[data-testid="matrix-row"][data-run="357000"] [data-dataset="raw_pixel_layer_${layer}"]`);
  await expect(cell(1)).toHaveAttribute('data-state', 'failed');
  for (const layer of [2, 3, 4]) await expect(cell(layer)).toHaveAttribute('data-state', 'processed');
  await expect(cell(2)).toContainText('LS 1–40 (40)');
  await expect(cell(2).getByTestId('matrix-plots-link')).toHaveAttribute('href', '/plots?layer=2&run=357000&lumi=1');
  await page.screenshot({ path: shot('debug-02b-dqm-layers') });
});

test('a node that prints and throws: its output, stack and a one-click re-run from it', async ({ page }) => {
  const { viz } = await serve({ 'pipelines/registry.ts': SLOW_REGISTRY });
  await page.goto(viz.url);
  await waitForGraph(page);
  await page.getByTestId('run-open').click();
  await page.getByTestId('run-pipeline').selectOption('failing');
  await page.getByTestId('run-submit').click();
  await expect(page.getByTestId('run-summary')).toHaveAttribute('data-status', 'failed');
  await waitForGraph(page);
  expect(await fill(page, 'scale')).toBe('rgb(187, 247, 208)');
  await page.getByTestId('run-failed-node').click();
  const registry = SLOW_REGISTRY.split('\n');
  const line = (s: string) => registry.findIndex((l) => l.includes(s)) + 1;
  const tb = page.getByTestId('node-run-traceback');
  await expect(tb).toContainText('Error: boom: the detector is on fire');
  await expect(tb).toContainText(`at ignite (pipelines/registry.ts:${line("throw new Error('boom")}:`);
  await expect(tb).toContainText(`at Node.explode (pipelines/registry.ts:${line('return ignite();')}:`);
  await expect(page.getByTestId('node-logs')).toContainText('stdout');
  await expect(page.getByTestId('node-logs')).toContainText('checking the detector (total 20)');

  const runs = await json<{ runs: RunRecord[] }>(`${viz.url}api/runs`);
  const id = runs.runs[0]!.id;
  expect((await json<{ lines: LogLine[] }>(`${viz.url}api/runs/${id}/logs?node=explode`)).lines.map((l) => [l.node, l.stream, l.text])).toEqual([['explode', 'stdout', 'checking the detector (total 20)']]);
  await page.getByTestId('run-rerun-failed').click();
  await expect.poll(async () => (await json<{ runs: RunRecord[] }>(`${viz.url}api/runs`)).runs.length).toBe(2);
  const again = (await json<{ runs: RunRecord[] }>(`${viz.url}api/runs`)).runs[0]!;
  expect(again).toMatchObject({ rerunOf: id, pipeline: 'failing', selection: { fromNodes: ['explode'] } });
  expect((await waitRun(viz.url, again.id)).nodes.map((n) => [n.node, n.status])).toEqual([['explode', 'failed']]);
});

test('two runs side by side: params, env, commit, node durations, datasets; and one run as a timeline', async ({ page }) => {
  const { viz } = await serve({ 'pipelines/registry.ts': SLOW_REGISTRY });
  const a = await startRun(viz.url, { pipeline: 'main' });
  await waitRun(viz.url, a.id);
  const b = await startRun(viz.url, { pipeline: 'main', params: { factor: 5, model: { offset: 3 } } });
  await waitRun(viz.url, b.id);
  await page.goto(`${viz.url}runs`);
  await page.locator(`[data-testid="runs-compare-check"][data-run-id="${a.id}"]`).check();
  await page.locator(`[data-testid="runs-compare-check"][data-run-id="${b.id}"]`).check();
  await page.getByTestId('runs-compare-picked').click();
  const params = page.getByTestId('compare-params');
  await expect(params.locator('tr[data-changed="true"]')).toHaveCount(2);
  await expect(params.locator('tbody tr').first()).toHaveText(/factor\s*—\s*5/);
  await expect(page.getByTestId('compare-fields').locator('tr', { hasText: 'env' })).toHaveText(/local\s*local/);
  await expect(page.getByTestId('compare-nodes').locator('tbody tr')).toHaveCount(4);
  await expect(page.getByTestId('compare-datasets').locator('tbody tr', { hasText: 'report' })).toBeVisible();
  await page.screenshot({ path: shot('debug-03-compare'), fullPage: true });

  await page.getByTestId('run-compare').getByRole('button').first().click();
  await expect(page.getByTestId('run-detail')).toHaveAttribute('data-status', 'success');
  await expect(page.getByTestId('timeline-bar')).toHaveCount(4);
  await expect(page.getByTestId('run-detail-options')).toHaveText('env local');
  await page.screenshot({ path: shot('debug-04-timeline') });
});

test('a dashboard run outlives `dqm viz`, a new `dqm viz` re-attaches to it, and `dqm run` is refused meanwhile (and the other way round)', async ({ page }) => {
  const project = await serve({ 'pipelines/registry.ts': SLOW_REGISTRY });
  const { root } = project;
  let viz = project.viz;
  const run = await startRun(viz.url, { pipeline: 'slow' });
  await waitRun(viz.url, run.id, (d) => d.nodes.some((n) => n.node === 'wait_long' && n.status === 'running'));
  await viz.stop();
  expect(alive(run.pid!)).toBe(true);

  const cli = spawnSync(process.execPath, [BIN, 'run'], { cwd: root, encoding: 'utf8' });
  expect(cli.stderr).toBe(`Error: A run is already in progress in this project: ${run.id} (started by dashboard ${os.userInfo().username} at ${run.startedAt}, pid ${run.pid}). Wait for it to finish or cancel it first\n`);
  expect(cli.status).toBe(1);

  viz = await startViz([], { cwd: root });
  servers.push(viz);
  await page.goto(viz.url);
  await waitForGraph(page);
  await page.getByTestId('pipeline-select').selectOption('slow');
  await waitForGraph(page);
  // The page shows the run in progress by itself.
  await expect(page.getByTestId('run-summary')).toHaveAttribute('data-status', 'running');
  await expect(node(page, 'wait_long').locator('.viz-node')).toHaveAttribute('data-run-state', 'running');
  await expect(node(page, 'total_of').locator('.viz-node')).toHaveAttribute('data-run-state', 'done');
  await page.screenshot({ path: shot('debug-05-reattached') });
  await page.getByTestId('run-cancel').click();
  await expect(page.getByTestId('run-summary')).toHaveAttribute('data-status', 'cancelled');
  expect(alive(run.pid!)).toBe(false);

  const terminal = spawn(process.execPath, [BIN, 'run', '--pipeline', 'slow'], { cwd: root, stdio: 'ignore' });
  const exited = new Promise((r) => terminal.once('exit', r));
  const cliRun = async () => (await json<{ runs: RunRecord[] }>(`${viz.url}api/runs`)).runs.find((r) => r.status === 'running' && r.startedBy === 'cli')?.id;
  await expect.poll(cliRun, { timeout: 30_000 }).toBeDefined();
  const running = (await cliRun())!;
  await page.getByTestId('run-open').click();
  await page.getByTestId('run-submit').click();
  await expect(page.getByTestId('run-error')).toContainText(`A run is already in progress in this project: ${running} (started by cli`);
  terminal.kill('SIGINT');
  await exited;
  expect((await json<RunDetails>(`${viz.url}api/runs/${running}`)).run).toMatchObject({ status: 'cancelled', error: 'interrupted (SIGINT)' });
});

test('the run x layer view: processed, a new CMS run missing, processed with one click; stale datasets on the graph', async ({ page }) => {
  const root = makeTempProject({ files: PARTITIONS_FILES });
  roots.push(root);
  expect(spawnSync(process.execPath, [BIN, 'run'], { cwd: root }).status).toBe(0);
  const viz = await startViz(['--autoreload'], { cwd: root });
  servers.push(viz);
  await page.goto(`${viz.url}runs?view=layers`);
  const cells = page.getByTestId('matrix-cell');
  await expect(cells).toHaveCount(4);
  await expect(page.locator('[data-testid="matrix-cell"][data-state="processed"]')).toHaveCount(4);
  await expect(page.locator('[data-testid="matrix-row"][data-run="100001"] [data-dataset="raw_layer_1"]')).toContainText('LS 1–3 (3)');

  addRun(root, 1, 100003, [1, 2, 3, 4]);
  await page.reload();
  const fresh = page.locator('[data-testid="matrix-row"][data-run="100003"] [data-testid="matrix-cell"]');
  await expect(fresh).toHaveAttribute('data-state', 'missing');
  await expect(fresh).toHaveAttribute('data-dataset', 'raw_layer_1');
  await page.screenshot({ path: shot('debug-06-layers-missing') });
  await page.locator('[data-testid="matrix-process-column"][data-dataset="raw_layer_1"]').click();
  await expect(page.getByTestId('matrix-run')).toHaveAttribute('data-status', 'success', { timeout: 60_000 });
  await expect(fresh).toHaveAttribute('data-state', 'processed');
  await expect(fresh).toContainText('LS 1–4 (4)');
  await expect(page.locator('[data-testid="matrix-cell"][data-state="processed"]')).toHaveCount(5);

  // A parameter the layer nodes read changes: their outputs are stale on the graph.
  const params = path.join(root, 'conf/base/parameters.yml');
  writeFileSync(params, readFileSync(params, 'utf8').replace('scale: 1', 'scale: 2'));
  await expect
    .poll(async () => (await json<{ datasets: Record<string, DatasetFreshness> }>(`${viz.url}api/runs/freshness`)).datasets.processed_layer_1?.state, { timeout: 30_000 })
    .toBe('stale');
  await page.goto(viz.url);
  await waitForGraph(page);
  await expect(node(page, 'processed_layer_2').locator('.viz-node')).toHaveAttribute('data-freshness', 'stale');
  await expect(node(page, 'summary_layer_2').locator('.viz-node')).toHaveAttribute('data-freshness', 'stale');
  await node(page, 'processed_layer_2').click();
  await expect(page.getByTestId('dataset-freshness-reasons')).toHaveText("parameter 'scale' changed");
  await page.screenshot({ path: shot('debug-07-stale-graph') });
});
