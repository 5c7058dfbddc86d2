import fs from 'node:fs';
import { expect, test } from '@playwright/test';
import { MIN_FIT_ZOOM } from '../lib/graph';
import { node, shot, waitForGraph } from './dashboard.fixtures';
import { bandLabelsAndTop, clippedDescenders, cutLabels, expectNoOverlap, groupBoxes, imageStats, labelPx, zoomOf } from './graph.fixtures';

const url = () => process.env.VIZ_PROJECT_URL!;
const ALL = 'expanded=layer_1,layer_2,layer_3,layer_4';

test('first view: legible labels, the four layers as four lanes, nothing cut', async ({ page }) => {
  await page.goto(url());
  await waitForGraph(page);
  expect(await zoomOf(page)).toBeGreaterThanOrEqual(MIN_FIT_ZOOM);
  expect(await labelPx(page)).toBeGreaterThanOrEqual(9);
  expect(await cutLabels(page)).toEqual([]);
  // raw -> preprocess -> preprocessed -> layer_N, one lane per layer in order: columns left to
  // right top-down; rows top to bottom left-right (the auto direction's choice since the
  // cluster_charge column joined __default__ and made top-down too wide to read).
  const horizontal = (await page.getByTestId('flowchart').getAttribute('data-direction')) === 'LR';
  const lanes = [];
  for (let i = 1; i <= 4; i++) {
    const raw = (await node(page, `raw_pixel_layer_${i}`).boundingBox())!;
    const mp = (await node(page, `layer_${i}`).boundingBox())!;
    if (horizontal) expect(mp.x).toBeGreaterThan(raw.x);
    else expect(mp.y).toBeGreaterThan(raw.y);
    lanes.push(horizontal ? raw.y : raw.x);
  }
  expect([...lanes].sort((a, b) => a - b)).toEqual(lanes);
  await expect(page.locator('[data-band="raw"] .band-label')).toBeInViewport();
  await page.screenshot({ path: shot('graph-01-first-view') });
});

test('expanded: each layer a box of its own with short labels, full names on hover; double-click and − collapse', async ({ page }) => {
  await page.goto(`${url()}?${ALL}`);
  await waitForGraph(page);
  expect(await zoomOf(page)).toBeGreaterThanOrEqual(MIN_FIT_ZOOM);
  const boxes = await groupBoxes(page);
  expect(boxes.map((b) => b.id).sort()).toEqual(['layer_1', 'layer_2', 'layer_3', 'layer_4']);
  await expectNoOverlap(boxes);
  const rmse = node(page, 'layer_1.compute_rmse_node');
  await expect(rmse.locator('.label')).toHaveText('compute_rmse_node');
  await expect(rmse.locator('.viz-node')).toHaveAttribute('title', 'layer_1.compute_rmse_node');
  expect(await cutLabels(page)).toEqual([]);
  // Underscores (every node name has them) drawn whole, not cut at the label's bottom edge.
  expect(await clippedDescenders(page)).toEqual([]);
  await page.screenshot({ path: shot('graph-02-expanded-boxes') });
  await page.getByTestId('group-collapse-layer_2').click();
  await expect(node(page, 'layer_2')).toHaveCount(1);
  await waitForGraph(page);
  await node(page, 'layer_2').dblclick();
  await expect(node(page, 'layer_2.compute_rmse_node')).toHaveCount(1);
});

test('boxes view: the reset button goes back to the first view, after zooming and after a box is closed and opened', async ({ page }) => {
  await page.goto(`${url()}?${ALL}`);
  await waitForGraph(page);
  const viewport = () => page.locator('.react-flow__viewport').getAttribute('style');
  const still = () => expect(page.getByTestId('flowchart')).toHaveAttribute('data-moving', 'false');
  const first = await viewport();
  await page.locator('.react-flow__controls-zoomin').click();
  await page.locator('.react-flow__controls-zoomin').click();
  await still();
  expect(await viewport()).not.toBe(first);
  await page.getByTestId('reset-view').click();
  await expect.poll(viewport).toBe(first);
  await still();
  // Closing and reopening a box keeps the clicked box in place; reset is still the first view.
  await page.getByTestId('group-collapse-layer_2').click();
  await waitForGraph(page);
  await node(page, 'layer_2').dblclick();
  await expect(node(page, 'layer_2.compute_rmse_node')).toHaveCount(1);
  await waitForGraph(page);
  await page.getByTestId('reset-view').click();
  await expect.poll(viewport).toBe(first);
  await page.screenshot({ path: shot('graph-02b-boxes-reset') });
});

