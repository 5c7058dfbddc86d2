import { expect, test, type Locator, type Page } from '@playwright/test';
import fs from 'node:fs';
import path from 'node:path';
import { readDqmioCsv } from '../lib/dqm';
import { authFetch, shot } from './dashboard.fixtures';
import { pixelDifference } from './image-pixels.fixtures';

// 1D MEs in the dashboard, on E's copy of the default project (global-setup: 40 simulated LS with
// the cluster-charge ME, the strategies on task e2e = develop LS 1-20, their evaluation).
const url = () => process.env.VIZ_PROJECT_URL!;
const dir = () => process.env.VIZ_PROJECT_DIR!;

type Trace = { name: string; x: number[]; y: Array<number | null>; yaxis?: string };
type Shape = { type: string; name?: string; x0: number; x1: number; y0: number; y1: number };
type Drawn = { data: Trace[]; layout: { yaxis: { type: string; domain: number[] }; yaxis2?: { domain: number[] }; shapes?: Shape[] } };

/** What Plotly drew: its graph div carries the data and the full layout. */
async function drawn(plot: Locator): Promise<Drawn> {
  await expect(plot).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  return plot.evaluate((el) => {
    const gd = el as unknown as { data: unknown; _fullLayout: Record<string, unknown> };
    const { yaxis, yaxis2, shapes } = gd._fullLayout as Record<string, unknown>;
    const pick = (a: unknown) => (a ? { type: (a as { type: string }).type, domain: (a as { domain: number[] }).domain } : undefined);
    return JSON.parse(JSON.stringify({ data: gd.data, layout: { yaxis: pick(yaxis), yaxis2: pick(yaxis2), shapes: ((shapes as unknown[]) ?? []).map((s) => { const { type, name, x0, x1, y0, y1 } = s as Shape; return { type, name, x0, x1, y0, y1 }; }) } })) as Drawn;
  });
}

/** The simulated cluster charge of a layer, read from the project's file with our own DQMIO reader. */
function charge(layer: number) {
  return readDqmioCsv(path.join(dir(), 'data/01_raw/cluster_charge/chargeInner_PXLayer.csv'), { hname: `chargeInner_PXLayer_${layer}` });
}

/** Mean of LS 1-20 (task e2e's develop LS), each divided by its entries. */
function developReference(layer: number): number[] {
  const h = charge(layer);
  return Array.from({ length: 100 }, (_, b) => {
    let s = 0;
    for (let i = 0; i < 20; i++) s += h.values[i * 100 + b]! / h.entries[i]!;
    return s / 20;
  });
}

function expectRatio(d: Drawn, entries: number, layer: number) {
  const [ref, ratio, ls] = d.data;
  const want = developReference(layer);
  // the reference is drawn at this LS's entries, the ratio is LS / reference bin by bin
  for (const b of [15, 25, 40]) {
    expect(ref!.y[b]! / entries / want[b]! - 1).toBeLessThan(1e-4);
    expect(ratio!.y[b]).toBeCloseTo(ls!.y[b]! / ref!.y[b]!, 9);
  }
  expect(ratio!.yaxis).toBe('y2');
  expect(d.layout.yaxis2!.domain[1]).toBeLessThan(d.layout.yaxis.domain[0]!);
}

