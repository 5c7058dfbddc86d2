import { expect, test, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { authFetch, shot } from './dashboard.fixtures';

// The DQM plots page on E's copy of the default project (global-setup: 40 simulated LS, the
// default pipeline, the strategies with a task on LS 1-20 / 21-40, and their evaluation).
const url = () => process.env.VIZ_PROJECT_URL!;

async function ready(page: Page, testId: string) {
  await expect(page.getByTestId(testId)).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
}

test('time series, click a point: the LS map beside the reference and residual; arrow keys step through LS', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${url()}plots`);
  await ready(page, 'timeseries-plot');
  await expect(page.getByTestId('plots-layer')).toHaveValue('1');
  await expect(page.getByTestId('plots-variable')).toHaveValue('mean');
  await expect(page).toHaveURL(/layer=1&variable=mean/);
  const ts = page.getByTestId('timeseries-plot');
  await expect(ts.locator('.xtitle')).toHaveText('Lumisection');
  await expect(ts.locator('.ytitle')).toHaveText('Mean occupancy (clusters / bin)');
  await expect(ts.locator('.annotation').first()).toContainText('CMS Simulation');
  await expect(ts).toContainText('Run 357000 · BPix layer 1');
  await expect(ts.locator('.scatterlayer .trace').first().locator('path.point')).toHaveCount(40);
  // LS flagged by some strategy are ringed
  await expect(ts.locator('.legendtext', { hasText: 'Flagged' })).toHaveCount(1);
  await page.screenshot({ path: shot('plots-01-time-series') });

  // the 25th point is LS 25
  await ts.locator('.scatterlayer .trace').first().locator('path.point').nth(24).click({ force: true });
  const panel = page.getByTestId('ls-panel');
  await expect(panel).toHaveAttribute('data-lumi', '25');
  await expect(page.getByTestId('ls-title')).toHaveText('Run 357000, LS 25 · layer 1');
  for (const id of ['ls-map', 'ls-reference', 'ls-residual']) await ready(page, id);
  await expect(page.getByTestId('ls-map')).toContainText('LS 25');
  await expect(page.getByTestId('ls-reference')).toContainText('Mean image');
  await expect(page.getByTestId('ls-residual')).toContainText('Residual');
  await expect(page.getByTestId('ls-scores').locator('tbody tr')).toHaveCount(4);
  await expect(page.getByTestId('ls-scores')).toContainText('pca');
  await expect(page).toHaveURL(/run=357000&lumi=25/);
  await page.screenshot({ path: shot('plots-02-ls-selected') });

  await page.keyboard.press('ArrowRight');
  await expect(panel).toHaveAttribute('data-lumi', '26');
  await expect(page.getByTestId('ls-title')).toHaveText('Run 357000, LS 26 · layer 1');
  await expect(page).toHaveURL(/lumi=26/);
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowLeft');
  await expect(panel).toHaveAttribute('data-lumi', '24');
  await expect(page.getByTestId('ls-map')).toContainText('LS 24');
  expect(errors).toEqual([]);
});

test('a deep link restores layer, strategy score and LS; correlations and the strategy table show', async ({ page }) => {
  await page.goto(`${url()}plots?layer=2&variable=strategy_pca&x=mean&y=entries&run=357000&lumi=30`);
  await ready(page, 'timeseries-plot');
  await expect(page.getByTestId('plots-layer')).toHaveValue('2');
  await expect(page.getByTestId('plots-variable')).toHaveValue('strategy_pca');
  const ts = page.getByTestId('timeseries-plot');
  await expect(ts.locator('.ytitle')).toHaveText('pca anomaly score (χ²/ndf)');
  // scores exist for the task's apply LS only
  await expect(ts.locator('.scatterlayer .trace').first().locator('path.point')).toHaveCount(20);
  await expect(page.getByTestId('ls-title')).toHaveText('Run 357000, LS 30 · layer 2');
  await ready(page, 'correlation-plot');
  await ready(page, 'correlation-matrix');
  await expect(page.getByTestId('pearson')).toContainText('over 40 LS');
  await expect(page.getByTestId('correlation-plot').locator('.xtitle')).toHaveText('Mean occupancy (clusters / bin)');
  const table = page.getByTestId('comparison-table');
  for (const s of ['feature_zscore', 'mean_distance', 'nmf', 'pca']) await expect(table).toContainText(s);
  // all layers, simulator labels: a row per strategy and anomaly type the evaluation scored
  const metrics = fs.readFileSync(path.join(process.env.VIZ_PROJECT_DIR!, 'data/08_reporting/strategies/metrics.csv'), 'utf8').trim().split('\n').slice(1);
  await expect(table.locator('tbody tr')).toHaveCount(metrics.filter((l) => l.split(',')[1] === '"all"' || l.split(',')[1] === 'all').length);
  await expect(table.locator('tbody tr[data-type="any"]')).toHaveCount(4);
  await page.getByTestId('correlation-matrix').scrollIntoViewIfNeeded();
  await page.screenshot({ path: shot('plots-03-correlations-and-table'), fullPage: true });

  // the picker changes the URL and the plot
  await page.getByTestId('corr-y').selectOption('rmse');
  await expect(page).toHaveURL(/y=rmse/);
  await expect(page.getByTestId('correlation-plot').locator('.ytitle')).toHaveText('RMSE to mean image (clusters / bin)');
});

test('links: graph header -> plots, strategy table -> its predictions in the graph, plots -> graph', async ({ page }) => {
  await page.goto(url());
  await page.getByTestId('plots-link').click();
  await expect(page).toHaveURL(/\/plots/);
  await ready(page, 'timeseries-plot');
  await page.getByTestId('graph-link-strategy_pca').click();
  await expect(page).toHaveURL(/pipeline=strategies&node=strategy_pca\.predictions/);
  await expect(page.getByTestId('metadata-panel')).toContainText('data/07_model_output/strategy_pca/predictions.csv');
  await page.goto(`${url()}plots`);
  await page.getByTestId('graph-link').click();
  await expect(page.getByTestId('flowchart')).toBeVisible();
});

test('the plots API answers JSON, and errors as {error:{code,message}} with 400/404', async () => {
  const summary = (await (await authFetch(`${url()}api/plots/summary`)).json()) as { layers: number[]; strategies: string[] };
  expect(summary.layers).toEqual([1, 2, 3, 4]);
  expect(summary.strategies).toHaveLength(4);
  const bad = await authFetch(`${url()}api/plots/series?layer=9&variable=mean`);
  expect(bad.status).toBe(400);
  expect(await bad.json()).toEqual({ error: { code: 'BAD_LAYER', message: "Layer 9 is not processed by this project: parameter 'layers' is [1, 2, 3, 4]" } });
  const unknown = await authFetch(`${url()}api/plots/correlation?layer=1&x=mean&y=nope`);
  expect(unknown.status).toBe(400);
  expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('UNKNOWN_VARIABLE');
  const missing = await authFetch(`${url()}api/plots/ls?run=357000&lumi=999&layer=1`);
  expect(missing.status).toBe(404);
  expect(await missing.json()).toEqual({ error: { code: 'LS_NOT_FOUND', message: 'Layer 1 has no lumisection 999 of run 357000 (runs: 357000; 40 LS)' } });
  const file = await authFetch(`${process.env.VIZ_DEMO_URL!}api/plots/summary`);
  expect(file.status).toBe(404);
  expect(((await file.json()) as { error: { code: string } }).error.code).toBe('NO_PROJECT');
});
