// Node module hooks (package-esm-loader.mjs registers them after tsx's, so they run first): an
// ES module of an installed package is loaded as plain Node loads it, never handed to tsx.
// Why: tsx rewrites every `import(` of a JavaScript module it loads and builds a fine-grained
// source map for it; on h5wasm's 4 MB one-line Emscripten glue that took 1.7 s and ~600 MB of
// resident memory that stayed (bench:load's server at ~980 MB when run from the sources).
// Packages are JavaScript written for Node: the compiled CLI (dist/) loads them the same way.
// Plain .mjs: hooks run on Node's loader thread, before any TypeScript loader applies there.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** An ES module file of a package in node_modules (not TypeScript, not CommonJS). */
export function isPackageEsm(url, format) {
  if (format !== 'module' || !url.startsWith('file:')) return false;
  const { pathname } = new URL(url);
  return pathname.includes('/node_modules/') && /\.m?js$/.test(pathname);
}

export async function load(url, context, nextLoad) {
  if (!isPackageEsm(url, context.format)) return nextLoad(url, context);
  return { format: 'module', source: await readFile(fileURLToPath(url)), shortCircuit: true };
}