test('strategies view: bands in the catalog order, collapsed pipelines labelled in full', async ({ page }) => {
  await page.goto(`${url()}?pipeline=strategies`);
  await waitForGraph(page);
  expect(await zoomOf(page)).toBeGreaterThanOrEqual(MIN_FIT_ZOOM);
  const bands = await page.locator('[data-band]').evaluateAll((els) => els.map((e) => ({ name: e.getAttribute('data-band'), r: e.getBoundingClientRect() })));
  const horizontal = (await page.getByTestId('flowchart').getAttribute('data-direction')) === 'LR';
  const order = [...bands].sort((a, b) => (horizontal ? a.r.x - b.r.x : a.r.y - b.r.y)).map((b) => b.name);
  expect(order.indexOf('intermediate')).toBeLessThan(order.indexOf('feature'));
  expect(order.indexOf('feature')).toBeLessThan(order.indexOf('model_input'));
  const labels = await page.locator('.viz-node.modularPipeline .label').allTextContents();
  expect(labels.sort()).toEqual(['strategies', 'strategy_feature_zscore', 'strategy_mean_distance', 'strategy_nmf', 'strategy_pca']);
  expect(await cutLabels(page)).toEqual([]);
  await page.screenshot({ path: shot('graph-03-strategies') });
  // Opened, a strategy shows its four layer pipelines as boxes inside its own.
  await node(page, 'strategy_pca').dblclick();
  await expect(page.locator('[data-group-id="strategy_pca"]')).toHaveCount(1);
  await expect(page.locator('.viz-node.modularPipeline .label', { hasText: /^layer_1$/ })).toHaveCount(1);
});

for (const engine of ['elk', 'layered'] as const) {
  test(`cluster_charge (${engine}): no node or box over a band label, the graph at the top of the view`, async ({ page }) => {
    await page.goto(`${url()}?pipeline=cluster_charge${engine === 'elk' ? '&engine=elk' : ''}`);
    await waitForGraph(page);
    await expect(page.getByTestId('group-box')).toHaveCount(5); // cluster_charge and its four layers, open
    const drawn = await bandLabelsAndTop(page);
    expect(drawn.labels.sort()).toEqual(['models', 'raw']);
    expect(drawn.covered).toEqual([]);
    // below the toolbar's row (64 px), not centred with half the screen empty above it
    expect(drawn.top).toBeGreaterThan(40);
    expect(drawn.top).toBeLessThan(100);
    await page.screenshot({ path: shot(`graph-03b-cluster-charge-${engine}`) });
  });
}

test('the default view makes the 1D cluster-charge reference: its node is in __default__', async ({ page }) => {
  await page.goto(url());
  await waitForGraph(page);
  // collapsed, cluster_charge is drawn as one modular pipeline beside the layers
  await expect(node(page, 'cluster_charge')).toHaveCount(1);
  const graph = (await (await page.request.get(`${url()}api/main`)).json()) as { selected_pipeline: string; edges: Array<{ source: string; target: string }> };
  expect(graph.selected_pipeline).toBe('__default__');
  for (const l of [1, 2, 3, 4]) expect(graph.edges).toContainEqual({ source: `cluster_charge.layer_${l}.reference_histogram`, target: `cluster_charge.layer_${l}.reference` });
  await page.screenshot({ path: shot('graph-01b-default-with-cluster-charge') });
});

