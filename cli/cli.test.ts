/**
 * The `dqm` command end to end: `node bin/dqm.js ...` as a child process in temp projects,
 * asserting the exact stderr line and exit code of every failure path.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, tempProjects } from '../lib/session/temp-project.fixtures';

const BIN = path.join(REPO, 'bin/dqm.js');
const project = tempProjects();

function dqm(cwd: string, ...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, DQM_DEBUG: '', FORCE_COLOR: '0' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Asserts a failed command: exit code 1 and exactly one line on stderr. */
function expectError(result: ReturnType<typeof dqm>, line: string): void {
  expect(result.stderr).toBe(`Error: ${line}\n`);
  expect(result.code).toBe(1);
}

const BROKEN_REGISTRY = `import { node, Pipeline } from 'dqm-playground-ds/pipeline';
const a = (x: unknown) => x;
const b = (x: unknown) => x;
const c = (x: unknown) => x;
export function registerPipelines(ctx: { parameters: Record<string, unknown> }): Record<string, Pipeline> {
  if (ctx.parameters.broken === 'cycle') {
    return { __default__: new Pipeline([node(a, 'x', 'y'), node(b, 'y', 'z'), node(c, 'z', 'x')]) };
  }
  if (ctx.parameters.broken === 'twice') {
    return { __default__: new Pipeline([node(a, 'numbers', 'out'), node(b, 'numbers', 'out')]) };
  }
  return { __default__: new Pipeline([node(a, 'numbers', 'out'), node(b, 'unknown_input', 'out2')]) };
}
`;

describe('dqm run', () => {
  const root = project({ 'conf/ci/parameters.yml': 'factor: 10\n' });

  it('runs the default pipeline, prints progress lines and a summary', () => {
    const r = dqm(root, 'run');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Running pipeline '__default__' \(4 nodes, run \d{8}T\d{6}Z-[0-9a-f]{6}\)\n\[1\/4\] scale started\n\[1\/4\] scale completed in \d+ms\n/);
    expect(r.stdout).toMatch(/\nmake_report +completed +\d+ms\n/);
    expect(r.stdout).toMatch(/completed in [\d.]+m?s: 4\/4 nodes completed, 4 datasets saved \(sequential runner\)\n$/);
    expect(JSON.parse(readFileSync(path.join(root, 'data/08_reporting/report.json'), 'utf8'))).toEqual({ total: 20, count: 4, mean: 6 });
  });

  it('takes --env, --params, --nodes and --runner parallel', () => {
    const r = dqm(root, 'run', '--env', 'ci', '--params', 'model.offset=100', '--to-outputs', 'report', '--runner', 'parallel');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(root, 'data/08_reporting/report.json'), 'utf8'))).toEqual({ total: 100, count: 4, mean: 125 });
    const only = dqm(root, 'run', '--nodes', 'scale,total_of', '--only-missing-outputs');
    expect(only.code).toBe(0);
    expect(only.stdout).toContain('0/2 nodes completed, 2 skipped');
  });

  it('names a node that throws, its error and the resume command', () => {
    const r = dqm(root, 'run', '--pipeline', 'failing', '--env', 'ci');
    expectError(r, "Node 'explode' failed: boom: the detector is on fire. Resume the run with: dqm run --from-nodes explode --pipeline failing --env ci");
    expect(r.stdout).toMatch(/\nexplode +failed +\d+ms\n/);
  });

  it('lists the valid pipelines, nodes and envs for unknown ones', () => {
    expectError(dqm(root, 'run', '--pipeline', 'mian'), "Unknown pipeline 'mian'. Registered pipelines: __default__, failing, main. Did you mean 'main'?");
    expectError(
      dqm(root, 'run', '--nodes', 'scael,total_of'),
      "Pipeline '__default__' has no node named 'scael'. Did you mean 'scale'? Valid nodes: scale, count_of, total_of, make_report",
    );
    expectError(dqm(root, 'run', '--env', 'cii'), "Unknown environment 'cii'. Valid environments: 'ci', 'local'. Did you mean 'ci'?");
  });

  it('rejects bad --params', () => {
    expectError(dqm(root, 'run', '--params', 'factor'), "Invalid --params 'factor': expected key=value pairs separated by commas");
  });
});

