#!/usr/bin/env node
// After `npm install`: build the dashboard once so `dqm viz` starts without building.
// Skipped with DQM_SKIP_BUILD=1 (CI jobs that do not need the dashboard, Docker layers that
// build later) and when Next is not installed (e.g. `npm install --omit=dev` of a consumer).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (process.env.DQM_SKIP_BUILD === '1') {
  console.log('DQM_SKIP_BUILD=1: not building the dashboard (run `npm run build` before `dqm viz`)');
  process.exit(0);
}
if (!fs.existsSync(path.join(root, 'node_modules', 'next', 'dist', 'bin', 'next'))) process.exit(0);
const { ensureBuild } = await import('./ensure-build.js');
const status = ensureBuild();
if (status !== 0) console.warn('The dashboard build failed; `dqm viz` needs it: run `npm run build` and read its errors.');
// A failed dashboard build must not fail the whole install: the framework works without it.
process.exit(0);