test('a collapsed pipeline lists its real inputs; focus mode fades the rest; Esc leaves it', async ({ page }) => {
  await page.goto(url());
  await waitForGraph(page);
  await node(page, 'layer_1').click();
  await expect(page.getByTestId('metadata-panel').getByTestId('node-list').first()).toContainText('preprocessed_raw_pixel_layer_1');
  await page.getByTestId('mp-focus').click();
  await expect(page).toHaveURL(/focus=layer_1/);
  await expect(node(page, 'layer_2')).toHaveClass(/faded/);
  await expect(node(page, 'layer_1')).not.toHaveClass(/faded/);
  await expect(node(page, 'preprocessed_raw_pixel_layer_1')).not.toHaveClass(/faded/);
  await page.screenshot({ path: shot('graph-04-focus-layer_1') });
  await page.locator('.react-flow__pane').click();
  await page.keyboard.press('Escape');
  await expect(node(page, 'layer_2')).not.toHaveClass(/faded/);
});

test('visual slicing: two nodes picked, the sub-pipeline lit, its command shown and sent to the Run form', async ({ page }) => {
  await page.goto(`${url()}?${ALL}`);
  await waitForGraph(page);
  await node(page, 'preprocess_raw_pixel_layer_1_node').click({ modifiers: ['Shift'] });
  await node(page, 'layer_1.compute_rmse_node').click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('slice-command')).toHaveText('dqm run --from-nodes preprocess_raw_pixel_layer_1_node --to-nodes layer_1.compute_rmse_node');
  await expect(node(page, 'layer_1.compute_mean_image')).toHaveClass(/in-slice/);
  await expect(node(page, 'layer_1.compute_summary_statistics_node')).toHaveClass(/faded/);
  await expect(node(page, 'layer_2.compute_rmse_node')).toHaveClass(/faded/);
  await page.screenshot({ path: shot('graph-05-slice') });
  await page.getByTestId('slice-run').click();
  await expect(page.getByTestId('run-form')).toBeVisible();
  await expect(page.getByTestId('run-fromNodes')).toHaveValue('preprocess_raw_pixel_layer_1_node');
  await expect(page.getByTestId('run-toNodes')).toHaveValue('layer_1.compute_rmse_node');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('slice-bar')).toHaveCount(0);
});

test('layers hide and show, pretty names, keyboard: / searches, arrows walk, Esc closes', async ({ page }) => {
  await page.goto(`${url()}?${ALL}`);
  await waitForGraph(page);
  await page.getByTestId('layer-reporting').uncheck();
  await expect(node(page, 'layer_1.time_series_plots')).toHaveCount(0);
  await expect(page).toHaveURL(/hideLayers=reporting/);
  await page.getByTestId('layer-reporting').check();
  await expect(node(page, 'layer_1.time_series_plots')).toHaveCount(1);
  await page.getByTestId('pretty-toggle').click();
  await expect(node(page, 'preprocess_raw_pixel_layer_1_node').locator('.label')).toHaveText('Preprocess Raw Pixel Layer 1 Node');
  await page.getByTestId('pretty-toggle').click();
  await waitForGraph(page);
  await node(page, 'raw_pixel_layer_1').click();
  await page.locator('.react-flow__pane').hover();
  await page.keyboard.press(((await page.getByTestId('flowchart').getAttribute('data-direction')) === 'LR' ? 'ArrowRight' : 'ArrowDown'));
  await expect(page.getByTestId('metadata-title')).toHaveText('preprocess_raw_pixel_layer_1_node');
  await page.keyboard.press('/');
  await expect(page.getByTestId('search')).toBeFocused();
  await page.keyboard.press('Escape');
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('metadata-panel')).toHaveCount(0);
});

test('copy buttons copy the command and the path', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(`${url()}?node=layer_1.aggregated_properties`);
  await page.getByTestId('copy-path').click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('data/04_feature/layer_1/aggregated_properties.csv');
  await page.goto(`${url()}?node=preprocess_raw_pixel_layer_1_node`);
  await page.getByTestId('copy-run-command').click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('dqm run --nodes preprocess_raw_pixel_layer_1_node');
});

