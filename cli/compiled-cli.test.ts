/**
 * The compiled CLI (scripts/build-cli.js -> dist/) against the TypeScript sources run through
 * tsx: same output; a project's pipelines are bundled on demand, so an edit shows at the next
 * start without any build; bin/dqm.js skips a dist/ older than its sources. Real processes, real
 * esbuild builds (into a folder of this checkout, not the dist/ other tests may be running).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_REGISTRY, REPO, tempProjects } from '../lib/session/temp-project.fixtures';

const project = tempProjects();
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
let outDir = '';

beforeAll(async () => {
  mkdirSync(path.join(REPO, '.dqm'), { recursive: true });
  outDir = mkdtempSync(path.join(REPO, '.dqm', 'compiled-cli-test-'));
  const { buildCli } = (await import(pathToFileURL(path.join(REPO, 'scripts/build-cli.js')).href)) as { buildCli: (o: { outDir: string }) => Promise<unknown> };
  await buildCli({ outDir });
});
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

type Result = { code: number | null; stdout: string; stderr: string };
const run = (cwd: string, argv: string[]): Result => {
  const r = spawnSync(process.execPath, argv, { cwd, encoding: 'utf8', env: { ...process.env, DQM_DEBUG: '', FORCE_COLOR: '0', DQM_FROM_SOURCE: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};
const compiled = (cwd: string, ...args: string[]) => run(cwd, [path.join(outDir, 'cli.mjs'), ...args]);
const source = (cwd: string, ...args: string[]) => run(cwd, ['--import', TSX, path.join(REPO, 'cli/main.ts'), ...args]);
/** Run ids, times and durations differ from one run to the next; everything else must not. */
const stable = (text: string) => text.replace(/\d{8}T\d{6}Z-[0-9a-f]{6}/g, '<run>').replace(/\d+(\.\d+)?m?s\b/g, '<t>');

describe('compiled and source CLI', () => {
  it('print the same version, also through bin/dqm.js', () => {
    const c = compiled(REPO, '--version');
    expect(c).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
    expect(source(REPO, '--version')).toEqual(c);
    expect(run(REPO, [path.join(REPO, 'bin/dqm.js'), '--version'])).toEqual(c);
    expect(run(REPO, [path.join(REPO, 'bin/dqm.js'), '-V'])).toEqual(c);
  });

  it('list the same pipelines and run a project the same way, writing the same outputs', () => {
    const root = project();
    const c = compiled(root, 'registry', 'list');
    expect(c.code).toBe(0);
    expect(c.stdout).toContain('failing      3      2       1\n');
    expect(source(root, 'registry', 'list')).toEqual(c);
    const runC = compiled(root, 'run', '--params', 'factor=3');
    expect(runC.stderr).toBe('');
    expect(runC.stdout).toContain('4/4 nodes completed, 4 datasets saved');
    const report = path.join(root, 'data/08_reporting/report.json');
    const fromCompiled = JSON.parse(readText(report));
    expect(fromCompiled).toEqual({ total: 30, count: 4, mean: 8.5 });
    rmSync(report);
    const runS = source(root, 'run', '--params', 'factor=3');
    expect(stable(runS.stdout)).toBe(stable(runC.stdout));
    expect(runS.stderr).toBe(runC.stderr);
    expect(JSON.parse(readText(report))).toEqual(fromCompiled);
  });

  it('name the same file and line when a project node throws (source maps of the bundle)', () => {
    const root = project();
    const c = run(root, [path.join(outDir, 'cli.mjs'), 'run', '--pipeline', 'failing']);
    expect(c.code).toBe(1);
    expect(c.stderr).toBe("Error: Node 'explode' failed: boom: the detector is on fire. Resume the run with: dqm run --from-nodes explode --pipeline failing\n");
    const debug = spawnSync(process.execPath, [path.join(outDir, 'cli.mjs'), 'run', '--pipeline', 'failing'], { cwd: root, encoding: 'utf8', env: { ...process.env, DQM_DEBUG: '1' } });
    expect(debug.stderr).toContain(`at ignite (${path.join(root, 'pipelines/registry.ts')}:`);
  });
});

