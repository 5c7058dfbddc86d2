#!/usr/bin/env node
// The `dqm` command. Runs the compiled CLI (dist/, built by `npm run build:cli` and postinstall)
// when it is as new as the sources; otherwise (edited framework, no build yet, DQM_FROM_SOURCE=1)
// the TypeScript sources through tsx, which compiles them at every start (~1 s more).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { distIsFresh } from './dist-freshness.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) {
  // What commander prints for `.version()` (cli/program.ts), without loading any of the CLI.
  process.stdout.write(`${JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')).version}\n`);
} else if (process.env.DQM_FROM_SOURCE !== '1' && distIsFresh(root)) {
  await import('../dist/cli.mjs');
} else {
  const { register } = await import('tsx/esm/api');
  register();
  // Then packages' ES modules bypass tsx (lib/io/package-esm-hooks.mjs says why): registered
  // last, so its hooks run first. As lib/io/package-esm-loader.mjs does for threads and the run process.
  const { register: registerHooks } = await import('node:module');
  registerHooks('../lib/io/package-esm-hooks.mjs', import.meta.url);
  await import('../cli/main.ts');
}
