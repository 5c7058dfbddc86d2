/**
 * Kedro-Viz in the same chromium, for bench:ui's side-by-side figures: the npm package
 * @quantumblack/kedro-viz (a React 17 component library) installed with npm into a cache folder
 * outside the project's dependencies, bundled with esbuild (tsx's own), served with the same
 * JSON at /api/main (its `data="json"` mode fetches it, as `kedro viz` serves it).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Page } from '@playwright/test';

export const VERSION = '6.5.0';
// The package requires lodash/* and uuid without declaring them.
const PACKAGES = [`@quantumblack/kedro-viz@${VERSION}`, 'react@17.0.2', 'react-dom@17.0.2', 'lodash@4.17.21', 'uuid@8.3.2'];

/** The bundle's folder (index.html, app.js, app.css), built once per cache folder. */
export function prepareKedroViz(cache: string, repo: string): string {
  const out = path.join(cache, `out-${VERSION}`);
  if (fs.existsSync(path.join(out, 'app.js'))) return out;
  fs.mkdirSync(cache, { recursive: true });
  fs.writeFileSync(path.join(cache, 'package.json'), JSON.stringify({ name: 'kedro-viz-bench', private: true }));
  console.log(`installing ${PACKAGES.join(' ')} into ${cache} (once)…`);
  const npm = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-save', ...PACKAGES], { cwd: cache, stdio: 'inherit' });
  if (npm.status !== 0) throw new Error(`npm install of Kedro-Viz failed (exit ${npm.status})`);
  fs.writeFileSync(path.join(cache, 'entry.jsx'), "import React from 'react';\nimport ReactDOM from 'react-dom';\nimport KedroViz from '@quantumblack/kedro-viz';\nReactDOM.render(<KedroViz data=\"json\" />, document.getElementById('root'));\n");
  const esbuild = path.join(repo, 'node_modules', '.bin', 'esbuild');
  const b = spawnSync(esbuild, ['entry.jsx', '--bundle', '--minify', `--outfile=${path.join(out, 'app.js')}`, '--loader:.js=jsx', '--define:process.env.NODE_ENV="production"', '--define:global=window', '--log-level=warning'], { cwd: cache, stdio: 'inherit' });
  if (b.status !== 0) throw new Error(`bundling Kedro-Viz failed (exit ${b.status})`);
  fs.writeFileSync(path.join(out, 'index.html'), '<!doctype html><html><head><meta charset="utf-8"><link rel="stylesheet" href="/app.css"><style>html,body,#root{height:100%;margin:0}</style></head><body><div id="root"></div><script src="/app.js"></script></body></html>');
  return out;
}

/** Serves the bundle and `json` at /api/main on a free port. */
export async function serveKedroViz(out: string, json: string): Promise<{ url: string; close(): Promise<void> }> {
  const files: Record<string, [string, string]> = { '/': ['index.html', 'text/html'], '/app.js': ['app.js', 'text/javascript'], '/app.css': ['app.css', 'text/css'] };
  const server = http.createServer((req, res) => {
    const p = (req.url ?? '/').split('?')[0]!;
    if (p === '/api/main') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(json);
      return;
    }
    const f = files[p];
    if (!f) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': f[1] });
    fs.createReadStream(path.join(out, f[0])).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/**
 * Navigation to Kedro-Viz's graph drawn: its node groups (`g.pipeline-node`) in the SVG, the
 * time of the last change of their count and positions (it lays out in a worker, then
 * transitions), once stable for 1.5 s. Above 1,000 nodes it first asks whether to render; the
 * answer is clicked at once.
 */
export async function timeKedroViz(page: Page, url: string): Promise<{ ms: number; nodes: number }> {
  await page.goto('about:blank');
  const t0 = Date.now();
  await page.goto(url);
  const r = await page.waitForFunction(
    (start) => {
      const w = window as unknown as { __kv?: { sig: string; at: number } };
      // Above 1,000 nodes Kedro-Viz asks first; a user clicks "Render it anyway" (counted in the time).
      const anyway = [...document.querySelectorAll('button')].find((b) => b.textContent?.includes('Render it anyway'));
      if (anyway) anyway.click();
      const nodes = document.querySelectorAll('g.pipeline-node');
      if (!nodes.length) return false;
      const sig = `${nodes.length}:${nodes[0]!.getAttribute('transform')}:${nodes[nodes.length - 1]!.getAttribute('transform')}`;
      const now = Date.now();
      if (!w.__kv || w.__kv.sig !== sig) w.__kv = { sig, at: now };
      return now - w.__kv.at > 1500 ? { ms: w.__kv.at - start, nodes: nodes.length } : false;
    },
    t0,
    { timeout: 180_000, polling: 16 },
  );
  return (await r.jsonValue()) as { ms: number; nodes: number };
}
