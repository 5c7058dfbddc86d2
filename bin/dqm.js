#!/usr/bin/env node
// The `dqm` command. Runs the compiled CLI (dist/, built by `npm run build:cli` and postinstall)
// when it is as new as the sources; otherwise (edited framework, no build yet, DQM_FROM_SOURCE=1)
// the TypeScript sources through tsx, which compiles them at every start (~1 s more).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { distIsFresh } from './dist-freshness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
if (process.env.DQM_FROM_SOURCE !== '1' && distIsFresh(root)) {
  await import('../dist/cli.mjs');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../cli/main.ts');
}
