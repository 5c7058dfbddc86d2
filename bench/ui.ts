/**
 * `npm run bench:ui`: navigation -> every node rendered and laid out, in headless Debian
 * chromium, for synthetic pipelines of 200, 1,000 and 2,500 nodes served by the real
 * `dqm viz --load-file`. Prints figures (targets: 1,000 nodes < 1.5 s, 2,500 < 4 s). Also the
 * cold start of `dqm viz` (process start to first 200 of /api/main).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { syntheticGraph } from '../lib/viz';
import { modularPipelineIds } from '../lib/graph';
import { startViz } from '../e2e/viz-server.fixtures';

const SIZES = (process.env.BENCH_UI_SIZES ?? '200,1000,2500').split(',').map(Number);
const RUNS = Number(process.env.BENCH_UI_RUNS ?? 3);

async function timeToRendered(page: Page, url: string): Promise<{ ms: number; layoutMs: number; nodes: number; edges: number }> {
  await page.goto('about:blank');
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForFunction(
    () => {
      const fc = document.querySelector('[data-testid=flowchart]');
      if (!fc || fc.getAttribute('data-layout') !== 'ready') return false;
      const want = Number(fc.getAttribute('data-nodes'));
      const wantEdges = Number(fc.getAttribute('data-edges'));
      const nodes = document.querySelectorAll('.react-flow__node-viz').length;
      const edges = document.querySelectorAll('.react-flow__edge').length;
      return want > 0 && nodes === want && edges === wantEdges;
    },
    undefined,
    { timeout: 120_000, polling: 16 },
  );
  const ms = Date.now() - t0;
  const fc = page.locator('[data-testid=flowchart]');
  const layoutMs = await page.evaluate(() => (window as unknown as { __dqmViz?: { layoutMs: number } }).__dqmViz?.layoutMs ?? -1);
  return { ms, layoutMs, nodes: Number(await fc.getAttribute('data-nodes')), edges: Number(await fc.getAttribute('data-edges')) };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-bench-ui-'));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const rows: string[] = [];
try {
  // Cold start on the repository's own project: process start -> first 200 of /api/main.
  const colds: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const viz = await startViz([]);
    colds.push(Math.round(viz.coldStartMs));
    await viz.stop();
  }
  rows.push(`cold start of dqm viz on the default project (spawn -> first 200 /api/main): median ${median(colds)} ms (runs: ${colds.join(', ')})`);
  console.log(rows.at(-1));
  for (const size of SIZES) {
    const graph = syntheticGraph(size);
    const file = path.join(dir, `synthetic-${size}.json`);
    fs.writeFileSync(file, JSON.stringify(graph));
    const viz = await startViz(['--load-file', file]);
    try {
      const page = await browser.newPage({ viewport: { width: 1600, height: 1000 }, extraHTTPHeaders: viz.headers });
      const all = modularPipelineIds(graph).join(',');
      for (const [label, query] of [
        ['all expanded', `?expanded=${all}`],
        ['default view', ''],
      ] as const) {
        const times: number[] = [];
        const layouts: number[] = [];
        let shape = { nodes: 0, edges: 0 };
        for (let i = 0; i < RUNS; i++) {
          const r = await timeToRendered(page, `${viz.url}${query}`);
          times.push(r.ms);
          layouts.push(r.layoutMs);
          shape = r;
        }
        rows.push(`${String(size).padStart(5)} nodes  ${label.padEnd(13)} drawn ${String(shape.nodes).padStart(5)} nodes / ${String(shape.edges).padStart(5)} edges   median ${String(median(times)).padStart(5)} ms   (runs: ${times.join(', ')}; layout in worker: ${layouts.join(', ')} ms)`);
        console.log(rows.at(-1));
      }
      rows.push(`${String(size).padStart(5)} nodes  cold start of dqm viz --load-file (spawn -> first 200 /api/main): ${Math.round(viz.coldStartMs)} ms`);
      console.log(rows.at(-1));
      await page.close();
    } finally {
      await viz.stop();
    }
  }
} finally {
  await browser.close();
  fs.rmSync(dir, { recursive: true, force: true });
}
console.log(`\nload average during the bench: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} (${os.cpus().length} cores)`);
console.log('\nbench:ui (navigation -> all nodes and edges rendered, laid out)\n' + rows.join('\n'));
