#!/usr/bin/env node
// Compiles the `dqm` CLI and the framework (every package export) once with esbuild into dist/,
// so `dqm` starts without compiling TypeScript (bin/dqm.js runs dist/ while dist/manifest.json's
// mtimes match the sources, else the sources through tsx). One build with code splitting: the CLI
// and `dqm-playground-ds/<export>` (what a project's bundled registry imports) share one instance
// of each framework module. A project's own pipelines are not compiled here: they are bundled on
// demand (lib/session/project-bundle.ts). Run by postinstall and `npm run build:cli`.
import { statSync, readFileSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** dist/<name>.mjs -> source: the CLI, the parallel runner's worker, the run process, the HDF5 read threads, each export. */
function entryPoints() {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  const entries = { cli: 'cli/main.ts', 'node-worker': 'lib/session/node-worker.ts', 'run-child': 'lib/runs/run-child.ts', 'vendor-zod': 'lib/session/vendor-zod.ts', 'hdf5-read-worker': 'lib/dqm/hdf5/read-worker.ts' };
  for (const [key, target] of Object.entries(pkg.exports)) if (target.endsWith('.ts')) entries[key.slice(2)] = target.replace(/^\.\//, '');
  return entries;
}

/**
 * Builds into `outDir` (default `<root>/dist`; tests use another folder inside the checkout,
 * where Node still finds node_modules) and writes its manifest last.
 */
/**
 * Packages left as imports, resolved by Node from node_modules at run time: all but BUNDLED.
 * yaml and commander are bundled: each is dozens of CommonJS files, ~60 ms of `dqm registry list`
 * spent in Node's module loader; inlined they load as part of one chunk. Both are stateless, so a
 * project's own copy (its bundle imports node_modules' yaml) does not need to be the same instance.
 */
const BUNDLED = ['yaml', 'commander', 'zod'];
function externals() {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  return Object.keys({ ...pkg.dependencies, ...pkg.devDependencies }).filter((name) => !BUNDLED.includes(name));
}

export async function buildCli({ outDir = path.join(root, 'dist') } = {}) {
  const dist = outDir;
  const started = Date.now();
  const { build } = await import('esbuild');
  const { sourceUrlPlugin } = await import('../lib/session/source-url-plugin.mjs');
  const tmp = `${dist}.tmp-${process.pid}`;
  const entries = entryPoints();
  const relFromDist = (file) => path.relative(dist, file).split(path.sep).join('/');
  const result = await build({
    entryPoints: Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, path.join(root, v)])),
    outdir: tmp,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Flat: every output file sits in dist/, so a module's source URL is one fixed relative path.
    entryNames: '[name]',
    chunkNames: '[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    external: externals(),
    // The bundled CommonJS packages require Node's built-ins; ESM has no `require` of its own.
    banner: { js: "import { createRequire as __dqmCreateRequire } from 'node:module';\nconst require = __dqmCreateRequire(import.meta.url);" },
    metafile: true,
    logLevel: 'warning',
    absWorkingDir: root,
    plugins: [
      sourceUrlPlugin((file) => `new URL(${JSON.stringify(relFromDist(file))}, import.meta.url).href`, {
        [path.join(root, 'lib/session/build-info.ts')]: "export const FRAMEWORK_DIST = new URL('./', import.meta.url).href;\n",
        [path.join(root, 'lib/dqm/hdf5/read-worker-entry.ts')]: "export const READ_WORKER_ENTRY = new URL('./hdf5-read-worker.mjs', import.meta.url).href;\n",
      }),
    ],
  });
  // The sources the build read, with their mtimes: bin/dqm.js compares them before using dist/.
  const inputs = {};
  for (const rel of [...Object.keys(result.metafile.inputs), 'package.json']) {
    if (rel.includes('node_modules/')) continue;
    inputs[rel] = statSync(path.join(root, rel)).mtimeMs;
  }
  writeFileSync(path.join(tmp, 'manifest.json'), `${JSON.stringify({ builtBy: 'scripts/build-cli.js', inputs }, null, 1)}\n`);
  // Swapped in whole, so a running `dqm` never sees half a build.
  rmSync(dist, { recursive: true, force: true });
  renameSync(tmp, dist);
  return { files: Object.keys(result.metafile.outputs).length, inputs: Object.keys(inputs).length, ms: Date.now() - started };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const r = await buildCli();
    console.log(`dqm CLI compiled into dist/ (${r.files} files from ${r.inputs} sources, ${r.ms} ms)`);
  } catch (error) {
    console.error(`Compiling the dqm CLI into dist/ failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
