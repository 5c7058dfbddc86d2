import fs from 'node:fs';
import path from 'node:path';
import { messageOf } from '../errors';
import { fileKey, staticFile, type DataDetails, type GraphJson, type Preview } from '../graph';
import type { RunServiceApi } from '../services';
import { VizError } from './errors';
import type { VizService } from './service';

export interface StaticBuildOptions {
  /** The dashboard's Next build (`.next/` inside it). */
  appDir: string;
  outDir: string;
  service: VizService;
  /** The run store, for the last run's status; absent for a graph file. */
  runs?: Pick<RunServiceApi, 'list' | 'get'>;
  /** LS maps written per histogram dataset (the slider's range in the static site). */
  maxLs?: number;
  /** LS detail pages of /plots written per layer (flagged LS first). */
  maxPlotLs?: number;
  onProgress?: (text: string) => void;
}

export interface StaticBuildSummary {
  files: number;
  bytes: number;
  pages: string[];
}

const PAGES: Array<{ html: string; out: string; up: string }> = [
  { html: 'index.html', out: 'index.html', up: './' },
  { html: 'plots.html', out: 'plots/index.html', up: '../' },
];

/**
 * `dqm viz build`: the dashboard as a static site — the same React client, its API answers
 * written as files it reads (window.__DQM_STATIC__, paths from lib/graph's staticFile), no
 * server code. Every asset URL is relative, so it works from any folder of any static host
 * (EOS/CERNBox web space, GitLab Pages, `python3 -m http.server`). Only what the API answers is
 * written: credentials never leave the catalog.
 */
export async function buildStaticSite(opts: StaticBuildOptions): Promise<StaticBuildSummary> {
  const out = path.resolve(opts.outDir);
  if (fs.existsSync(out) && (!fs.statSync(out).isDirectory() || (fs.readdirSync(out).length && !fs.existsSync(path.join(out, 'api', 'main.json'))))) {
    throw new VizError(`Output folder '${opts.outDir}' is not empty and is not a previous \`dqm viz build\`: choose an empty or new folder`, { code: 'STATIC_BUILD_FAILED' });
  }
  const next = path.join(opts.appDir, '.next');
  if (!fs.existsSync(path.join(next, 'BUILD_ID'))) throw new VizError(`The dashboard is not built (${path.join(next, 'BUILD_ID')} is missing). Run \`npm run build\` once, then \`dqm viz build\` again`, { code: 'NOT_BUILT' });
  fs.rmSync(out, { recursive: true, force: true });
  const summary: StaticBuildSummary = { files: 0, bytes: 0, pages: [] };
  const write = (rel: string, data: string | Uint8Array) => {
    const file = path.join(out, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, data);
    summary.files++;
    summary.bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength;
  };
  const api = (pathname: string, query: Record<string, string> = {}) => staticFile(pathname, new URLSearchParams(query))!;
  const json = (rel: string, value: unknown) => write(rel, JSON.stringify(value));
  const say = opts.onProgress ?? (() => undefined);

  for (const p of PAGES) {
    const html = fs.readFileSync(path.join(next, 'server', 'app', p.html), 'utf8');
    write(p.out, staticPage(html, p.up));
    summary.pages.push(p.out);
  }
  fs.cpSync(path.join(next, 'static'), path.join(out, '_next', 'static'), { recursive: true });
  const favicon = path.join(opts.appDir, 'public', 'favicon.ico');
  if (fs.existsSync(favicon)) fs.copyFileSync(favicon, path.join(out, 'favicon.ico'));

  const svc = opts.service;
  const main = await svc.main();
  json(api('/api/main'), main);
  json(api('/api/info'), { ...svc.info(), source: path.basename(svc.info().source), static: true, builtAt: new Date().toISOString() });
  const maxLs = opts.maxLs ?? 50;
  const mapsDone = new Set<string>();
  const pipelines: Array<{ key: string | undefined; graph: GraphJson }> = [{ key: undefined, graph: main }];
  for (const p of main.pipelines) {
    const graph = await svc.pipeline(p.id);
    json(api(`/api/pipelines/${p.id}`), graph);
    pipelines.push({ key: p.id, graph });
  }
  for (const { key, graph } of pipelines) {
    say(`nodes of ${key ?? graph.selected_pipeline}`);
    for (const n of graph.nodes) {
      let details;
      try {
        details = await svc.node(n.id, { pipeline: key });
      } catch (error) {
        details = { error: { code: 'STATIC_BUILD_FAILED', message: messageOf(error) } };
      }
      if ('kind' in details && details.kind === 'data' && details.preview.kind === 'heatmap') details = await withMaps(details, n.id, key, maxLs, mapsDone, svc, write);
      json(api(`/api/nodes/${n.id}`, key ? { pipeline: key } : {}), details);
    }
  }

  if (opts.runs) {
    const last = opts.runs.list({ limit: 1 });
    json(api('/api/runs'), { runs: last, running: null });
    for (const r of last) json(api(`/api/runs/${r.id}`), opts.runs.get(r.id));
  }
  if (svc.info().mode === 'project') await writePlots(svc, json, api, opts.maxPlotLs ?? 8, say);
  return summary;
}