describe('dqm run: bad project files', () => {
  it('names the catalog entry with an unknown dataset type, and the supported types', () => {
    const root = project({ 'conf/base/catalog.yml': 'numbers:\n  type: foo.BarDataSet\n  filepath: x.json\n' });
    const r = dqm(root, 'run');
    expect(r.stderr).toMatch(/^Error: Catalog entry 'numbers' \(conf\/base\/catalog.yml\) has unknown type 'foo.BarDataSet'. Supported types: .*json.JSONDataset.*pickle.PickleDataset.*\n$/);
    expect(r.code).toBe(1);
  });

  it('names the file and line of malformed YAML', () => {
    const root = project({ 'conf/base/parameters.yml': 'factor: 2\nmodel:\n  offset: [1\n' });
    const r = dqm(root, 'run');
    expect(r.stderr).toMatch(/^Error: Malformed YAML in conf\/base\/parameters.yml at line \d+, column \d+: .+\n$/);
    expect(r.code).toBe(1);
  });

  it('names a missing input file, before anything runs', () => {
    const root = project();
    rmSync(path.join(root, 'data/01_raw/numbers.json'));
    expectError(dqm(root, 'run'), "Input dataset has no data (env 'local'): 'numbers' (data/01_raw/numbers.json does not exist)");
    expect(existsSync(path.join(root, 'data/03_primary'))).toBe(false);
  });

  it('names an input nothing produces and the catalog lacks', () => {
    const root = project({ 'pipelines/registry.ts': BROKEN_REGISTRY });
    expectError(dqm(root, 'run'), "Pipeline input not found in the DataCatalog (env 'local') and produced by no node of this run: 'unknown_input' (no catalog entry)");
  });

  it('names the nodes of a cycle and the two nodes writing one output', () => {
    const root = project({ 'pipelines/registry.ts': BROKEN_REGISTRY });
    expectError(dqm(root, 'run', '--params', 'broken=cycle'), 'Circular dependencies exist among these nodes: a -> b -> c -> a');
    expectError(dqm(root, 'registry', 'list', '--params', 'broken=twice'), "Output 'out' is produced by more than one node: a, b");
  });
});

describe('dqm registry, catalog, pipeline, --version', () => {
  const root = project();

  it('prints the version and help', () => {
    const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
    expect(dqm(root, '--version').stdout).toBe(`${pkg.version}\n`);
    const help = dqm(root, 'catalog', 'list', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: dqm catalog describe-datasets|list [options]');
  });

  it('lists and describes pipelines', () => {
    const list = dqm(root, 'registry', 'list');
    expect(list.stdout.split('\n').slice(0, 5)).toEqual([
      'pipeline     nodes  inputs  outputs',
      '-----------  -----  ------  -------',
      '__default__  4      3       1',
      'failing      3      2       1',
      'main         4      3       1',
    ]);
    const describe = dqm(root, 'registry', 'describe', 'main');
    expect(describe.stdout).toContain("Pipeline 'main': 4 nodes");
    expect(describe.stdout).toMatch(/\nscale +numbers, params:factor +scaled +prep\n/);
  });

  it('catalog list is the old name of catalog describe-datasets', () => {
    const r = dqm(root, 'catalog', 'list', '--pipeline', 'failing');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      ['failing:', '  datasets:', '    json.JSONDataset:', '      - numbers', '      - total', '  factories: {}', '  defaults:', '    MemoryDataset:', '      - never', '      - scaled', ''].join('\n'),
    );
  });

  it('creates a pipeline that is registered and runs', () => {
    const registry = path.join(root, 'pipelines/registry.ts');
    writeFileSync(
      registry,
      readFileSync(registry, 'utf8')
        .replace("import { reportProgress } from", "// dqm:imports\nimport { reportProgress } from")
        .replace('return { __default__: main, main, failing };', 'const pipelines: Record<string, Pipeline> = {\n    // dqm:pipelines\n    main,\n  };\n  return { ...pipelines, __default__: main, failing };'),
    );
    const r = dqm(root, 'pipeline', 'create', 'data_quality');
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('pipelines/data_quality/pipeline.test.ts');
    for (const f of ['nodes.ts', 'pipeline.ts', 'pipeline.test.ts']) expect(existsSync(path.join(root, 'pipelines/data_quality', f))).toBe(true);
    // The generated code imports the framework by its package name (package.json `exports`), as a project outside this repository would.
    expect(readFileSync(path.join(root, 'pipelines/data_quality/pipeline.ts'), 'utf8')).toContain("import { node, Pipeline } from 'dqm-playground-ds/pipeline';");
    expect(readFileSync(registry, 'utf8')).toContain("// dqm:imports\nimport { createPipeline as dataQuality } from './data_quality/pipeline';");
    expect(readFileSync(registry, 'utf8')).toContain('    // dqm:pipelines\n    data_quality: dataQuality(ctx),\n');
    const run = dqm(root, 'run', '--pipeline', 'data_quality', '--params', 'data_quality.length=5');
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('2/2 nodes completed');

    expectError(dqm(root, 'pipeline', 'create', 'data_quality'), "Pipeline 'data_quality' already exists (pipelines/data_quality or an entry in pipelines/registry.ts); choose another name");
    expectError(
      dqm(root, 'pipeline', 'create', 'Data-Quality'),
      "Invalid pipeline name 'Data-Quality': use lower-case letters, digits and underscores, starting with a letter (e.g. data_quality)",
    );
  });
});
