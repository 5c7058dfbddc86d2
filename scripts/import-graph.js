#!/usr/bin/env node
// Import-graph figures for the architecture (docs/architecture.md): cycles between lib/ modules,
// file-level cycles, imports running against the layering, and cross-module imports that bypass
// a module's index.ts. Counts production files only (no *.test.ts, *.fixtures.ts, testing/).
// Reads dependency-cruiser's JSON: `node scripts/import-graph.js` cruises the current folder
// (with its .dependency-cruiser.cjs options), `--json FILE` reads a saved `depcruise -T json`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const DIRS = ['lib', 'app', 'components', 'server', 'cli', 'pipelines', 'e2e', 'bench', 'tests', 'bin', 'scripts'];

function cruise() {
  const dirs = DIRS.filter((d) => fs.existsSync(d));
  const bin = path.join('node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
  const r = spawnSync(process.execPath, [bin, '--no-progress', '-T', 'json', ...dirs], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.error) throw r.error;
  return JSON.parse(r.stdout);
}

const at = process.argv.indexOf('--json');
const result = at > 0 ? JSON.parse(fs.readFileSync(process.argv[at + 1], 'utf8')) : cruise();

/** lib/<module> (lib/errors.ts, lib/progress.ts count as modules), else the top folder. */
function moduleOf(file) {
  const parts = file.split('/');
  if (parts[0] !== 'lib') return parts[0];
  return parts.length === 2 ? `lib/${parts[1].replace(/\.tsx?$/, '')}` : `lib/${parts[1]}`;
}
const isTestCode = (f) => /\.(test|spec)\.tsx?$|\.fixtures\.tsx?$|\/testing\/|^(e2e|tests|bench)\//.test(f);
const isSource = (f) => /\.(ts|tsx|js|mjs|cjs)$/.test(f) && !f.startsWith('node_modules/') && !f.includes('node_modules/');

// DESIGN.md's direction, lowest first. A lib import may point down or stay in its module; a
// lib module importing an app-layer folder, a higher module or a sibling of its rank runs back up.
const RANK = {
  'lib/errors': 0, 'lib/progress': 0, 'lib/data': 1, 'lib/pipeline': 2, 'lib/config': 2, 'lib/graph': 3,
  'lib/io': 3, 'lib/runner': 4, 'lib/dqm': 4, 'lib/session': 5, 'lib/services': 5, 'lib/runs': 6, 'lib/viz': 6, 'lib/deploy': 6,
  // lib/cli existed before the move: the application layer inside lib/, above every module.
  'lib/cli': 7,
};
const APP_LAYER = new Set(['app', 'components', 'server', 'cli', 'pipelines', 'e2e', 'bench', 'tests']);
const EXTERNAL_APP = /^(next|react|react-dom)(\/|$)/;

const edges = [];
for (const m of result.modules) {
  if (!isSource(m.source) || isTestCode(m.source)) continue;
  for (const d of m.dependencies) {
    if (d.coreModule) continue;
    edges.push({ from: m.source, to: d.resolved, module: d.module, typeOnly: (d.dependencyTypes ?? []).includes('type-only') });
  }
}
const local = edges.filter((e) => isSource(e.to));

// Folder-level cycles between lib modules: strongly connected components of the module graph.
function sccs(nodes, next) {
  let index = 0;
  const idx = new Map(), low = new Map(), stack = [], on = new Set(), out = [];
  const visit = (v) => {
    idx.set(v, index); low.set(v, index++); stack.push(v); on.add(v);
    for (const w of next.get(v) ?? []) {
      if (!idx.has(w)) { visit(w); low.set(v, Math.min(low.get(v), low.get(w))); }
      else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const c = [];
      let w;
      do { w = stack.pop(); on.delete(w); c.push(w); } while (w !== v);
      if (c.length > 1 || (next.get(v) ?? new Set()).has(v)) out.push(c.sort());
    }
  };
  for (const v of nodes) if (!idx.has(v)) visit(v);
  return out;
}
const modNext = new Map();
const modPairs = new Map();
for (const e of local) {
  const a = moduleOf(e.from), b = moduleOf(e.to);
  if (a === b || !a.startsWith('lib/') || !b.startsWith('lib/')) continue;
  if (!modNext.has(a)) modNext.set(a, new Set());
  modNext.get(a).add(b);
  modPairs.set(`${a} -> ${b}`, [...(modPairs.get(`${a} -> ${b}`) ?? []), `${e.from} -> ${e.to}`]);
}
const moduleCycles = sccs([...modNext.keys()], modNext);
const moduleCyclePairs = [];
for (const c of moduleCycles) for (const a of c) for (const b of c) if (modNext.get(a)?.has(b)) moduleCyclePairs.push(`${a} -> ${b}`);

const fileNext = new Map();
for (const e of local) {
  if (!fileNext.has(e.from)) fileNext.set(e.from, new Set());
  fileNext.get(e.from).add(e.to);
}
const fileCycles = sccs([...fileNext.keys()], fileNext);

const backEdges = [];
for (const e of edges) {
  const a = moduleOf(e.from);
  if (!a.startsWith('lib/')) continue;
  if (!isSource(e.to)) {
    if (EXTERNAL_APP.test(e.module)) backEdges.push(`${e.from} -> ${e.module}`);
    continue;
  }
  const b = moduleOf(e.to);
  if (a === b) continue;
  const up = APP_LAYER.has(b) || (RANK[b] ?? 99) >= (RANK[a] ?? 99);
  if (up) backEdges.push(`${e.from} -> ${e.to}`);
}

// Cross-module imports that name a file inside another lib module instead of its index.ts.
const bypass = [];
for (const e of local) {
  const a = moduleOf(e.from), b = moduleOf(e.to);
  if (a === b || !b.startsWith('lib/') || /^lib\/[^/]+\.ts$/.test(e.to)) continue;
  if (!/^lib\/[^/]+\/index\.tsx?$/.test(e.to)) bypass.push(`${e.from} -> ${e.to}`);
}
const relativeIntoLib = local.filter((e) => /^(pipelines)\//.test(e.from) && moduleOf(e.to).startsWith('lib/') && e.module.startsWith('.')).map((e) => `${e.from} -> ${e.module}`);

const verbose = process.argv.includes('--verbose');
const show = (title, list) => {
  console.log(`${title}: ${list.length}`);
  if (verbose) for (const x of list) console.log(`  ${Array.isArray(x) ? x.join(' <-> ') : x}`);
};
console.log(`files: ${result.modules.filter((m) => isSource(m.source)).length}, production import edges: ${edges.length}`);
show('lib module cycles (strongly connected groups)', moduleCycles);
show('lib module edges inside those cycles', moduleCyclePairs);
show('file-level cycles (production files)', fileCycles);
show('back-edges (against the layering)', backEdges);
show('cross-module imports bypassing index.ts', bypass);
show('pipelines/ importing lib/ by relative path', relativeIntoLib);
