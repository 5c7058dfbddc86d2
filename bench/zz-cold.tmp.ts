import { chromium } from '@playwright/test';
import { startViz } from '../e2e/viz-server.fixtures';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
for (let i = 0; i < 3; i++) {
  const t0 = performance.now();
  const viz = await startViz(['--load-file', '/work/shared/data/kedro-viz/demo.mock.json']);
  while (!viz.output().includes('Dashboard ready')) await new Promise((r) => setTimeout(r, 10));
  const t1 = performance.now();
  const ctx = await browser.newContext({ viewport: { width: 1600, height: 1000 }, extraHTTPHeaders: viz.headers });
  const page = await ctx.newPage();
  await page.goto(viz.url);
  await page.waitForFunction(() => document.querySelector('[data-testid=flowchart]')?.getAttribute('data-layout') === 'ready' && document.querySelectorAll('.react-flow__node-viz').length > 0, undefined, { polling: 16 });
  const t2 = performance.now();
  const parts = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
    const res = performance.getEntriesByType('resource').map((e) => `${e.name.split('/').pop()!.slice(0, 20)} ${Math.round(e.startTime)}-${Math.round((e as PerformanceResourceTiming).responseEnd)}`);
    const marks = ['dqm:graph', 'dqm:layout', 'dqm:drawn'].map((n) => Math.round(performance.getEntriesByName(n).at(-1)?.startTime ?? -1));
    return { fetch: Math.round(nav.fetchStart), connect: Math.round(nav.connectStart), req: Math.round(nav.requestStart), ttfb: Math.round(nav.responseStart), dcl: Math.round(nav.domContentLoadedEventEnd), marks, res: res.slice(-4) };
  });
  console.log(`spawn->ready ${Math.round(t1 - t0)} page ${Math.round(t2 - t1)}`, JSON.stringify(parts));
  await ctx.close(); await viz.stop();
}
await browser.close();
