#!/usr/bin/env node
// Runs `next build` only when the dashboard build is missing or older than its sources
// (app/, components/, the lib/ modules the page and the route handlers bundle, public/, configs, package.json).
// Used by `npm run test:e2e` and by postinstall; `dqm viz` itself never builds.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = [
  'app',
  'components',
  'lib/graph',
  'lib/pipeline',
  'lib/services',
  'lib/errors.ts',
  'public',
  'next.config.js',
  'postcss.config.mjs',
  'package.json',
];

function newestMtime(p) {
  let st;
  try {
    st = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const e of fs.readdirSync(p)) if (e !== 'node_modules' && !e.startsWith('.') && !e.endsWith('.test.ts')) max = Math.max(max, newestMtime(path.join(p, e)));
  return max;
}

export function buildIsFresh() {
  const id = path.join(root, '.next', 'BUILD_ID');
  if (!fs.existsSync(id)) return false;
  const built = fs.statSync(id).mtimeMs;
  return SOURCES.every((s) => newestMtime(path.join(root, s)) <= built);
}

export function ensureBuild() {
  if (buildIsFresh()) {
    console.log('dashboard build is up to date (.next/BUILD_ID newer than its sources)');
    return 0;
  }
  console.log('building the dashboard (next build)…');
  const r = spawnSync(process.execPath, [path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'), 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  return r.status ?? 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) process.exit(ensureBuild());
