/**
 * `dqm run` as a Kedro user drives `kedro run`: --pipelines, --namespaces, --config, --runner-params,
 * --async, --conf-source; hooks from settings.ts and from an installed package; custom resolvers;
 * typed parameters. Real `node bin/dqm.js` processes in temp projects.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOG, registrySource, REPO, tempProjects } from '../lib/session/temp-project.fixtures';

const BIN = path.join(REPO, 'bin/dqm.js');
const project = tempProjects();

function dqm(cwd: string, args: string[], env: Record<string, string> = {}): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, DQM_DEBUG: '', FORCE_COLOR: '0', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function expectError(result: ReturnType<typeof dqm>, line: string): void {
  expect(result.stderr).toBe(`Error: ${line}\n`);
  expect(result.code).toBe(1);
}

const REGISTRY = registrySource({
  functions: `import { pipeline as modular } from 'dqm-playground-ds/pipeline';
import { z } from 'zod';
export function twice(x: number): number {
  return x * 2;
}
const layer = new Pipeline([node(twice, 'params:factor', 'doubled')]);
`,
  pipelines: {
    spaced: "new Pipeline([modular(layer, { namespace: 'layer_1' }), modular(layer, { namespace: 'layer_2' })])",
    typed: "new Pipeline([node(twice, 'params:model.offset', 'typed_out')], { parameterSchemas: { model: z.object({ offset: z.number(), label: z.string().default('none') }) } })",
  },
});

const SETTINGS = `import { appendFileSync } from 'node:fs';
import type { Hooks } from 'dqm-playground-ds/runner';
const log = (line: string) => appendFileSync('hooks.log', line + '\\n');
export const hooks: Hooks[] = [
  {
    afterContextCreated: ({ context }) => log('afterContextCreated env=' + context.env),
    afterCatalogCreated: ({ catalog, parameters }) => log('afterCatalogCreated numbers=' + catalog.has('numbers') + ' label=' + String((parameters.model as { label?: string }).label)),
    beforeNodeRun: ({ node, isAsync }) => log('beforeNodeRun ' + node.name + ' isAsync=' + isAsync),
    beforeDatasetLoaded: ({ dataset }) => log('beforeDatasetLoaded ' + dataset),
    beforeDatasetSaved: ({ dataset }) => log('beforeDatasetSaved ' + dataset),
  },
];
export const disableHooksForPlugins = process.env.DISABLE_TIMING === '1' ? ['dqm-timing-plugin'] : [];
export const configLoaderArgs = { customResolvers: { times: (a: number, b: number) => a * b } };
`;

const PLUGIN = {
  'node_modules/dqm-timing-plugin/package.json': '{ "name": "dqm-timing-plugin", "version": "1.2.0", "type": "module", "dqm": { "hooks": "./hooks.js" } }\n',
  'node_modules/dqm-timing-plugin/hooks.js':
    "import { appendFileSync } from 'node:fs';\nexport const hooks = { afterPipelineRun: ({ pipelineName }) => appendFileSync('hooks.log', 'plugin afterPipelineRun ' + pipelineName + '\\n') };\n",
};

function kedroProject(files: Record<string, string> = {}): string {
  const root = project({ 'pipelines/registry.ts': REGISTRY, 'conf/ci/parameters.yml': 'factor: 10\n', ...files });
  symlinkSync(path.join(REPO, 'node_modules/zod'), path.join(root, 'node_modules/zod'), 'dir');
  return root;
}

const readJson = (root: string, rel: string) => JSON.parse(readFileSync(path.join(root, rel), 'utf8'));

describe('help', () => {
  it('documents the Kedro options of each command', () => {
    const root = kedroProject();
    const help = (...args: string[]) => dqm(root, [...args, '--help']).stdout;
    const run = help('run');
    for (const flag of ['--pipelines <names>', '--namespaces <names>', '--runner-params <key=value,...>', '--async', '--conf-source <path>', '-c, --config <file>']) expect(run).toContain(flag);
    expect(help('catalog')).toMatch(/describe-datasets\|list \[options\][\s\S]*list-patterns[\s\S]*resolve-patterns/);
    expect(help('catalog', 'resolve-patterns')).toContain('--json');
    expect(help('pipeline', 'delete')).toContain('-y, --yes');
    expect(help('registry', 'describe')).toContain('--namespace <namespace>');
    expect(help('repl')).toContain('project, catalog, pipelines, session');
  });
});

describe('--pipelines and --namespaces', () => {
  const root = kedroProject();

  it('runs several registered pipelines together, narrowed to namespaces', () => {
    const r = dqm(root, ['run', '--pipelines', 'main,spaced', '--namespaces', 'layer_2']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Running pipeline 'main,spaced' \(1 node, run /);
    expect(r.stdout).toContain('layer_2.twice');
    expect(r.stdout).not.toContain('layer_1.twice');
    const both = dqm(root, ['run', '--pipelines', 'main,spaced']);
    expect(both.stdout).toMatch(/6\/6 nodes completed/);
  });

  it('refuses --pipeline with --pipelines, unknown pipelines and namespaces', () => {
    expectError(dqm(root, ['run', '--pipeline', 'main', '--pipelines', 'spaced']), "Options '--pipeline' and '--pipelines' cannot be used together");
    expectError(dqm(root, ['run', '--pipelines', 'main,spacd']), "Unknown pipeline 'spacd'. Registered pipelines: __default__, failing, main, spaced, typed. Did you mean 'spaced'?");
    expectError(dqm(root, ['run', '--pipelines', 'spaced', '--namespaces', 'layer_3']), "Pipeline does not contain nodes with the following namespaces: 'layer_3'. Did you mean 'layer_1' or 'layer_2'?");
  });
});

describe('--config, --runner-params, --async', () => {
  const root = kedroProject({
    'run.yml': 'run:\n  pipelines: main\n  node_names: [scale, total_of]\n  env: ci\n  runner: ParallelRunner\n  runner_params:\n    max_workers: 2\n  params:\n    model:\n      offset: 5\n',
    'typo.yml': 'run:\n  node_name: scale\n',
    'flat.yml': 'pipelines: main\n',
  });

  it('reads the run: section with Kedro key names; command-line options win', () => {
    const r = dqm(root, ['run', '--config', 'run.yml']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/2\/2 nodes completed, 2 datasets saved \(parallel runner\)/);
    expect(readJson(root, 'data/03_primary/total.json')).toBe(100); // env ci: factor 10
    const cli = dqm(root, ['run', '--config', 'run.yml', '--env', 'local', '--runner', 'sequential']);
    expect(cli.stdout).toMatch(/\(sequential runner\)/);
    expect(readJson(root, 'data/03_primary/total.json')).toBe(20);
  });

  it('names an unknown key and a file without run:', () => {
    expectError(
      dqm(root, ['run', '--config', 'typo.yml']),
      'Key `node_name` in provided configuration is not valid. Did you mean `node_names`? Valid keys: tags, env, runner, is_async, runner_params, node_names, to_nodes, from_nodes, from_inputs, to_outputs, load_versions, pipeline, pipelines, conf_source, params, namespace, namespaces, only_missing_outputs (in typo.yml)',
    );
    expectError(dqm(root, ['run', '--config', 'flat.yml']), "--config 'flat.yml' has no 'run:' section with the options (e.g. run:\\n  pipelines: data_processing)");
  });

  it('checks --runner-params and refuses --async with is_async=false', () => {
    expectError(dqm(root, ['run', '--runner-params', 'workers=2']), "Invalid --runner-params key 'workers': supported keys are max_workers, is_async");
    expectError(dqm(root, ['run', '--runner-params', 'max_workers=0']), 'Invalid --runner-params max_workers=0: expected a whole number of at least 1');
    expectError(dqm(root, ['run', '--async', '--runner-params', 'is_async=False']), "Options '--async' and '--runner-params=is_async=False' cannot be used together.");
  });
});

describe('hooks, plugins and custom resolvers from settings.ts', () => {
  const root = kedroProject({
    'pipelines/settings.ts': SETTINGS,
    ...PLUGIN,
    'conf/base/parameters.yml': 'factor: ${times:3,2}\nmodel:\n  offset: 1\n',
  });

  it('calls all hook kinds, passes --async to them and registers the installed package hooks', () => {
    const r = dqm(root, ['run', '--pipeline', 'typed', '--async']);
    expect(r.stderr).toBe('');
    expect(readFileSync(path.join(root, 'hooks.log'), 'utf8').split('\n')).toEqual([
      'afterContextCreated env=local',
      'afterCatalogCreated numbers=true label=none', // zod's default applied before the catalog is built
      'beforeDatasetLoaded params:model.offset',
      'beforeNodeRun twice isAsync=true',
      'beforeDatasetSaved typed_out',
      'plugin afterPipelineRun typed',
      '',
    ]);
  });

  it('disableHooksForPlugins skips the package; the custom resolver typed factor as a number', () => {
    rmSync(path.join(root, 'hooks.log'), { force: true });
    const r = dqm(root, ['run', '--nodes', 'scale,total_of'], { DISABLE_TIMING: '1' });
    expect(r.stderr).toBe('');
    expect(readFileSync(path.join(root, 'hooks.log'), 'utf8')).not.toContain('plugin');
    expect(readJson(root, 'data/03_primary/total.json')).toBe(60); // (1+2+3+4) * ${times:3,2}
  });

  it('a plugin whose hooks file is missing is named with its package.json', () => {
    const broken = kedroProject({ 'node_modules/dqm-broken/package.json': '{ "name": "dqm-broken", "dqm": { "hooks": "./dist/hooks.js" } }' });
    expectError(
      dqm(broken, ['run']),
      'Plugin \'dqm-broken\' declares hooks in node_modules/dqm-broken/package.json ("dqm": {"hooks": "./dist/hooks.js"}), but node_modules/dqm-broken/dist/hooks.js does not exist',
    );
  });
});

describe('typed parameters and --conf-source', () => {
  it('a wrong type names the key and file before any node runs', () => {
    const root = kedroProject({ 'conf/bad/parameters.yml': 'model:\n  offset: ten\n' });
    const r = dqm(root, ['run', '--env', 'bad']);
    expectError(r, "Parameter 'model.offset' in conf/bad/parameters.yml must be a number, got 'ten'");
    expect(r.stdout).toBe('');
    expect(existsSync(path.join(root, 'data/08_reporting/report.json'))).toBe(false);
  });

  it('runs with the configuration of a .tar.gz', () => {
    const root = kedroProject({ 'packed/conf/base/parameters.yml': 'factor: 100\nmodel:\n  offset: 0\n', 'packed/conf/base/catalog.yml': DEFAULT_CATALOG, 'packed/conf/local/.gitkeep': '' });
    execFileSync('tar', ['-czf', path.join(root, 'conf-packed.tar.gz'), '--directory', path.join(root, 'packed'), 'conf']);
    rmSync(path.join(root, 'packed'), { recursive: true });
    writeFileSync(path.join(root, 'conf/base/parameters.yml'), 'factor: 1\nmodel:\n  offset: 0\n');
    const r = dqm(root, ['run', '--conf-source', 'conf-packed.tar.gz']);
    expect(r.stderr).toBe('');
    expect(readJson(root, 'data/08_reporting/report.json')).toEqual({ total: 1000, count: 4, mean: 250 });
    expectError(dqm(root, ['run', '--conf-source', 'missing.zip']), "--conf-source 'missing.zip' does not exist");
  });
});