test('metadata panel: a 1D ME previews its LS over the develop reference, the ratio below, log y, an LS slider with LS numbers', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${url()}?pipeline=cluster_charge&node=raw_cluster_charge_layer_1`);
  const preview = page.getByTestId('preview-histogram1d');
  const plot = page.getByTestId('histogram1d-plot');
  let d = await drawn(plot);
  const h = charge(1);
  expect(d.data.map((t) => t.name)).toEqual(["Reference (mean of 20 develop LS (task 'e2e'))", 'LS / reference', 'Run 357000, LS 1']);
  expect(d.data[2]!.y).toEqual(Array.from(h.values.subarray(0, 100)));
  expectRatio(d, h.entries[0]!, 1);
  expect(d.layout.yaxis.type).toBe('linear');
  await expect(page.getByTestId('ls-label')).toContainText('run 357000 · LS 1 ·');
  await page.screenshot({ path: shot('hist-01-preview-1d') });

  await page.getByTestId('log-y').check();
  await expect.poll(async () => (await drawn(plot)).layout.yaxis.type).toBe('log');

  // the slider's 10th position is LS 10, its bins fetched as binary
  const maps: string[] = [];
  page.on('response', (r) => r.url().includes('/map?') && maps.push(`${r.status()} ${r.headers()['content-type']}`));
  await page.getByTestId('ls-slider').fill('9');
  await expect(preview).toHaveAttribute('data-lumi', '10');
  await expect(page.getByTestId('ls-label')).toContainText('run 357000 · LS 10 ·');
  await expect.poll(async () => (await drawn(plot)).data[2]!.name).toBe('Run 357000, LS 10');
  d = await drawn(plot);
  expect(d.data[2]!.y).toEqual(Array.from(h.values.subarray(900, 1000)));
  expectRatio(d, h.entries[9]!, 1);
  expect(d.layout.yaxis.type).toBe('log');
  expect(new Set(maps)).toEqual(new Set(['200 application/octet-stream']));
  await page.screenshot({ path: shot('hist-02-preview-1d-log-ls10') });

  // the reference dataset of the cluster_charge pipeline previews too (itself, one LS)
  await page.goto(`${url()}?pipeline=cluster_charge&node=cluster_charge.layer_1.reference`);
  await expect(page.getByTestId('preview-histogram1d')).toBeVisible();
  expect(errors).toEqual([]);
});

async function openPlots(page: Page, query: string) {
  await page.goto(`${url()}plots?${query}`);
  await expect(page.getByTestId('timeseries-plot')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
}

function csv(file: string): Array<Record<string, string>> {
  const [head, ...lines] = fs.readFileSync(path.join(dir(), file), 'utf8').trim().split('\n');
  const names = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, k) => [names[k]!, v.replace(/^"(.*)"$/, '$1')])));
}

test('/plots: a 1D ME in the LS panel (reference and ratio), the working point and the labelled-bad bands on a score plot', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await openPlots(page, 'layer=1&variable=strategy_pca&run=357000&lumi=25&hist=raw_cluster_charge_layer_1');
  const panel = page.getByTestId('ls-panel');
  await expect(panel).toHaveAttribute('data-dims', '1');
  await expect(page.getByTestId('plots-hist')).toHaveValue('raw_cluster_charge_layer_1');
  const h = charge(1);
  const d = await drawn(page.getByTestId('ls-histogram'));
  expect(d.data[2]!.y).toEqual(Array.from(h.values.subarray(2400, 2500)));
  expectRatio(d, h.entries[24]!, 1);
  await expect(panel).toContainText("reference: mean of 20 develop LS (task 'e2e')");
  await page.getByTestId('ls-log-y').check();
  await expect.poll(async () => (await drawn(page.getByTestId('ls-histogram'))).layout.yaxis.type).toBe('log');

  // the score plot: a dashed line at pca's working point on layer 1, bands at the labelled LS
  const ts = await drawn(page.getByTestId('timeseries-plot'));
  const threshold = Number(csv('data/07_model_output/strategy_pca/predictions.csv').find((r) => r.layer === '1')!.threshold);
  const line = ts.layout.shapes!.filter((s) => s.name === 'Working point');
  expect(line).toHaveLength(1);
  expect(line[0]!.y0).toBeCloseTo(threshold, 9);
  const labelled = new Set(csv('data/01_raw/labels.csv').filter((l) => l.layer === '1').map((l) => Number(l.lumi)));
  const bands = ts.layout.shapes!.filter((s) => s.type === 'rect');
  expect(bands.length).toBeGreaterThan(0);
  const covered = new Set(bands.flatMap((b) => Array.from({ length: Math.round(b.x1 - b.x0) }, (_, k) => b.x0 + 0.5 + k)));
  expect(covered).toEqual(labelled);
  await page.screenshot({ path: shot('hist-03-plots-1d-ls-threshold-bands'), fullPage: true });

  // no label set: no bands; back to the maps
  await page.getByTestId('plots-labels').selectOption('none');
  await expect.poll(async () => (await drawn(page.getByTestId('timeseries-plot'))).layout.shapes!.filter((s) => s.type === 'rect').length).toBe(0);
  await expect(page).toHaveURL(/labels=none/);
  await page.getByTestId('plots-hist').selectOption('preprocessed_raw_pixel_layer_1');
  await expect(panel).toHaveAttribute('data-dims', '2');
  for (const id of ['ls-map', 'ls-reference', 'ls-residual']) await expect(page.getByTestId(id)).toHaveAttribute('data-ready', 'true');
  expect(errors).toEqual([]);
});

test('/plots: the comparison table per layer, label set and anomaly type shows the evaluation figures', async ({ page }) => {
  await openPlots(page, 'layer=1&variable=mean');
  const table = page.getByTestId('comparison-table');
  const metrics = csv('data/08_reporting/strategies/metrics.csv');
  const check = async (layer: string) => {
    const rows = metrics.filter((m) => m.layer === layer);
    await expect(table.locator('tbody tr')).toHaveCount(rows.length);
    for (const m of rows.filter((r) => r.strategy === 'pca' || r.strategy === 'mean_distance')) {
      const row = table.locator(`tbody tr[data-strategy="strategy_${m.strategy}"][data-type="${m.anomaly_type}"]`);
      await expect(row.getByTestId('auc')).toHaveText(m.auc === '' ? '—' : Number(m.auc).toFixed(3));
    }
  };
  await check('all');
  // a row per anomaly type the labels have on the apply LS, under each strategy
  const types = [...new Set(metrics.filter((m) => m.layer === 'all' && m.anomaly_type !== 'any').map((m) => m.anomaly_type))];
  expect(types.length).toBeGreaterThan(0);
  for (const t of types) await expect(table.locator(`tbody tr[data-type="${t}"]`)).toHaveCount(metrics.filter((m) => m.layer === 'all' && m.anomaly_type === t).length);
  await page.getByTestId('comparison-layer').selectOption('2');
  await check('2');
  await table.scrollIntoViewIfNeeded();
  await page.screenshot({ path: shot('hist-04-comparison-per-type'), fullPage: true });
});

/** RGBA at bins (row 0 = lowest y) of what is drawn: Plotly's heatmap image or our step canvas (both one pixel a bin). */
async function binColours(page: Page, source: 'plotly' | 'canvas', bins: Array<[number, number]>): Promise<number[][]> {
  return page.getByTestId('heatmap-plot').evaluate(
    async (el, { source, bins }) => {
      const ny = (el as unknown as { data: Array<{ z: number[][] }> }).data[0]!.z.length;
      const c = document.createElement('canvas');
      const ctx = c.getContext('2d')!;
      if (source === 'canvas') {
        const drawnCanvas = el.parentElement!.querySelector('[data-testid=heatmap-canvas]') as HTMLCanvasElement;
        c.width = drawnCanvas.width;
        c.height = drawnCanvas.height;
        ctx.drawImage(drawnCanvas, 0, 0);
      } else {
        const img = new Image();
        img.src = el.querySelector('image')!.getAttribute('href')!;
        await img.decode();
        c.width = img.naturalWidth;
        c.height = img.naturalHeight;
        ctx.drawImage(img, 0, 0);
      }
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      return bins.map(([r, col]) => {
        const i = ((ny - 1 - r) * c.width + col) * 4;
        return [d[i]!, d[i + 1]!, d[i + 2]!, d[i + 3]!];
      });
    },
    { source, bins },
  );
}

/** Share of the plot area's screen pixels that differ between two screenshots of the plot. */
async function screenChange(page: Page, a: Buffer, b: Buffer): Promise<number> {
  const area = await page.getByTestId('heatmap-plot').evaluate((el) => (el as unknown as { _fullLayout: { _size: { l: number; t: number; w: number; h: number } } })._fullLayout._size);
  const images = [a, b].map((bytes) => ({ bytes, mime: 'image/png' }));
  return (await pixelDifference(page, images, { x: area.l + 1, y: area.t + 1, width: area.w - 2, height: area.h - 2 })).share;
}

test('metadata panel: a heatmap LS step draws the new map at once in Plotly colours, then Plotly redraws the figure once the steps settle', async ({ page }) => {
  const errors: string[] = [];
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  await page.goto(`${url()}?node=preprocessed_raw_pixel_layer_1`);
  const plot = page.getByTestId('heatmap-plot');
  await expect(plot).toHaveAttribute('data-plotted-ls', '0', { timeout: 30_000 });
  // The maps of LS 0 and 1 as the server sends them (200 rows of 300 bins, float32).
  const map = async (ls: number) => new Float32Array(await (await authFetch(`${url()}api/nodes/preprocessed_raw_pixel_layer_1/map?ls=${ls}`)).arrayBuffer());
  const [m0, m1] = [await map(0), await map(1)];
  const nx = 300;
  const norm = (m: Float32Array) => {
    const lo = Math.min(...m);
    const hi = Math.max(...m);
    return (i: number) => (m[i]! - lo) / (hi - lo);
  };
  const [t0, t1] = [norm(m0), norm(m1)];
  // Known bins: LS 1's hottest (Viridis top, #fde725) and coldest (#440154) bins, and the bin whose colour moves most from LS 0 to LS 1.
  let hot = 0;
  let cold = 0;
  let moved = 0;
  for (let i = 0; i < m1.length; i++) {
    if (m1[i]! > m1[hot]!) hot = i;
    if (m1[i]! < m1[cold]!) cold = i;
    if (Math.abs(t1(i) - t0(i)) > Math.abs(t1(moved) - t0(moved))) moved = i;
  }
  const bins = [hot, cold, moved].map((i) => [Math.floor(i / nx), i % nx] as [number, number]);
  const before = await plot.screenshot();
  const plotly0 = await binColours(page, 'plotly', bins);

  await page.getByTestId('ls-slider').fill('1');
  await expect(page.getByTestId('preview-heatmap')).toHaveAttribute('data-ls', '1');
  await expect(page.getByTestId('preview-heatmap')).toHaveAttribute('data-step-ms', /^\d+$/);
  // The step's canvas: LS 1's map in Viridis over its own range.
  const drawnAtStep = await binColours(page, 'canvas', bins);
  expect(drawnAtStep[0]).toEqual([253, 231, 37, 255]);
  expect(drawnAtStep[1]).toEqual([68, 1, 84, 255]);
  // Then Plotly's own figure for LS 1: the same colours bin for bin, title and colour bar redrawn, the canvas hidden.
  await expect(plot).toHaveAttribute('data-plotted-ls', '1');
  const plotly1 = await binColours(page, 'plotly', bins);
  expect(plotly1).toEqual(drawnAtStep);
  // Every bin, not only those three: the canvas is Plotly's image pixel for pixel.
  const everyBin = Array.from({ length: m1.length }, (_, i) => [Math.floor(i / nx), i % nx] as [number, number]);
  const [allCanvas, allPlotly] = [await binColours(page, 'canvas', everyBin), await binColours(page, 'plotly', everyBin)];
  expect(allCanvas.filter((c, i) => c.join() !== allPlotly[i]!.join()).length).toBe(0);
  await expect(page.getByTestId('heatmap-canvas')).toBeHidden();
  await expect(plot.locator('.gtitle')).toHaveText(/run 357000 LS 2$/);
  const dist = (a: number[], b: number[]) => Math.abs(a[0]! - b[0]!) + Math.abs(a[1]! - b[1]!) + Math.abs(a[2]! - b[2]!);
  expect(dist(plotly1[2]!, plotly0[2]!)).toBeGreaterThan(60);
  // And on screen the map changed (14% of the plot area here: its dark part hardly moves).
  expect(await screenChange(page, before, await plot.screenshot())).toBeGreaterThan(0.05);
  // The URL follows once the steps settle.
  await expect(page).toHaveURL(/ls=1/);
  await page.screenshot({ path: shot('hist-05-heatmap-ls-step') });
  expect(errors).toEqual([]);
});