/** Static pages: asset URLs relative to the page, and the flags the client reads before it starts. */
export function staticPage(html: string, up: string): string {
  // Turbopack keys loaded chunks by their script's src attribute minus the chunk base path, so
  // the base path is written exactly as the (relative) src attributes are.
  const head = `<script>window.__DQM_STATIC__=true;window.__DQM_BASE__=new URL(${JSON.stringify(up)},location.href).pathname;self.TURBOPACK_CHUNK_BASE_PATH=${JSON.stringify(`${up}_next/`)};</script>`;
  return html.replace(/(["'(\s])\/_next\//g, `$1${up}_next/`).replace(/\/favicon\.ico/g, `${up}favicon.ico`).replace(/<head>/, `<head>${head}`);
}

/** A heatmap's maps as raw float32 files (once per dataset), the preview cut to the LS written. */
async function withMaps(details: DataDetails, id: string, pipeline: string | undefined, maxLs: number, done: Set<string>, svc: VizService, write: (rel: string, d: Uint8Array) => void): Promise<DataDetails> {
  const p = details.preview as Extract<Preview, { kind: 'heatmap' }>;
  const count = Math.min(p.lsCount, maxLs);
  if (!done.has(id)) {
    done.add(id);
    for (let ls = 0; ls < count; ls++) {
      const map = await svc.lsMap(id, { pipeline, ls });
      write(`api/maps/${fileKey(id)}.ls${ls}.f32`, new Uint8Array(map.buffer, map.byteOffset, map.byteLength));
    }
  }
  return { ...details, preview: { ...p, lsCount: count, lsRuns: p.lsRuns.slice(0, count), lsLumis: p.lsLumis.slice(0, count), lsEntries: p.lsEntries.slice(0, count) } };
}

/** The /plots page's answers: summary, every series and correlation, and the LS details of the most suspicious LS. */
async function writePlots(svc: VizService, json: (rel: string, v: unknown) => void, api: (p: string, q?: Record<string, string>) => string, maxPlotLs: number, say: (t: string) => void): Promise<void> {
  const plots = svc.plots();
  const summary = await plots.summary();
  json(api('/api/plots/summary'), summary);
  const ids = summary.variables.map((v) => v.id);
  for (const layer of summary.layers) {
    say(`plots of layer ${layer}`);
    const L = String(layer);
    const flagged: Array<{ run: number; lumi: number; n: number }> = [];
    for (const v of ids) {
      const series = await plots.series(L, v).catch(() => null);
      if (!series) continue;
      json(api('/api/plots/series', { layer: L, variable: v }), series);
      for (const r of series.runs) r.lumi.forEach((lumi, i) => flagged.push({ run: r.run, lumi, n: r.flaggedBy[i]?.length ?? 0 }));
    }
    for (const x of ids) for (const y of ids) if (x !== y) {
      const c = await plots.correlation(L, x, y).catch(() => null);
      if (c) json(api('/api/plots/correlation', { layer: L, x, y }), c);
    }
    // The LS most strategies flag first, then the first ones: the maps worth a look.
    const seen = new Set<string>();
    const picks = flagged.sort((a, b) => b.n - a.n).filter((f) => !seen.has(`${f.run}:${f.lumi}`) && seen.add(`${f.run}:${f.lumi}`)).slice(0, maxPlotLs);
    for (const f of picks) {
      const d = await plots.ls(String(f.run), String(f.lumi), L).catch(() => null);
      if (d) json(api('/api/plots/ls', { run: String(f.run), lumi: String(f.lumi), layer: L }), d);
    }
  }
}
