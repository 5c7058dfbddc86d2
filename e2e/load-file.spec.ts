import { expect, test } from '@playwright/test';
import { graphOf, node, shot, waitForGraph } from './dashboard.fixtures';

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
