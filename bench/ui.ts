/**
 * `npm run bench:ui`: the dashboard beside Kedro-Viz, in one run, in the same headless Debian
 * chromium, on the same JSON. Printed figures, never a pass/fail (the CPU is shared: medians).
 *
 * - navigation -> first view drawn (laid out, the nodes on screen in the DOM), ours and
 *   Kedro-Viz's (its SVG nodes drawn and still), for Kedro-Viz's demo export and its
 *   "largeDataset" (2,061 nodes with a 1,000-node fan-out; generated: lib/viz/synthetic.ts),
 *   collapsed and expanded; with where the time goes (page boot, /api/main, layout, drawing);
 * - a heatmap LS step (slider move -> new map drawn), from the panel's data-step-ms;
 * - `dqm viz` cold start: process start -> first 200 of /api/main.
 *
 * BENCH_UI_RUNS (default 3), BENCH_UI_SKIP_KEDRO_VIZ=1, BENCH_UI_CACHE (Kedro-Viz install),
 * BENCH_UI_ONLY=heatmap (only the heatmap LS step), BENCH_UI_SHOT=file.png (a screenshot of the
 * preview at LS 40: the step's map, before Plotly redraws; *-settled.png: after), DQM_SHARED (the shared data folder, default ../shared).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { largeKedroVizGraph } from '../lib/viz';
import { modularPipelineIds } from '../lib/graph';
import { REPO, startViz } from '../e2e/viz-server.fixtures';
import { prepareKedroViz, serveKedroViz, timeKedroViz, VERSION } from './kedro-viz-side';
import { sharedPath } from '../tests/shared-data.fixtures';

const VERSION_LABEL = VERSION;

const RUNS = Number(process.env.BENCH_UI_RUNS ?? 3);
const ONLY_HEATMAP = process.env.BENCH_UI_ONLY === 'heatmap';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rows: string[] = [];
const say = (line: string) => {
  rows.push(line);
  console.log(line);
};

interface Ours {
  ms: number;
  nodes: number;
  boot: number;
  main: number;
  layout: number;
  /** performance.now() marks: graph in the store, layout back from the worker, first frame drawn. */
  graph: number;
  laidOut: number;
  drawnAt: number;
}

