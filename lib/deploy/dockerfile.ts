import fs from 'node:fs';
import path from 'node:path';

/**
 * The image is described once, as data (`imageLayout`), and rendered to a Dockerfile; the
 * image-contents proof (`assemble-image-dir.ts`) replays the same list, so what is tested is
 * exactly what the Dockerfile copies.
 */
export interface DockerfileOptions {
  /** Base image of every stage. */
  baseImage?: string;
  workdir?: string;
  user?: string;
  uid?: number;
  /** Port `dqm viz` listens on in the container. */
  port?: number;
  /** Project folders copied as source (run through tsx at runtime); those missing are skipped by `fromProject`. */
  sourceDirs?: string[];
  /** Packages removed from the production node_modules (see DEFAULT_PRUNE). */
  prune?: string[];
  /** Production dependencies with install scripts (native addons): the deps stage gets a compiler. */
  nativeDeps?: string[];
  /** Packages removed from `.next/standalone/node_modules` (see DEFAULT_STANDALONE_PRUNE). */
  standalonePrune?: string[];
  /** Folders the package's install scripts need (`postinstall: node scripts/postinstall.js`). */
  installFiles?: string[];
}

/** Where a runtime file comes from: the production deps stage, the build stage, or the build context. */
export interface ImageCopy {
  from: 'deps' | 'build' | 'context';
  /** Path in the stage (relative to the workdir) or in the context. */
  src: string;
  /** Path in the image, relative to the workdir. */
  dest: string;
  /** Why it is in the image (rendered as a comment). */
  why: string;
}

export const DEFAULT_SOURCE_DIRS = ['bin', 'cli', 'lib', 'pipelines', 'conf', 'server'];

/**
 * Removed from the production node_modules: the standalone output already carries the traced
 * part of Next and React that the server loads (the full `next` package is ~210 MB, its SWC
 * compiler ~100 MB more, only needed by `next build`); sharp is for image optimisation we do not
 * use; the browser-only libraries are already bundled into `.next/static`; Playwright and
 * the type packages are test/compile-time only.
 */
export const DEFAULT_PRUNE = [
  'next', '@next', 'react', 'react-dom', 'sharp', '@img',
  '@xyflow', 'plotly.js-dist-min', 'zustand',
  // Optional peers of next that `npm ci --omit=dev` still installs (the lockfile marks them devOptional).
  '@playwright', 'playwright', 'playwright-core', '@types', 'typescript',
];

/**
 * Removed from the standalone output in the build stage: Next traces sharp (and its 16 MB libvips)
 * for image optimisation, which the dashboard turns off (`images.unoptimized`).
 */
export const DEFAULT_STANDALONE_PRUNE = ['sharp', '@img'];

/**
 * What a compiled native addon leaves behind besides its `.node` file: object files, static
 * libraries, the test extension, and (for better-sqlite3) the C sources it compiled.
 */
const BUILD_LEFTOVERS = ['build/Release/obj', 'build/Release/obj.target', 'build/Release/.deps', 'build/Release/*.a', 'build/Release/test_extension.node', 'build/deps'];
const NATIVE_SOURCES: Record<string, string[]> = { 'better-sqlite3': ['deps', 'src'] };

/** Paths under node_modules removed from the native addons after `npm ci` (shell globs allowed). */
export function nativeLeftovers(nativeDeps: string[]): string[] {
  return nativeDeps.flatMap((p) => [...BUILD_LEFTOVERS, ...(NATIVE_SOURCES[p] ?? [])].map((rel) => `${p}/${rel}`));
}

type Resolved = Required<DockerfileOptions>;

export function resolveOptions(opts: DockerfileOptions = {}): Resolved {
  return {
    baseImage: opts.baseImage ?? 'node:20-slim',
    workdir: opts.workdir ?? '/app',
    user: opts.user ?? 'dqm',
    uid: opts.uid ?? 1001,
    port: opts.port ?? 4141,
    sourceDirs: opts.sourceDirs ?? DEFAULT_SOURCE_DIRS,
    prune: opts.prune ?? DEFAULT_PRUNE,
    nativeDeps: opts.nativeDeps ?? [],
    standalonePrune: opts.standalonePrune ?? DEFAULT_STANDALONE_PRUNE,
    installFiles: opts.installFiles ?? ['scripts'],
  };
}

