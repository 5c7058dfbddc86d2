import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Plugin } from 'esbuild';
import { sourceUrlPlugin } from './source-url-plugin.mjs';

/** The package name a project imports the framework by (`dqm-playground-ds/pipeline`, ...). */
const FRAMEWORK_PACKAGE = 'dqm-playground-ds';

/** Part of every cache key: bump it when the bundle options below change, so old bundles are not reused. */
const BUNDLE_FORMAT = 4;

/** `<key>.json` in the cache: the bundle to import and the sources (with mtimes) it was built from. */
interface CacheEntry {
  output: string;
  inputs: Record<string, number>;
}

/**
 * The compiled CLI's way to import a project's TypeScript file (its registry, its settings):
 * esbuild bundles the file and the project files it imports into `<root>/.dqm/cache/<hash>.mjs`,
 * reused while the sources' mtimes are unchanged, so an edited pipeline is picked up at the next
 * start without any build step. Imports of the framework (`dqm-playground-ds/<export>`) point to
 * the compiled `dist/<export>.mjs` the CLI itself runs, so both share one Pipeline class and one
 * dataset registry; other packages stay imports Node resolves from the project's node_modules.
 * Returns the bundle's file: URL (a new one whenever the sources changed: Node caches by URL).
 */
export async function bundledProjectFile(root: string, file: string, frameworkDist: string): Promise<string> {
  const dir = cacheDir(root);
  const key = createHash('sha256').update(`${BUNDLE_FORMAT}\0${file}\0${frameworkDist}`).digest('hex').slice(0, 16);
  const entryFile = path.join(dir, `${key}.json`);
  const cached = readEntry(entryFile);
  if (cached && sourcesUnchanged(cached.inputs)) return pathToFileURL(path.join(dir, cached.output)).href;

  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [file],
    outfile: path.join(dir, `${key}.mjs`),
    write: false,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // Node's own conditions only (no esbuild 'module'): the same package files as an import from the source.
    conditions: [],
    // Stacks of a failing node name pipelines/<file>.ts:LINE (the CLI enables source maps).
    sourcemap: 'inline',
    // Mappings only: Node parses the map of every module it loads (~25 ms with the sources in it).
    sourcesContent: false,
    metafile: true,
    logLevel: 'silent',
    absWorkingDir: root,
    plugins: [externalImports(frameworkDist), sourceUrlPlugin((f) => JSON.stringify(pathToFileURL(f).href))],
  }).catch((error: unknown) => {
    throw new Error(firstBuildError(error), { cause: error });
  });
  const code = result.outputFiles[0]!.text;
  const output = `${key}-${createHash('sha256').update(code).digest('hex').slice(0, 12)}.mjs`;
  writeAtomically(path.join(dir, output), code);
  const inputs: Record<string, number> = {};
  for (const rel of Object.keys(result.metafile.inputs)) {
    const abs = path.resolve(root, rel);
    inputs[abs] = statSync(abs).mtimeMs;
  }
  writeAtomically(entryFile, JSON.stringify({ output, inputs } satisfies CacheEntry));
  removeOldBundles(dir, key, output);
  return pathToFileURL(path.join(dir, output)).href;
}

/** esbuild's first error as one line: `pipelines/x.ts:3:10: Expected ";" but found "y"`. */
function firstBuildError(error: unknown): string {
  const first = (error as { errors?: { text: string; location?: { file: string; line: number; column: number } | null }[] }).errors?.[0];
  if (!first) return error instanceof Error ? error.message : String(error);
  const where = first.location ? `${first.location.file}:${first.location.line}:${first.location.column + 1}: ` : '';
  return `${where}${first.text}`;
}

/** `<root>/.dqm/cache`, or a per-user temp folder when the project is read-only (an image). */
function cacheDir(root: string): string {
  const dir = path.join(root, '.dqm', 'cache');
  try {
    mkdirSync(dir, { recursive: true });
    return dir;
  } catch {
    const fallback = path.join(os.tmpdir(), `dqm-cache-${os.userInfo().uid}`);
    mkdirSync(fallback, { recursive: true });
    return fallback;
  }
}

function readEntry(file: string): CacheEntry | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as CacheEntry;
  } catch {
    return undefined;
  }
}

function sourcesUnchanged(inputs: Record<string, number>): boolean {
  return Object.entries(inputs).every(([file, mtime]) => statSync(file, { throwIfNoEntry: false })?.mtimeMs === mtime);
}

/**
 * Earlier bundles of the same file, once a minute old: a `dqm` started just before this one
 * may still be about to import the bundle it read from the cache entry.
 */
function removeOldBundles(dir: string, key: string, current: string): void {
  const now = Date.now();
  for (const f of readdirSync(dir)) {
    if (!f.startsWith(`${key}-`) || !f.endsWith('.mjs') || f === current) continue;
    const st = statSync(path.join(dir, f), { throwIfNoEntry: false });
    if (st && now - st.mtimeMs > 60_000) rmSync(path.join(dir, f), { force: true });
  }
}

/** Temp file + rename: a concurrent `dqm` never imports half a bundle. */
function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/**
 * Framework imports -> the compiled `dist/<export>.mjs`; every other package import stays an
 * import, of the file esbuild resolves FROM THE IMPORTING FILE (so a registry that re-exports
 * pipelines kept elsewhere finds their packages, as it did run from the sources).
 */
function externalImports(frameworkDist: string): Plugin {
  const framework = new RegExp(`^${FRAMEWORK_PACKAGE}/([\\w-]+)$`);
  const frameworkRoot = fileURLToPath(new URL('../', frameworkDist));
  return {
    name: 'dqm-external-imports',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === RESOLVING || args.path.startsWith('node:')) return undefined;
        const sub = framework.exec(args.path)?.[1];
        if (sub) return { path: new URL(`${sub}.mjs`, frameworkDist).href, external: true };
        const found = await b.resolve(args.path, { kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, pluginData: RESOLVING });
        if (found.errors.length || !path.isAbsolute(found.path)) return { path: args.path, external: true };
        const vendored = VENDORED[args.path];
        if (vendored) {
          // The very package the framework compiled in? Then its copy in dist/ (one instance).
          const framework = await b.resolve(args.path, { kind: args.kind, resolveDir: frameworkRoot, pluginData: RESOLVING });
          if (framework.path === found.path) return { path: new URL(`${vendored}.mjs`, frameworkDist).href, external: true };
        }
        return { path: pathToFileURL(found.path).href, external: true };
      });
    },
  };
}

const RESOLVING = Symbol('dqm-resolving');
/** Packages compiled into dist/ (scripts/build-cli.js) -> their entry there. */
const VENDORED: Record<string, string> = { zod: 'vendor-zod' };