/** Navigation -> our first view drawn, and its parts: DOMContentLoaded, /api/main answered, layout in the worker. */
async function timeOurs(page: Page, url: string): Promise<Ours> {
  await page.goto('about:blank');
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForFunction(
    () => {
      const fc = document.querySelector('[data-testid=flowchart]');
      if (!fc || fc.getAttribute('data-layout') !== 'ready') return false;
      const want = Number(fc.getAttribute('data-nodes'));
      const drawn = document.querySelectorAll('.react-flow__node-viz').length;
      return want > 0 && (drawn === want || (want > 300 && drawn > 0));
    },
    undefined,
    { timeout: 120_000, polling: 16 },
  );
  const ms = Date.now() - t0;
  const parts = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    const main = performance.getEntriesByType('resource').find((e) => /api\/(main|pipelines)/.test(e.name)) as PerformanceResourceTiming | undefined;
    const viz = (window as unknown as { __dqmViz?: { layoutMs: number } }).__dqmViz;
    const marks = ['dqm:graph', 'dqm:layout', 'dqm:drawn'].map((n) => Math.round(performance.getEntriesByName(n).at(-1)?.startTime ?? -1));
    return { boot: nav?.domContentLoadedEventEnd ?? -1, main: main?.responseEnd ?? -1, layout: viz?.layoutMs ?? -1, graph: marks[0]!, laidOut: marks[1]!, drawnAt: marks[2]!, nodes: Number(document.querySelector('[data-testid=flowchart]')!.getAttribute('data-nodes')) };
  });
  return { ms, ...parts };
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-bench-ui-'));
try {
  let kv: string | null = null;
  if (process.env.BENCH_UI_SKIP_KEDRO_VIZ !== '1' && !ONLY_HEATMAP) {
    try {
      kv = prepareKedroViz(process.env.BENCH_UI_CACHE ?? path.join(os.homedir(), '.cache', 'dqm-bench-kedro-viz'), REPO);
    } catch (error) {
      say(`Kedro-Viz side skipped: ${(error as Error).message}`);
    }
  }
  const large = path.join(dir, 'large-dataset.json');
  const largeGraph = largeKedroVizGraph();
  fs.writeFileSync(large, JSON.stringify(largeGraph));
  const cases = [
    { label: 'demo.mock.json (214 nodes), default view', file: sharedPath('data/kedro-viz/demo.mock.json'), ours: '', kv: '' },
    { label: 'largeDataset (2,061 nodes) collapsed', file: large, ours: '', kv: '' },
    { label: 'largeDataset (2,061 nodes) expanded', file: large, ours: `?expanded=${modularPipelineIds(largeGraph).join(',')}`, kv: '?expandAllPipelines=true' },
    { label: 'largeDataset expanded, fan-out drawn node by node', file: large, ours: `?expanded=${modularPipelineIds(largeGraph).join(',')}&unstack=ingestion.prm_spine_table`, kv: null },
  ];
  // Kedro-Viz's expanded view draws every node of the fan-out: the like-for-like figure for ours unstacked.
  let kvExpanded: number | undefined;
  for (const c of ONLY_HEATMAP ? [] : cases) {
    const viz = await startViz(['--load-file', c.file]);
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, extraHTTPHeaders: viz.headers });
    const ours: Ours[] = [];
    for (let i = 0; i < RUNS; i++) ours.push(await timeOurs(page, `${viz.url}${c.ours}`));
    await page.close();
    await viz.stop();
    const m = (k: keyof Ours) => median(ours.map((o) => o[k]));
    let kvText = '';
    if (kv && c.kv !== null) {
      const server = await serveKedroViz(kv, fs.readFileSync(c.file, 'utf8'));
      const kpage = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
      const times: number[] = [];
      let nodes = 0;
      for (let i = 0; i < RUNS; i++) {
        const r = await timeKedroViz(kpage, `${server.url}${c.kv}`);
        times.push(r.ms);
        nodes = r.nodes;
      }
      const boot = await kpage.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd);
      await kpage.close();
      await server.close();
      kvText = ` | Kedro-Viz ${VERSION_LABEL} median ${median(times)} ms (${nodes} nodes drawn; runs ${times.join(', ')}; page boot ${Math.round(boot)} ms) -> ${(median(times) / m('ms')).toFixed(1)}x`;
      if (c.kv.includes('expandAll')) kvExpanded = median(times);
    } else if (c.kv === null && kvExpanded !== undefined) {
      kvText = ` | vs Kedro-Viz expanded (all nodes drawn) ${kvExpanded} ms -> ${(kvExpanded / m('ms')).toFixed(1)}x`;
    }
    say(`${c.label.padEnd(52)} first run (fresh server, cold browser cache) ${ours[0]!.ms} ms`);
    say(`${c.label.padEnd(52)} ours median ${m('ms')} ms (${m('nodes')} nodes; runs ${ours.map((o) => o.ms).join(', ')}; page boot (DOMContentLoaded) ${Math.round(m('boot'))} ms, /api/main answered ${Math.round(m('main'))} ms, graph in the page ${m('graph')} ms, laid out ${m('laidOut')} ms (${m('layout')} ms in the worker), drawn ${m('drawnAt')} ms)${kvText}`);
  }

  // A heatmap LS step, on a project with simulated data.
  const proj = path.join(dir, 'project');
  for (const f of ['conf', 'pipelines']) fs.cpSync(path.join(REPO, f), path.join(proj, f), { recursive: true });
  fs.copyFileSync(path.join(REPO, 'package.json'), path.join(proj, 'package.json'));
  for (const f of ['lib', 'node_modules']) fs.symlinkSync(path.join(REPO, f), path.join(proj, f));
  for (const args of [['simulate', '--lumisections', '60'], ['run', '--pipeline', 'data_processing']]) {
    const r = spawnSync(process.execPath, [path.join(REPO, 'bin/dqm.js'), ...args], { cwd: proj, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`dqm ${args.join(' ')} failed: ${r.stderr}`);
  }
  const viz = await startViz([], { cwd: proj });
  const colds: number[] = [Math.round(viz.coldStartMs)];
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, extraHTTPHeaders: viz.headers });
    await page.goto(`${viz.url}?node=preprocessed_raw_pixel_layer_1&pipeline=data_processing`);
    await page.getByTestId('heatmap-plot').and(page.locator('[data-ready=true]')).waitFor();
    const steps: number[] = [];
    for (let ls = 1; ls <= 30; ls++) {
      await page.getByTestId('ls-slider').fill(String(ls));
      await page.waitForFunction((want) => document.querySelector('[data-testid=preview-heatmap]')?.getAttribute('data-ls') === String(want), ls);
      await page.waitForTimeout(60);
      steps.push(Number(await page.getByTestId('preview-heatmap').getAttribute('data-step-ms')));
    }
    say(`heatmap LS step (slider -> map drawn, 200x300, maps prefetched as float32): median ${median(steps)} ms, max ${Math.max(...steps)} ms over ${steps.length} steps`);
    // A single step to the whole figure redrawn by Plotly (colour bar ticks, hover values), quiet time included.
    const settled: number[] = [];
    const preview = page.getByTestId('preview-heatmap');
    for (let ls = 31; ls <= 40; ls++) {
      await page.getByTestId('ls-slider').fill(String(ls));
      await page.waitForFunction((want) => document.querySelector('[data-testid=heatmap-plot]')?.getAttribute('data-plotted-ls') === String(want), ls);
      if (ls === 40 && process.env.BENCH_UI_SHOT) await preview.screenshot({ path: process.env.BENCH_UI_SHOT.replace(/\.png$/, '-settled.png') });
      settled.push(Number(await preview.getAttribute('data-settled-ms')));
      // The next step: its map (drawn at once), shot before the figure settles.
      if (ls === 39 && process.env.BENCH_UI_SHOT) {
        await page.getByTestId('ls-slider').fill('40');
        await page.waitForFunction(() => document.querySelector('[data-testid=preview-heatmap]')?.getAttribute('data-ls') === '40');
        await preview.screenshot({ path: process.env.BENCH_UI_SHOT });
        await page.getByTestId('ls-slider').fill('39');
        await page.waitForFunction(() => document.querySelector('[data-testid=heatmap-plot]')?.getAttribute('data-plotted-ls') === '39');
      }
    }
    say(`heatmap LS step to the whole figure redrawn (colour bar, hover; once the steps settle): median ${median(settled)} ms, max ${Math.max(...settled)} ms over ${settled.length} steps`);
  } finally {
    await viz.stop();
  }
  for (let i = 1; i < (ONLY_HEATMAP ? 0 : RUNS); i++) {
    const v = await startViz([], { cwd: proj });
    colds.push(Math.round(v.coldStartMs));
    await v.stop();
  }
  say(`dqm viz cold start on a project (spawn -> first 200 of /api/main): median ${median(colds)} ms (runs: ${colds.join(', ')})`);
  // What a user waits for: spawn -> the first view drawn in a fresh browser context (the page
  // asked for as soon as /api/main answers, as the opener does, while Next may still be loading).
  const firstViews: number[] = [];
  for (let i = 0; i < (ONLY_HEATMAP ? 0 : RUNS); i++) {
    const t0 = performance.now();
    const v = await startViz([], { cwd: proj });
    const ctx = await browser.newContext({ viewport: { width: 1600, height: 1000 }, extraHTTPHeaders: v.headers });
    const page = await ctx.newPage();
    await page.goto(v.url);
    await page.waitForFunction(() => document.querySelector('[data-testid=flowchart]')?.getAttribute('data-layout') === 'ready' && document.querySelectorAll('.react-flow__node-viz').length > 0, undefined, { timeout: 60_000, polling: 16 });
    firstViews.push(Math.round(performance.now() - t0));
    await ctx.close();
    await v.stop();
  }
  if (!ONLY_HEATMAP) say(`dqm viz cold start on a project to the first view drawn (spawn -> graph on screen, fresh browser context): median ${median(firstViews)} ms (runs: ${firstViews.join(', ')})`);
} finally {
  await browser.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
console.log(`\nload average during the bench: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (${os.cpus().length} cores)`);
console.log('\nbench:ui (navigation -> first view drawn; Kedro-Viz in the same chromium on the same JSON)\n' + rows.join('\n'));
