import fs from 'node:fs';
import { chromium } from '@playwright/test';
import { syntheticGraph } from '../lib/viz/synthetic';
import { modularPipelineIds } from '../lib/viz/visible-graph';
import { startViz } from './ui-server';
const g = syntheticGraph(1000);
fs.writeFileSync('/tmp/syn1000.json', JSON.stringify(g));
const viz = await startViz(['--load-file', '/tmp/syn1000.json']);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
await page.addInitScript(() => {
  const marks: Record<string, number> = {};
  (window as any).__marks = marks;
  const obs = new MutationObserver(() => {
    const n = document.querySelectorAll('.react-flow__node-viz').length;
    const e = document.querySelectorAll('.react-flow__edge').length;
    if (n > 0 && !marks.firstNodes) marks.firstNodes = performance.now();
    if (n > 900 && !marks.nodes900) marks.nodes900 = performance.now();
    if (e > 0 && !marks.firstEdges) marks.firstEdges = performance.now();
    if (e > 1100 && !marks.edges1100) marks.edges1100 = performance.now();
  });
  document.addEventListener('DOMContentLoaded', () => obs.observe(document.body, { childList: true, subtree: true }));
});
await page.goto(`${viz.url}?expanded=${modularPipelineIds(g).join(',')}`);
await page.waitForFunction(() => document.querySelectorAll('.react-flow__edge').length > 1100, undefined, { timeout: 60000 });
await page.waitForTimeout(300);
const res = await page.evaluate(() => ({ marks: (window as any).__marks, api: performance.getEntriesByType('resource').filter((r) => r.name.includes('/api/')).map((r) => [r.name.slice(-20), Math.round(r.startTime), Math.round(r.responseEnd)]), nav: Math.round((performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).domContentLoadedEventEnd), layout: (window as any).__dqmViz }));
console.log(JSON.stringify(res));
const client = await page.context().newCDPSession(page);
await client.send('Profiler.enable');
await client.send('Profiler.start');
await page.reload();
await page.waitForFunction(() => document.querySelectorAll('.react-flow__edge').length > 1100, undefined, { timeout: 60000 });
const { profile } = await client.send('Profiler.stop');
// self time per function
const self = new Map<string, number>();
const byId = new Map(profile.nodes.map((n: any) => [n.id, n]));
const dt = profile.timeDeltas!; const samples = profile.samples!;
for (let i = 0; i < samples.length; i++) { const n: any = byId.get(samples[i]); const k = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`; self.set(k, (self.get(k) ?? 0) + (dt[i] ?? 0) / 1000); }
console.log([...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `${v.toFixed(0).padStart(6)} ms ${k}`).join('\n'));
await browser.close();
await viz.stop();
