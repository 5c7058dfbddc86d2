import fs from 'node:fs';
import { chromium } from '@playwright/test';
import { syntheticGraph } from '../lib/viz/synthetic';
import { modularPipelineIds } from '../lib/viz/visible-graph';
import { startViz } from './ui-server';
const g = syntheticGraph(2500);
fs.writeFileSync('/tmp/syn.json', JSON.stringify(g));
const viz = await startViz(['--load-file', '/tmp/syn.json']);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
for (const variant of ['normal', 'nolabel', 'noedgepaths', 'normal', 'nolabel', 'noedgepaths']) {
  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  if (variant === 'nolabel') await page.addInitScript(() => document.addEventListener('DOMContentLoaded', () => { const s = document.createElement('style'); s.textContent = '.viz-node .label,.viz-node .icon,.react-flow__handle{display:none!important}'; document.head.appendChild(s); }));
  if (variant === 'noedgepaths') await page.addInitScript(() => document.addEventListener('DOMContentLoaded', () => { const s = document.createElement('style'); s.textContent = '.react-flow__edges{display:none!important}.react-flow__minimap{display:none!important}'; document.head.appendChild(s); }));
  const t0 = Date.now();
  await page.goto(`${viz.url}?expanded=${modularPipelineIds(g).join(',')}`);
  await page.waitForFunction(() => document.querySelectorAll('.react-flow__edge').length > 2900 && document.querySelector('[data-layout=ready]'), undefined, { timeout: 60000, polling: 16 });
  console.log(variant, Date.now() - t0);
  await page.close();
}
await browser.close();
await viz.stop();