describe("a project's own pipelines under the compiled CLI", () => {
  it('are bundled once, reused while unchanged, and an edit is picked up at the next start', () => {
    const root = project();
    expect(compiled(root, 'registry', 'list').stdout).not.toContain('extra');
    const cache = path.join(root, '.dqm/cache');
    const bundles = () => readdirSync(cache).filter((f) => f.endsWith('.mjs')).sort();
    const first = bundles();
    expect(first).toHaveLength(1);
    compiled(root, 'registry', 'list');
    expect(bundles()).toEqual(first);
    // A new pipeline in a new file the registry imports: both files are the project's, no build.
    writeFileSync(path.join(root, 'pipelines/extra.ts'), "import { node, Pipeline } from 'dqm-playground-ds/pipeline';\nconst plusOne = (x: number) => x + 1;\nexport const extra = () => new Pipeline([node(plusOne, 'total', 'total_plus_one')]);\n");
    writeFileSync(path.join(root, 'pipelines/registry.ts'), `import { extra } from './extra';\n${DEFAULT_REGISTRY.replace('return { __default__: main,', 'return { extra: extra(), __default__: main,')}`);
    const edited = compiled(root, 'registry', 'list');
    expect(edited.stderr).toBe('');
    expect(edited.stdout).toContain('extra        1      1       1\n');
    expect(bundles()).toHaveLength(2);
    // An edit of the imported file alone is seen too (every bundled file's mtime is checked).
    writeFileSync(path.join(root, 'pipelines/extra.ts'), "import { node, Pipeline } from 'dqm-playground-ds/pipeline';\nconst plusOne = (x: number) => x + 1;\nconst same = (x: number) => x;\nexport const extra = () => new Pipeline([node(plusOne, 'total', 'a'), node(same, 'a', 'b')]);\n");
    expect(compiled(root, 'registry', 'list').stdout).toContain('extra        2      1       1\n');
  });

  it('a syntax error names the file, line and column, and leaves no bundle behind', () => {
    const root = project({ 'pipelines/registry.ts': `${DEFAULT_REGISTRY}\nexport const broken = ;\n` });
    const line = DEFAULT_REGISTRY.split('\n').length + 1;
    const r = compiled(root, 'registry', 'list');
    expect(r.stderr).toBe(`Error: Failed to load pipelines/registry.ts: pipelines/registry.ts:${line}:23: Unexpected ";"\n`);
    expect(r.code).toBe(1);
    const cache = path.join(root, '.dqm/cache');
    expect(existsSync(cache) ? readdirSync(cache) : []).toEqual([]);
  });
});

describe('bin/dqm.js', () => {
  /** A copy of bin/ with a stand-in dist/ and source entry, each printing which one ran. */
  function fakeCheckout(): string {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dqm-bin-'));
    mkdirSync(path.join(dir, 'bin'));
    for (const f of ['dqm.js', 'dist-freshness.js']) copyFileSync(path.join(REPO, 'bin', f), path.join(dir, 'bin', f));
    // From the sources, bin/dqm.js registers these hooks after tsx's.
    mkdirSync(path.join(dir, 'lib/io'), { recursive: true });
    copyFileSync(path.join(REPO, 'lib/io/package-esm-hooks.mjs'), path.join(dir, 'lib/io/package-esm-hooks.mjs'));
    writeFileSync(path.join(dir, 'package.json'), '{ "name": "fake-dqm", "version": "9.9.9", "type": "module" }\n');
    mkdirSync(path.join(dir, 'cli'));
    writeFileSync(path.join(dir, 'cli/main.ts'), "const from: string = 'source';\nconsole.log(from);\n");
    mkdirSync(path.join(dir, 'dist'));
    writeFileSync(path.join(dir, 'dist/cli.mjs'), "console.log('compiled');\n");
    const inputs = { 'cli/main.ts': statSync(path.join(dir, 'cli/main.ts')).mtimeMs, 'package.json': statSync(path.join(dir, 'package.json')).mtimeMs };
    writeFileSync(path.join(dir, 'dist/manifest.json'), JSON.stringify({ inputs }));
    symlinkSync(path.join(REPO, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
    return dir;
  }
  const which = (dir: string, env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [path.join(dir, 'bin/dqm.js'), 'registry', 'list'], { encoding: 'utf8', env: { ...process.env, DQM_FROM_SOURCE: '', ...env } });
    expect(r.stderr).toBe('');
    return r.stdout.trim();
  };
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('runs dist/ while every source has its recorded mtime, the sources otherwise', () => {
    const dir = fakeCheckout();
    dirs.push(dir);
    expect(which(dir)).toBe('compiled');
    expect(which(dir, { DQM_FROM_SOURCE: '1' })).toBe('source');
    const later = new Date(Date.now() + 5000);
    utimesSync(path.join(dir, 'cli/main.ts'), later, later);
    expect(which(dir)).toBe('source');
  });

  it('runs the sources when dist/ has no manifest or a listed source is gone', () => {
    const noManifest = fakeCheckout();
    const gone = fakeCheckout();
    dirs.push(noManifest, gone);
    rmSync(path.join(noManifest, 'dist/manifest.json'));
    expect(which(noManifest)).toBe('source');
    writeFileSync(path.join(gone, 'dist/manifest.json'), JSON.stringify({ inputs: { 'lib/deleted.ts': 1 } }));
    expect(which(gone)).toBe('source');
  });
});

const readText = (file: string) => readFileSync(file, 'utf8');
