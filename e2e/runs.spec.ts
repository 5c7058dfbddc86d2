import { rmSync } from 'node:fs';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { startViz, type VizProcess } from './viz-server.fixtures';
import { makeTempProject, SLOW_REGISTRY } from '../lib/session/temp-project.fixtures';
import type { RunDetails, RunRecord } from '../lib/services';
import { graphOf, shot, waitForGraph, authFetch } from './dashboard.fixtures';

// Runs from the dashboard, on two servers: E's copy of the default project (global-setup) for
// a real run, and a small project of our own with a failing and a slow pipeline.
const projectUrl = () => process.env.VIZ_PROJECT_URL!;


let small: VizProcess;
let smallRoot: string;
test.beforeAll(async () => {
  smallRoot = makeTempProject({ files: { 'pipelines/registry.ts': SLOW_REGISTRY } });
  small = await startViz([], { cwd: smallRoot });
});
test.afterAll(async () => {
  await small?.stop();
  rmSync(smallRoot, { recursive: true, force: true });
});

/** The SSE stream of a run until it closes: event names in order. */
async function streamedEvents(base: string, id: string): Promise<string[]> {
  const res = await authFetch(`${base}api/runs/${id}/events`);
  expect(res.headers.get('content-type')).toBe('text/event-stream');
  const text = await res.text();
  return [...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]!);
}

async function waitForEnd(request: APIRequestContext, base: string, id: string): Promise<RunDetails> {
  await streamedEvents(base, id);
  return (await (await request.get(`${base}api/runs/${id}`)).json()) as RunDetails;
}

/** Opens the dashboard and waits for the graph and the runs panel (components/runs/RunsPanel) to render. */
async function openRunsPage(page: Page, base: string): Promise<void> {
  await page.goto(base);
  await waitForGraph(page);
  await expect(page.getByTestId('runs-panel')).toBeVisible();
}