/** What the runtime stage copies, in order (later copies overlay earlier ones). */
export function imageLayout(opts: DockerfileOptions = {}): ImageCopy[] {
  const o = resolveOptions(opts);
  return [
    { from: 'deps', src: 'node_modules', dest: 'node_modules', why: 'production dependencies only (npm ci --omit=dev), pruned' },
    { from: 'build', src: '.next/standalone', dest: '.', why: "Next.js standalone output: the server build and the traced part of next/react" },
    { from: 'build', src: '.next/static', dest: '.next/static', why: 'client bundles (standalone leaves them out)' },
    { from: 'build', src: 'public', dest: 'public', why: 'static files' },
    { from: 'context', src: 'package.json', dest: 'package.json', why: 'the project (type: module, bin)' },
    ...o.sourceDirs.map((d): ImageCopy => ({ from: 'context', src: d, dest: d, why: 'TypeScript sources, run through tsx' })),
  ];
}

/** A multi-stage Dockerfile: production deps, build (next build, standalone), slim runtime as a non-root user. */
export function renderDockerfile(opts: DockerfileOptions = {}): string {
  const o = resolveOptions(opts);
  const w = o.workdir;
  const toolchain = o.nativeDeps.length
    ? [
        `# Native addons (${o.nativeDeps.join(', ')}) compile here; the compiler stays out of the runtime stage.`,
        'RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*',
      ]
    : [];
  const installCopies = ['COPY package.json package-lock.json ./', ...o.installFiles.map((d) => `COPY ${d} ./${d}`)];
  const copies: string[] = [];
  let lastWhy = '';
  for (const c of imageLayout(o)) {
    if (c.why !== lastWhy) copies.push(`# ${c.why}`);
    lastWhy = c.why;
    const from = c.from === 'context' ? '' : `--from=${c.from} `;
    const src = c.from === 'context' ? c.src : `${w}/${c.src}`;
    copies.push(`COPY ${from}${src} ${c.dest === '.' ? './' : `./${c.dest}`}`);
  }
  return [
    '# syntax=docker/dockerfile:1',
    '# Generated by `dqm docker init`. Build: dqm docker build --tag dqm-playground',
    '',
    '# 1. Production dependencies only: no test runner, no TypeScript compiler, no Playwright.',
    `FROM ${o.baseImage} AS deps`,
    `WORKDIR ${w}`,
    ...toolchain,
    '# The postinstall hook would build the dashboard: the build stage does that explicitly.',
    'ENV DQM_SKIP_BUILD=1',
    ...installCopies,
    'RUN npm ci --omit=dev --no-audit --no-fund \\',
    '    && cd node_modules && rm -rf \\',
    ...[...o.prune, ...nativeLeftovers(o.nativeDeps)].map((p) => `       ${p} \\`),
    '    && cd .. \\',
    '    && npm cache clean --force',
    '',
    '# 2. Build the dashboard with every dependency; only its standalone output leaves this stage.',
    `FROM ${o.baseImage} AS build`,
    `WORKDIR ${w}`,
    ...toolchain,
    'ENV NEXT_TELEMETRY_DISABLED=1 DQM_SKIP_BUILD=1',
    ...installCopies,
    'RUN npm ci --no-audit --no-fund',
    'COPY . .',
    'RUN mkdir -p public && npx next build \\',
    `    && rm -rf ${o.standalonePrune.map((p) => `.next/standalone/node_modules/${p}`).join(' ')}`,
    '',
    '# 3. Runtime: what the Dockerfile copies below is all the image holds besides the base.',
    `FROM ${o.baseImage} AS runtime`,
    `WORKDIR ${w}`,
    'ENV NODE_ENV=production NEXT_TELEMETRY_DISABLED=1',
    `RUN groupadd --system --gid ${o.uid} ${o.user} \\`,
    `    && useradd --system --uid ${o.uid} --gid ${o.user} --home-dir ${w} --shell /usr/sbin/nologin ${o.user}`,
    ...copies,
    '# `dqm` on the PATH, and an entrypoint that makes `docker run IMAGE run --env ci` mean `dqm run --env ci`.',
    `RUN printf '#!/bin/sh\\nexec node ${w}/bin/dqm.js "$@"\\n' > /usr/local/bin/dqm \\`,
    `    && printf '#!/bin/sh\\nif [ $# -eq 0 ] || ! command -v "$1" >/dev/null 2>&1; then set -- dqm "$@"; fi\\nexec "$@"\\n' > /usr/local/bin/dqm-entrypoint \\`,
    '    && chmod 755 /usr/local/bin/dqm /usr/local/bin/dqm-entrypoint \\',
    `    && mkdir -p data .dqm && chown ${o.user}:0 data .dqm && chmod 775 data .dqm`,
    '# Code stays owned by root (read-only for the app); only data/ and the run store are writable,',
    '# also by the random uid (group 0) that OpenShift runs containers with.',
    `USER ${o.uid}:${o.uid}`,
    `EXPOSE ${o.port}`,
    `VOLUME ["${w}/data"]`,
    'ENTRYPOINT ["dqm-entrypoint"]',
    // `dqm viz` listens on 4141 by default (as Kedro-Viz); a custom port is passed explicitly.
    `CMD ["dqm","viz","--host","0.0.0.0",${o.port === 4141 ? '' : `"--port","${o.port}",`}"--no-browser"]`,
    '',
  ].join('\n');
}

