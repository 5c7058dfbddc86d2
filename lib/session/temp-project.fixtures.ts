/**
 * Small real projects in temp dirs for the runner, session and CLI tests: conf/base YAML and a
 * pipelines/registry.ts that imports the framework by its package name, as a project outside
 * this repository does (node_modules/dqm-playground-ds links to this checkout).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll } from 'vitest';

export const LIB = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
export const REPO = path.dirname(LIB);

export interface TempProjectSpec {
  /** Files relative to the project root; `{{repo}}` is replaced by this checkout's absolute path. */
  files?: Record<string, string>;
}

export const DEFAULT_CATALOG = `numbers:
  type: json.JSONDataset
  filepath: data/01_raw/numbers.json
total:
  type: json.JSONDataset
  filepath: data/03_primary/total.json
  layer: primary
report:
  type: json.JSONDataset
  filepath: data/08_reporting/report.json
`;

export const DEFAULT_PARAMETERS = `factor: 2
model:
  offset: 1
`;

/** Extra node functions (source text) and pipelines (name -> `new Pipeline([...])` expression). */
export interface RegistryExtras {
  functions?: string;
  pipelines?: Record<string, string>;
}

/**
 * numbers ─ scale ─ scaled ─┬─ total_of ─ total ─┐
 *                           └─ count_of ─ count ─┴─ make_report ─ report
 * `scaled` and `count` are memory datasets. Node `explode` (pipeline 'failing') prints a line, then
 * throws from a helper (a two-frame stack in the project's registry.ts).
 * `extras` adds functions and pipelines (see SLOW_PIPELINE) instead of patching the text.
 */
export function registrySource(extras: RegistryExtras = {}): string {
  const more = Object.entries(extras.pipelines ?? {});
  return `import { node, Pipeline } from 'dqm-playground-ds/pipeline';
import { reportProgress } from 'dqm-playground-ds/progress';

export function scale(xs: number[], factor: number): number[] {
  return xs.map((x, i) => {
    reportProgress(i + 1, xs.length, 'numbers');
    return x * factor;
  });
}
export function total_of(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
export function count_of(xs: number[]): number {
  return xs.length;
}
export function make_report(total: number, count: number, offset: number) {
  return { total, count, mean: total / count + offset };
}
export function explode(total: number): number {
  console.log(\`checking the detector (total \${total})\`);
  return ignite();
}
function ignite(): number {
  throw new Error('boom: the detector is on fire');
}
${extras.functions ?? ''}
export function registerPipelines(ctx: { parameters: Record<string, unknown> }): Record<string, Pipeline> {
  const main = new Pipeline([
    node(scale, ['numbers', 'params:factor'], 'scaled', { tags: 'prep' }),
    node(total_of, 'scaled', 'total'),
    node(count_of, 'scaled', 'count'),
    node(make_report, ['total', 'count', 'params:model.offset'], 'report', { tags: 'report' }),
  ]);
  const failing = new Pipeline([
    node(scale, ['numbers', 'params:factor'], 'scaled'),
    node(total_of, 'scaled', 'total'),
    node(explode, 'total', 'never'),
  ]);
  return { __default__: main, main, failing${more.map(([name, expr]) => `, ${name}: ${expr}`).join('')} };
}
`;
}

export const DEFAULT_REGISTRY = registrySource();

/**
 * The named "slow pipeline" state: `slow` = scale -> total_of -> wait_long, whose last node
 * waits two minutes (until a test cancels or kills the run); `total` is saved before it.
 */
export const SLOW_PIPELINE: Required<RegistryExtras> = {
  functions: `export async function wait_long<T>(x: T): Promise<T> {
  await new Promise((resolve) => setTimeout(resolve, 120_000));
  return x;
}
`,
  pipelines: { slow: "new Pipeline([node(scale, ['numbers', 'params:factor'], 'scaled'), node(total_of, 'scaled', 'total'), node(wait_long, 'total', 'waited')])" },
};

/** The default project's registry plus the slow pipeline. */
export const SLOW_REGISTRY = registrySource(SLOW_PIPELINE);

export function makeTempProject(spec: TempProjectSpec = {}): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'dqm-project-'));
  const files: Record<string, string> = {
    // ESM, as the real project: without it tsx compiles the registry as CommonJS
    'package.json': '{ "name": "temp-dqm-project", "private": true, "type": "module" }\n',
    'conf/base/catalog.yml': DEFAULT_CATALOG,
    'conf/base/parameters.yml': DEFAULT_PARAMETERS,
    'conf/local/.gitkeep': '',
    'data/01_raw/numbers.json': '[1, 2, 3, 4]',
    'pipelines/registry.ts': DEFAULT_REGISTRY,
    ...spec.files,
  };
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(root, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text.replaceAll('{{repo}}', REPO));
  }
  mkdirSync(path.join(root, 'node_modules'), { recursive: true });
  symlinkSync(REPO, path.join(root, 'node_modules', 'dqm-playground-ds'), 'dir');
  return root;
}

/**
 * Runs a TypeScript file of the project in a real Node process with tsx's loader (as `dqm`
 * runs), not in vitest's module loader: for checks of Node's own module resolution.
 */
export function runTsInProject(root: string, file: string): { stdout: string; stderr: string; status: number | null } {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return spawnSync(process.execPath, ['--import', tsx, file], { cwd: root, encoding: 'utf8', timeout: 120_000 });
}

/** `file:` URL of a framework file, for scripts that import it as the CLI does (by path). */
export const frameworkUrl = (rel: string): string => pathToFileURL(path.join(REPO, rel)).href;

/** `project(files)` makes a temp project; all of them are removed after the test file. */
export function tempProjects(): (files?: Record<string, string>) => string {
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => rmSync(r, { recursive: true, force: true })));
  return (files = {}) => {
    const root = makeTempProject({ files });
    roots.push(root);
    return root;
  };
}
