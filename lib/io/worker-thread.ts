import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * A worker thread running `entry` (a file: URL) with tsx's loader, so that it (and the
 * project's pipelines it may import) can be TypeScript: `execArgv: ['--import', tsx]` does not
 * apply to a worker's entry module on Node 20, so a tiny bootstrap registers tsx in the thread
 * first, then imports the entry. tsx is resolved from here (not from the cwd).
 */
export function startWorker(entry: string, workerData: unknown): Worker {
  return new Worker(tsBootstrap(entry), { eval: true, workerData });
}

function tsBootstrap(entry: string): string {
  // The compiled CLI's entry (dist/node-worker.mjs) is JavaScript: no loader needed.
  if (!/\.[mc]?tsx?$/.test(entry)) return `import(${JSON.stringify(entry)});`;
  const tsxDir = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(path.join(tsxDir, 'dist/esm/api/index.mjs')).href;
  // Then packages' ES modules bypass tsx (package-esm-hooks.mjs: h5wasm through tsx cost ~600 MB per thread).
  const packageEsm = new URL('./package-esm-loader.mjs', import.meta.url).href;
  return `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(packageEsm)}); }).then(() => import(${JSON.stringify(entry)}));`;
}