/** Keeps the build context small and free of local state; tests never reach the image. */
export function renderDockerignore(): string {
  return [
    '# Generated by `dqm docker init`',
    '.git',
    'node_modules',
    '.next',
    'data',
    '.dqm',
    'coverage',
    'test-results',
    'playwright-report',
    'e2e',
    '**/*.test.ts',
    '**/*.test.tsx',
    '*.tsbuildinfo',
    'Dockerfile',
    '.dockerignore',
    'conf/local/credentials*.yml',
    '',
  ].join('\n');
}

/**
 * Options taken from the project itself: source folders that exist, and the production
 * dependencies that need install scripts (read from package-lock.json).
 */
export function optionsForProject(root: string, base: DockerfileOptions = {}): DockerfileOptions {
  const sourceDirs = (base.sourceDirs ?? DEFAULT_SOURCE_DIRS).filter((d) => fs.existsSync(path.join(root, d)));
  const installFiles = (base.installFiles ?? ['scripts']).filter((d) => fs.existsSync(path.join(root, d)));
  return { ...base, sourceDirs, installFiles, nativeDeps: base.nativeDeps ?? nativeProductionDeps(root) };
}

/** The production packages of the lockfile (what `npm ci --omit=dev` installs), by node_modules path. */
export function productionPackages(root: string): Array<{ path: string; hasInstallScript: boolean }> {
  const lockFile = path.join(root, 'package-lock.json');
  if (!fs.existsSync(lockFile)) return [];
  const lock = JSON.parse(fs.readFileSync(lockFile, 'utf8')) as { packages?: Record<string, { dev?: boolean; hasInstallScript?: boolean }> };
  return Object.entries(lock.packages ?? {})
    .filter(([p, info]) => p.startsWith('node_modules/') && !info.dev)
    .map(([p, info]) => ({ path: p, hasInstallScript: !!info.hasInstallScript }));
}

function nativeProductionDeps(root: string): string[] {
  return productionPackages(root)
    .filter((p) => p.hasInstallScript)
    .map((p) => p.path.slice(p.path.lastIndexOf('node_modules/') + 'node_modules/'.length))
    // Next's optional sharp/swc binaries ship prebuilt; only real compiles need the toolchain.
    .filter((name) => !['sharp', 'esbuild', 'unrs-resolver'].includes(name) && !name.startsWith('@next/'));
}
