import { expect, test } from '@playwright/test';
import { MIN_FIT_ZOOM } from '../lib/graph';
import { graphOf, node, shot, waitForGraph } from './dashboard.fixtures';
import { cutLabels, zoomOf } from './graph.fixtures';

test('serves the Kedro-Viz demo export (collapsed: it has more than 100 nodes)', async ({ page }) => {
  const url = process.env.VIZ_DEMO_URL!;
  await page.goto(url);
  const shown = await waitForGraph(page);
  const graph = await graphOf(`${url}api/main`);
  expect(graph.nodes).toHaveLength(214);
  expect(shown).toBeLessThan(214);
  await expect(page.locator('.react-flow__node-viz [data-kind="modularPipeline"]').first()).toBeVisible();
  await page.screenshot({ path: shot('07-kedro-viz-demo-collapsed') });
  await page.getByTestId('expand-all').click();
  await expect(page.getByTestId('flowchart')).not.toHaveAttribute('data-nodes', String(shown));
  await waitForGraph(page);
  await page.screenshot({ path: shot('08-kedro-viz-demo-expanded') });
});

test('serves the Kedro-Viz spaceflights export with its layers and pipelines', async ({ page }) => {
  const url = process.env.VIZ_SPACEFLIGHTS_URL!;
  await page.goto(url);
  await waitForGraph(page);
  const graph = await graphOf(`${url}api/main`);
  for (const n of graph.nodes.filter((x) => x.type !== 'modularPipeline')) await expect(node(page, n.id)).toHaveCount(1);
  for (const layer of graph.layers) await expect(page.locator(`[data-band="${layer}"]`)).toHaveCount(1);
  await node(page, '23c94afb').click();
  await expect(page.getByTestId('metadata-title')).toHaveText('model_input_table');
  await expect(page.getByTestId('preview-none')).toContainText('there is no data behind it');
  await page.screenshot({ path: shot('09-kedro-viz-spaceflights') });
  await page.getByTestId('pipeline-select').selectOption('dp');
  await waitForGraph(page);
  await expect(node(page, '90f15f9d')).toHaveCount(0);
});

test('lays out left to right and with ELK on request', async ({ page }) => {
  await page.goto(`${process.env.VIZ_SPACEFLIGHTS_URL!}?dir=LR`);
  await waitForGraph(page);
  const a = await node(page, 'f192326a').boundingBox();
  const b = await node(page, 'e5a9ec27').boundingBox();
  expect(b!.x).toBeGreaterThan(a!.x + a!.width);
  await page.getByTestId('engine-toggle').click();
  await expect(page.getByTestId('flowchart')).toHaveAttribute('data-engine', 'elk');
  await waitForGraph(page);
  await expect(page).toHaveURL(/engine=elk/);
  await page.screenshot({ path: shot('10-spaceflights-LR-elk') });
});

test("Kedro-Viz's largeDataset (2,061 nodes, a 1,000-node fan-out): readable collapsed and expanded, never a thin line", async ({ page }) => {
  const url = process.env.VIZ_LARGE_URL!;
  const graph = await graphOf(`${url}api/main`);
  expect(graph.nodes).toHaveLength(2061);
  await page.goto(url);
  const collapsed = await waitForGraph(page);
  expect(collapsed).toBeLessThan(60);
  expect(await zoomOf(page)).toBeGreaterThanOrEqual(MIN_FIT_ZOOM);
  const stack = node(page, 'stack:ingestion');
  await expect(stack.locator('.label')).toHaveText('1,000 datasets (spine_copy_0, …)');
  expect(await cutLabels(page)).toEqual([]);
  await page.screenshot({ path: shot('11-large-dataset-collapsed') });
  await page.getByTestId('expand-all').click();
  await expect(page.getByTestId('flowchart')).not.toHaveAttribute('data-nodes', String(collapsed));
  await waitForGraph(page);
  expect(await zoomOf(page)).toBeGreaterThanOrEqual(MIN_FIT_ZOOM);
  await expect(page.locator('[data-group-id="ingestion"]')).toHaveCount(1);
  await page.screenshot({ path: shot('12-large-dataset-expanded') });
  // Drawn all, the fan-out wraps onto rows that fit the screen's width at the legible zoom.
  await node(page, 'stack:ingestion.prm_spine_table').dblclick();
  await expect(page.getByTestId('flowchart')).toHaveAttribute('data-nodes', String(graph.nodes.length - 6));
  await waitForGraph(page);
  const box = (await page.locator('[data-group-id="ingestion"]').boundingBox())!;
  const screen = (await page.getByTestId('flowchart').boundingBox())!;
  const horizontal = (await page.getByTestId('flowchart').getAttribute('data-direction')) === 'LR';
  expect(horizontal ? box.height : box.width).toBeLessThan((horizontal ? screen.height : screen.width) * 1.5);
  await page.screenshot({ path: shot('13-large-dataset-unstacked') });
});
