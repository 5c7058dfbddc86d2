#!/usr/bin/env node
// After `npm install`: compile the CLI into dist/ (fast starts; not skippable, it takes ~0.5 s
// and bin/dqm.js falls back to the sources if it fails), then build the dashboard once so
// `dqm viz` starts without building.
// Skipped with DQM_SKIP_BUILD=1 (CI jobs that do not need the dashboard, Docker layers that
// build later) and when Next is not installed (e.g. `npm install --omit=dev` of a consumer).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
try {
  const { buildCli } = await import('./build-cli.js');
  const r = await buildCli();
  console.log(`dqm CLI compiled into dist/ (${r.files} files, ${r.ms} ms)`);
} catch (error) {
  // Not fatal: `dqm` then runs from the sources through tsx, only slower to start.
  console.warn(`Compiling the dqm CLI failed (dqm will run from the sources): ${error instanceof Error ? error.message : String(error)}`);
}
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