test.describe('runs through the API', () => {
  test('a default-pipeline run completes with every node done and shows in the history', async ({ request }) => {
    const graph = await graphOf(`${projectUrl()}api/main`);
    const tasks = graph.nodes.filter((n) => n.type === 'task').map((n) => n.name).sort();
    const res = await request.post(`${projectUrl()}api/runs`, { data: {} });
    expect(res.status()).toBe(202);
    const { run } = (await res.json()) as { run: RunRecord };
    const events = await streamedEvents(projectUrl(), run.id);
    expect(events[0]).toBe('run_started');
    expect(events.slice(-2)).toEqual(['run_finished', 'end']);
    const details = (await (await request.get(`${projectUrl()}api/runs/${run.id}`)).json()) as RunDetails;
    expect(details.run.status).toBe('success');
    expect(details.nodes.map((n) => n.node).sort()).toEqual(tasks);
    expect(details.nodes.every((n) => n.status === 'done' && n.durationMs !== null)).toBe(true);
    expect(details.datasets.some((d) => (d.sizeBytes ?? 0) > 0)).toBe(true);
    const list = (await (await request.get(`${projectUrl()}api/runs`)).json()) as { runs: RunRecord[] };
    expect(list.runs[0]!.id).toBe(run.id);
    // global-setup's `dqm run` (CLI) is in the same history.
    expect(list.runs.some((r) => r.startedBy === 'cli' && r.status === 'success')).toBe(true);
  });

  test('a failing node is recorded with its error and resume command', async ({ request }) => {
    const { run } = (await (await request.post(`${small.url}api/runs`, { data: { pipeline: 'failing' } })).json()) as { run: RunRecord };
    const details = await waitForEnd(request, small.url, run.id);
    expect(details.run).toMatchObject({ status: 'failed', error: 'boom: the detector is on fire' });
    expect(details.nodes.find((n) => n.node === 'explode')).toMatchObject({
      status: 'failed',
      error: { message: 'boom: the detector is on fire' },
      resumeCommand: 'dqm run --from-nodes explode --pipeline failing',
    });
  });

  test('a second concurrent run is refused with 409, and a run can be cancelled', async ({ request }) => {
    const { run } = (await (await request.post(`${small.url}api/runs`, { data: { pipeline: 'slow' } })).json()) as { run: RunRecord };
    const second = await request.post(`${small.url}api/runs`, { data: { pipeline: 'main' } });
    expect(second.status()).toBe(409);
    const body = (await second.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('RUN_CONFLICT');
    expect(body.error.message).toContain(`A run is already in progress in this project: ${run.id}`);
    const cancelled = await request.post(`${small.url}api/runs/${run.id}/cancel`);
    expect(cancelled.status()).toBe(200);
    expect(((await cancelled.json()) as { run: RunRecord }).run).toMatchObject({ status: 'cancelled', error: 'cancelled from the dashboard' });
    expect((await streamedEvents(small.url, run.id)).slice(-2)).toEqual(['run_aborted', 'end']);
  });

  test('bad requests are JSON errors with 400 and 404', async ({ request }) => {
    const unknown = await request.post(`${small.url}api/runs`, { data: { pipeline: 'mian' } });
    expect(unknown.status()).toBe(400);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toBe(
      "Unknown pipeline 'mian'. Registered pipelines: __default__, failing, main, slow. Did you mean 'main'?",
    );
    const missing = await request.get(`${small.url}api/runs/nope`);
    expect(missing.status()).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('RUN_NOT_FOUND');
  });
});

test.describe('runs on the page', () => {
  test('start a run from the page, watch every node turn done, open its history entry', async ({ page }) => {
    // Every modular pipeline open, so every task of the run is a node of its own.
    await openRunsPage(page, `${projectUrl()}?expanded=layer_1,layer_2,layer_3,layer_4,cluster_charge,${[1, 2, 3, 4].map((l) => `cluster_charge.layer_${l}`).join(',')}`);
    const graph = await graphOf(`${projectUrl()}api/main`);
    const tasks = graph.nodes.filter((n) => n.type === 'task').length;
    await page.getByTestId('run-open').click();
    await page.getByTestId('run-submit').click();
    await expect(page.getByTestId('run-summary')).toHaveAttribute('data-status', 'success', { timeout: 120_000 });
    await expect(page.locator('[data-run-status="done"]')).toHaveCount(tasks);
    await page.screenshot({ path: shot('runs-01-all-done') });
    const entry = page.getByTestId('run-entry').first();
    await expect(entry).toHaveAttribute('data-status', 'success');
    await page.getByTestId('run-summary').getByRole('button', { name: 'hide' }).click();
    await expect(page.locator('[data-run-status]')).toHaveCount(0);
    await entry.click();
    await expect(page.locator('[data-run-status="done"]')).toHaveCount(tasks);
  });

  test('a run whose node throws shows the error on that node', async ({ page }) => {
    await openRunsPage(page, small.url);
    await page.getByTestId('run-open').click();
    await page.getByTestId('run-pipeline').selectOption('failing');
    await page.getByTestId('run-submit').click();
    await expect(page.getByTestId('run-summary')).toHaveAttribute('data-status', 'failed');
    // The page switched the graph to the pipeline that ran.
    await expect(page.getByTestId('pipeline-select')).toHaveValue('failing');
    await waitForGraph(page);
    await expect(page.locator('[data-run-status="done"]')).toHaveCount(2);
    const badge = page.locator('.react-flow__node[data-id="explode"] [data-run-status="failed"]');
    await expect(badge).toHaveAttribute('title', 'boom: the detector is on fire\nResume: dqm run --from-nodes explode --pipeline failing');
    await expect(page.getByTestId('run-summary')).toContainText('explode: boom: the detector is on fire');
    // The node's panel shows the error and the resume command.
    await page.locator('.react-flow__node[data-id="explode"]').click();
    await expect(page.getByTestId('node-run-error')).toHaveText('Error: boom: the detector is on fire');
    await expect(page.getByTestId('node-run-resume')).toHaveText('dqm run --from-nodes explode --pipeline failing');
    await page.screenshot({ path: shot('runs-02-failed-node') });
  });

  test('a second concurrent run is refused with a clear message, and the run is cancelled', async ({ page, request }) => {
    await openRunsPage(page, small.url);
    const { run } = (await (await request.post(`${small.url}api/runs`, { data: { pipeline: 'slow' } })).json()) as { run: RunRecord };
    await page.getByTestId('run-open').click();
    await page.getByTestId('run-submit').click();
    await expect(page.getByTestId('run-error')).toContainText(`A run is already in progress in this project: ${run.id}`);
    await page.locator(`[data-testid="run-entry"][data-run-id="${run.id}"]`).click();
    await expect(page.getByTestId('run-summary')).toHaveAttribute('data-status', 'running');
    await page.getByTestId('run-cancel').click();
    await expect(page.getByTestId('run-summary')).toHaveAttribute('data-status', 'cancelled');
    await page.screenshot({ path: shot('runs-03-cancelled') });
  });
});