test('Export PNG and SVG: the whole graph at a readable scale, not an empty image', async ({ page }) => {
  await page.goto(`${url()}?${ALL}`);
  await waitForGraph(page);
  for (const [format, mime] of [['png', 'image/png'], ['svg', 'image/svg+xml']] as const) {
    const download = page.waitForEvent('download');
    await page.getByTestId(`export-${format}`).click();
    const file = await (await download).path();
    const stats = await imageStats(page, fs.readFileSync(file), mime);
    // The expanded DQM graph is ~2,000 graph units wide: at 1.5 px a unit the image is > 2,000 px.
    expect(stats.width).toBeGreaterThan(2000);
    expect(stats.height).toBeGreaterThan(600);
    expect(stats.inked).toBeGreaterThan(0.04);
    if (format === 'png') fs.copyFileSync(file, shot('graph-06-exported'));
  }
});

test('the panel resizes; a preview opens full screen; Esc closes it', async ({ page }) => {
  await page.goto(`${url()}?node=preprocessed_raw_pixel_layer_1`);
  const panel = page.getByTestId('metadata-panel');
  const before = (await panel.boundingBox())!.width;
  const handle = (await page.getByTestId('panel-resize').boundingBox())!;
  await page.mouse.move(handle.x + 2, handle.y + 200);
  await page.mouse.down();
  await page.mouse.move(handle.x - 200, handle.y + 200, { steps: 4 });
  await page.mouse.up();
  expect((await panel.boundingBox())!.width).toBeGreaterThan(before + 150);
  await expect(page.getByTestId('heatmap-plot')).toHaveAttribute('data-ready', 'true');
  await page.getByTestId('preview-fullscreen').click();
  const full = page.getByTestId('fullscreen').getByTestId('heatmap-plot');
  await expect(full).toHaveAttribute('data-ready', 'true');
  expect((await full.boundingBox())!.width).toBeGreaterThan(1200);
  await page.screenshot({ path: shot('graph-07-heatmap-fullscreen') });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('fullscreen')).toHaveCount(0);
  await expect(panel).toBeVisible();
});

test('previews: wrapper task source, labelled colour bar, binary LS steps, raw partitions', async ({ page }) => {
  await page.goto(`${url()}?node=preprocess_raw_pixel_layer_1_node`);
  await expect(page.getByTestId('task-code')).toContainText('preprocessPixelLayer');
  await expect(page.getByTestId('metadata-panel')).toContainText('pipelines/data_processing/nodes.ts');

  await page.goto(`${url()}?node=preprocessed_raw_pixel_layer_1`);
  await expect(page.getByTestId('heatmap-plot')).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('heatmap-plot').locator('.cbtitle')).toHaveText('clusters');
  const maps: string[] = [];
  page.on('response', (r) => r.url().includes('/map?') && maps.push(`${r.status()} ${r.headers()['content-type']}`));
  for (const ls of [1, 2, 3, 4]) {
    await page.getByTestId('ls-slider').fill(String(ls));
    await expect(page.getByTestId('preview-heatmap')).toHaveAttribute('data-ls', String(ls));
  }
  await expect(page.getByTestId('preview-heatmap')).toContainText('run 357000 · LS 5 ·');
  await expect(page.getByTestId('preview-heatmap')).toHaveAttribute('data-step-ms', /\d+/);
  expect(maps.length).toBeGreaterThan(3);
  expect(new Set(maps)).toEqual(new Set(['200 application/octet-stream']));

  await page.goto(`${url()}?node=raw_pixel_layer_2`);
  const parts = page.getByTestId('preview-partitions');
  await expect(parts).toContainText('1 partition: Run_357000_0_clusterposition_PXLayer_2');
  await expect(parts.getByTestId('preview-table').locator('th')).toContainText(['run', 'lumi', 'map']);
  await expect(parts.getByTestId('preview-table').locator('tbody tr').first()).toContainText('357000');
});
