import fs from 'node:fs';
import { chromium } from '@playwright/test';
import { syntheticGraph } from '../lib/viz/synthetic';
import { modularPipelineIds } from '../lib/viz/visible-graph';
import { startViz } from './ui-server';
const g = syntheticGraph(2500);
fs.writeFileSync('/tmp/syn.json', JSON.stringify(g));
const viz = await startViz(['--load-file', '/tmp/syn.json']);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
for (let i = 0; i < 3; i++) {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.addInitScript(() => {
    const marks: Record<string, number> = {};
    (window as any).__marks = marks;
    const obs = new MutationObserver(() => {
      const n = document.querySelectorAll('.react-flow__node-viz').length;
      const e = document.querySelectorAll('.react-flow__edge').length;
      if (document.querySelector('[data-testid=flowchart]') && !marks.shell) marks.shell = performance.now();
      if (n > 0 && !marks.nodes) marks.nodes = performance.now();
      if (e > 0 && !marks.edges) marks.edges = performance.now();
      if (e > 2900 && !marks.alledges) marks.alledges = performance.now();
    });
    document.addEventListener('DOMContentLoaded', () => obs.observe(document.body, { childList: true, subtree: true }));
  });
  await page.goto(`${viz.url}?expanded=${modularPipelineIds(g).join(',')}`);
  await page.waitForFunction(() => document.querySelectorAll('.react-flow__edge').length > 2900, undefined, { timeout: 60000 });
  const res = await page.evaluate(() => ({ m: Object.fromEntries(Object.entries((window as any).__marks).map(([k, v]) => [k, Math.round(v as number)])), api: performance.getEntriesByType('resource').filter((r) => r.name.includes('/api/') || r.name.endsWith('.js')).map((r) => `${r.name.split('/').pop()!.slice(0, 18)} ${Math.round(r.startTime)}-${Math.round(r.responseEnd)}`), dcl: Math.round((performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd), layout: (window as any).__dqmViz }));
  console.log(JSON.stringify(res));
  await page.close();
}
await browser.close();
await viz.stop();
