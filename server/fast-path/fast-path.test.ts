import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { readHistogramSetFile, writeHistogramSetFile } from '../../lib/dqm';
import type { DataDetails, GraphJson } from '../../lib/graph';
import { REPO, startViz, type VizProcess } from '../../e2e/viz-server.fixtures';
import { forwardedPrefix, rewriteHtml } from '../base-path';

// The real `dqm viz --autoreload` on a temp copy of the default project with simulated data:
// the cached answers, their ETags and 304s, that an edit (pipeline code, a dataset's file)
// makes new ones, and build assets from memory.
let dir: string;
let viz: VizProcess;
const HSET = 'data/02_intermediate/preprocessed_raw_pixel_layer_1.h5';

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-fast-path-'));
  for (const f of ['conf', 'pipelines']) fs.cpSync(path.join(REPO, f), path.join(dir, f), { recursive: true });
  fs.copyFileSync(path.join(REPO, 'package.json'), path.join(dir, 'package.json'));
  for (const f of ['lib', 'node_modules']) fs.symlinkSync(path.join(REPO, f), path.join(dir, f));
  for (const args of [['simulate', '--lumisections', '12'], ['run', '--pipeline', 'data_processing']]) {
    const r = spawnSync(process.execPath, [path.join(REPO, 'bin/dqm.js'), ...args], { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`dqm ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  }
  viz = await startViz(['--autoreload'], { cwd: dir });
});

afterAll(async () => {
  await viz?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('cached API answers', () => {
  it('/api/main: an ETag, 304 to a matching If-None-Match, the same body again; gzip for browsers', async () => {
    // Node's fetch asks for gzip by default: ask for the body as is first.
    const identity = { 'accept-encoding': 'identity' };
    const first = await viz.fetch('api/main', { headers: identity });
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]{27}"$/);
    expect(first.headers.get('cache-control')).toBe('no-cache');
    const body = await first.text();
    expect((JSON.parse(body) as GraphJson).nodes.some((n) => n.id === 'layer_1.compute_mean_image')).toBe(true);

    const again = await viz.fetch('api/main', { headers: { ...identity, 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    const other = await viz.fetch('api/main', { headers: { ...identity, 'if-none-match': '"something-else"' } });
    expect(other.status).toBe(200);
    expect(await other.text()).toBe(body);

    // Compressed in the background after the first answer: a browser then gets gzip, same JSON.
    const zipped = await until('a gzipped answer', async () => {
      const r = await viz.fetch('api/main', { headers: { 'accept-encoding': 'gzip' } });
      return r.headers.get('content-encoding') === 'gzip' ? r : undefined;
    });
    expect(zipped.headers.get('etag')).toBe(`${etag.slice(0, -1)}-gz"`);
    expect(await zipped.text()).toBe(body); // fetch decompresses
    expect((await viz.fetch('api/main', { headers: { 'if-none-match': zipped.headers.get('etag')! } })).status).toBe(304);
  });

  it('errors still come from the route handlers, as JSON with their status', async () => {
    const bad = await viz.fetch('api/nodes/preprocessed_raw_pixel_layer_1?ls=abc');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('BAD_LS');
    const missing = await viz.fetch('api/nodes/no_such_node');
    expect(missing.status).toBe(404);
    expect(bad.headers.get('etag')).toBeNull();
  });

  it('a dataset whose file is rewritten answers its new content with a new ETag; LS maps come from the new set', async () => {
    const url = 'api/nodes/preprocessed_raw_pixel_layer_1?pipeline=data_processing&ls=3';
    const before = await viz.fetch(url);
    const etag = before.headers.get('etag')!;
    const heatmap = ((await before.json()) as DataDetails).preview as { kind: string; z: number[][] };
    expect(heatmap.kind).toBe('heatmap');
    expect((await viz.fetch(url, { headers: { 'if-none-match': etag } })).status).toBe(304);

    const file = path.join(dir, HSET);
    const set = await readHistogramSetFile(file);
    const ny = set.ny;
    const nx = set.nx;
    const values = new Float32Array(set.values);
    values.fill(7.5, 3 * ny * nx, 4 * ny * nx); // LS 3: every bin 7.5
    await writeHistogramSetFile(file, { ...set, values });

    const after = await viz.fetch(url, { headers: { 'if-none-match': etag } });
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
    const z = (((await after.json()) as DataDetails).preview as { z: number[][] }).z;
    expect(z.flat().every((v) => v === 7.5)).toBe(true);
    const map = new Float32Array(await (await viz.fetch('api/nodes/preprocessed_raw_pixel_layer_1/map?ls=3&pipeline=data_processing')).arrayBuffer());
    expect(map.length).toBe(ny * nx);
    expect(map.every((v) => v === 7.5)).toBe(true);
    const ls2 = new Float32Array(await (await viz.fetch('api/nodes/preprocessed_raw_pixel_layer_1/map?ls=2&pipeline=data_processing')).arrayBuffer());
    expect(Array.from(ls2)).toEqual(Array.from(set.values.subarray(2 * ny * nx, 3 * ny * nx)));
  });

  it('an LS map goes gzipped to a client that takes gzip once compressed, inflating to the raw float32 bytes; a preview\'s gzip to its JSON', async () => {
    const mapUrl = 'api/nodes/preprocessed_raw_pixel_layer_1/map?ls=5&pipeline=data_processing';
    const raw = await viz.fetch(mapUrl, { headers: { 'accept-encoding': 'identity' } });
    expect(raw.headers.get('content-encoding')).toBeNull();
    expect(raw.headers.get('vary')).toBe('accept-encoding');
    const rawBytes = Buffer.from(await raw.arrayBuffer());
    const set = await readHistogramSetFile(path.join(dir, HSET));
    expect(Array.from(new Float32Array(rawBytes.buffer, rawBytes.byteOffset, rawBytes.byteLength / 4))).toEqual(Array.from(set.values.subarray(5 * set.ny * set.nx, 6 * set.ny * set.nx)));
    const zipped = await until('a gzipped map', async () => {
      const r = await viz.fetch(mapUrl, { headers: { 'accept-encoding': 'gzip' } });
      return r.headers.get('content-encoding') === 'gzip' ? r : undefined;
    });
    expect(Number(zipped.headers.get('content-length'))).toBeLessThan(rawBytes.length);
    expect(Buffer.from(await zipped.arrayBuffer()).equals(rawBytes)).toBe(true); // fetch inflates
    expect((await viz.fetch(mapUrl, { headers: { 'accept-encoding': 'gzip;q=0' } })).headers.get('content-encoding')).toBeNull();

    const detailsUrl = 'api/nodes/preprocessed_raw_pixel_layer_1?pipeline=data_processing&ls=5';
    const text = await (await viz.fetch(detailsUrl, { headers: { 'accept-encoding': 'identity' } })).text();
    const details = await until('a gzipped preview', async () => {
      const r = await viz.fetch(detailsUrl, { headers: { 'accept-encoding': 'gzip' } });
      return r.headers.get('content-encoding') === 'gzip' ? r : undefined;
    });
    expect(await details.text()).toBe(text);
    expect((JSON.parse(text) as DataDetails).preview.kind).toBe('heatmap');
  });

  it('an edited pipeline (--autoreload) makes a new graph: the old ETag no longer matches', async () => {
    const first = await viz.fetch('api/main');
    const etag = first.headers.get('etag')!;
    const file = path.join(dir, 'pipelines', 'data_science', 'pipeline.ts');
    const original = fs.readFileSync(file, 'utf8');
    expect(original).toContain("name: 'compute_mean_image'");
    fs.writeFileSync(file, original.replace("name: 'compute_mean_image'", "name: 'compute_mean_image_v2'"));
    // Restored on the way out, whatever happens (the project is a temp copy, but keep it honest).
    onTestFinished(() => fs.writeFileSync(file, original));
    const changed = await until('the reloaded graph', async () => {
      const r = await viz.fetch('api/main', { headers: { 'if-none-match': etag } });
      return r.status === 200 ? r : undefined;
    });
    expect(changed.headers.get('etag')).not.toBe(etag);
    const graph = (await changed.json()) as GraphJson;
    expect(graph.nodes.some((n) => n.id === 'layer_1.compute_mean_image_v2')).toBe(true);
    expect(graph.nodes.some((n) => n.id === 'layer_1.compute_mean_image')).toBe(false);
    expect((await viz.fetch('api/main', { headers: { 'if-none-match': changed.headers.get('etag')! } })).status).toBe(304);
  });

  it('build assets come from memory, as on disk, immutable; nothing outside .next/static', async () => {
    const html = await (await viz.fetch('')).text();
    const chunk = /src="(\/_next\/static\/chunks\/[^"]+\.js)"/.exec(html)![1]!;
    const res = await viz.fetch(chunk.slice(1), { headers: { 'accept-encoding': 'identity' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(Buffer.from(await res.arrayBuffer()).equals(fs.readFileSync(path.join(REPO, '.next', chunk.slice('/_next/'.length))))).toBe(true);
    for (const attempt of ['_next/static/..%2FBUILD_ID', '_next/static/%2e%2e/BUILD_ID', '_next/static/chunks/../../BUILD_ID']) {
      const r = await viz.fetch(attempt);
      expect(await r.text()).not.toBe(fs.readFileSync(path.join(REPO, '.next', 'BUILD_ID'), 'utf8'));
    }
    expect((await viz.fetch('_next/static/no-such-chunk.js')).status).toBe(404);
  });

  it('the pages are the build\'s prerendered HTML, their RSC payloads still Next\'s; /api/info is the service\'s', async () => {
    for (const [page, file] of [['', 'index.html'], ['plots', 'plots.html'], ['?pipeline=data_processing', 'index.html']] as const) {
      const res = await viz.fetch(page);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await res.text()).toBe(fs.readFileSync(path.join(REPO, '.next', 'server', 'app', file), 'utf8'));
    }
    // Behind a proxy (X-Forwarded-Prefix): the same shell with its asset URLs under the prefix; HEAD: the headers alone.
    const shell = fs.readFileSync(path.join(REPO, '.next', 'server', 'app', 'plots.html'), 'utf8');
    const prefixed = await viz.fetch('plots', { headers: { 'x-forwarded-prefix': '/dqm' } });
    expect(prefixed.status).toBe(200);
    expect(prefixed.headers.get('cache-control')).toBe('no-cache');
    const html = await prefixed.text();
    expect(html).toBe(rewriteHtml(shell, forwardedPrefix('/dqm')!));
    expect(html).not.toBe(shell);
    const head = await viz.fetch('plots', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(shell)));
    expect(await head.text()).toBe('');
    // Client-side navigation asks for the page's RSC payload: Next answers it, never the HTML.
    const rsc = await viz.fetch('', { headers: { rsc: '1' } });
    expect(rsc.status).toBe(200);
    expect(rsc.headers.get('content-type')).toContain('text/x-component');
    const info = (await (await viz.fetch('api/info')).json()) as { mode: string; source: string; autoreload: boolean; version: number };
    expect(info).toEqual({ mode: 'project', source: dir, autoreload: true, version: expect.any(Number) });
    expect((await fetch(`${viz.url}api/info`)).status).toBe(401);
    expect((await fetch(viz.url)).status).toBe(401);
  });

  it('/api/server-stats gives the event loop delay and memory', async () => {
    const stats = (await (await viz.fetch('api/server-stats')).json()) as { rssMb: number; cpuMs: number; eventLoop: { maxMs: number; p99Ms: number; ownWorkMaxMs: number | null; ownWorkP99Ms: number | null }; answers: { count: number; p50Ms: number; p99Ms: number; maxMs: number } };
    // The server's own answer times: every answer of the tests before this one counted.
    expect(stats.answers.count).toBeGreaterThan(5);
    expect(stats.answers.maxMs).toBeGreaterThanOrEqual(stats.answers.p99Ms);
    expect(stats.answers.p99Ms).toBeGreaterThanOrEqual(stats.answers.p50Ms);
    expect(stats.answers.p50Ms).toBeGreaterThan(0);
    expect(stats.rssMb).toBeGreaterThan(20);
    expect(stats.cpuMs).toBeGreaterThan(0);
    expect(stats.eventLoop.maxMs).toBeGreaterThanOrEqual(stats.eventLoop.p99Ms);
    // The loop's own CPU between two 5 ms ticks (Linux schedstat): some work was done, the max bounds the p99.
    expect(stats.eventLoop.ownWorkP99Ms).toBeGreaterThan(0);
    expect(stats.eventLoop.ownWorkMaxMs).toBeGreaterThanOrEqual(stats.eventLoop.ownWorkP99Ms!);
    expect((await fetch(`${viz.url}api/server-stats`)).status).toBe(401); // behind the token like every API route
  });

  it('a histogram set\'s LS is read on a decode thread, not on the event loop (the pool\'s counter in /api/server-stats)', async () => {
    type Stats = { workers: Record<string, { threads: number; tasks: number; failures: number }> };
    const tasks = async () => ((await (await viz.fetch('api/server-stats')).json()) as Stats).workers['hdf5-read']?.tasks ?? 0;
    const before = await tasks();
    // An LS no other test asks: not in the slice cache, so one chunk is read.
    const res = await viz.fetch('api/nodes/preprocessed_raw_pixel_layer_1/map?ls=9&pipeline=data_processing');
    expect(res.status).toBe(200);
    const map = new Float32Array(await res.arrayBuffer());
    const set = await readHistogramSetFile(path.join(dir, HSET));
    expect(Array.from(map)).toEqual(Array.from(set.values.subarray(9 * set.ny * set.nx, 10 * set.ny * set.nx)));
    const stats = (await (await viz.fetch('api/server-stats')).json()) as Stats;
    expect(stats.workers['hdf5-read']!.threads).toBeGreaterThan(0);
    expect(stats.workers['hdf5-read']!.tasks).toBeGreaterThan(before);
    expect(stats.workers['hdf5-read']!.failures).toBe(0);
  });
});
