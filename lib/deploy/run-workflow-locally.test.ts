import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runStepsLocally, workflowSteps, type WorkflowJson } from './index';

const REPO = path.resolve(__dirname, '../..');
// The real `dqm` command (bin/dqm.js registers tsx itself).
const DQM_BIN = path.join(REPO, 'bin/dqm.js');
const DQM = [process.execPath, DQM_BIN];

/**
 * A small project with real files: two layers (a modular pipeline under namespaces layer_1 and
 * layer_2) scale and summarise raw numbers, then one node combines both into a report.
 */
function writeProject(root: string): void {
  const files: Record<string, string> = {
    'package.json': JSON.stringify({ name: 'argo-local', version: '0.0.1', type: 'module' }),
    'conf/base/parameters.yml': 'run: 0\nlayer_1:\n  factor: 2\nlayer_2:\n  factor: 3\n',
    'conf/base/catalog.yml': [
      'raw_numbers:\n  type: json.JSONDataset\n  filepath: data/01_raw/numbers.json',
      ...['layer_1', 'layer_2'].flatMap((l) => [
        `${l}.scaled:\n  type: json.JSONDataset\n  filepath: data/02_intermediate/${l}_scaled.json`,
        `${l}.summary:\n  type: json.JSONDataset\n  filepath: data/03_primary/${l}_summary.json`,
      ]),
      'report:\n  type: json.JSONDataset\n  filepath: data/08_reporting/report.json',
      'report_table:\n  type: pandas.CSVDataset\n  filepath: data/08_reporting/report.csv',
      // Per-run pattern: the run's raw file is picked by the `run` parameter; its result is one
      // partition of a folder, which the first node that is not per run reads whole.
      'raw_run:\n  type: json.JSONDataset\n  filepath: data/01_raw/runs/run_${runtime_params:run, 0}.json',
      'scaled_runs:\n  type: partitions.PartitionedDataset\n  path: data/02_intermediate/scaled_runs\n  dataset: json.JSONDataset\n  filename_suffix: .json',
      'run_totals:\n  type: json.JSONDataset\n  filepath: data/08_reporting/run_totals.json',
      '',
    ].join('\n'),
    'conf/local/.gitkeep': '',
    'data/01_raw/numbers.json': JSON.stringify([3, 1, 4, 1, 5, 9, 2, 6]),
    'data/01_raw/runs/run_316187.json': JSON.stringify([1, 2, 3]),
    'data/01_raw/runs/run_316188.json': JSON.stringify([10, 20]),
    'pipelines/registry.ts': `
import { node, pipeline, Pipeline } from 'dqm-playground-ds/pipeline';
import { table } from 'dqm-playground-ds/data';

function scale(values: number[], factor: number) { return values.map((v) => v * factor); }
function summarise(values: number[]) {
  return { n: values.length, sum: values.reduce((a, b) => a + b, 0), max: Math.max(...values) };
}
function combine(a: { sum: number; max: number }, b: { sum: number; max: number }) {
  return [{ total: a.sum + b.sum, max: Math.max(a.max, b.max) }, table({ layer: ['layer_1', 'layer_2'], sum: [a.sum, b.sum] })];
}

function scaleRun(values: number[], run: number, factor: number) { return { ['run_' + run]: values.map((v) => v * factor) }; }
async function totals(parts: Record<string, () => Promise<number[]>>) {
  const out: Record<string, number> = {};
  for (const id of Object.keys(parts).sort()) out[id] = (await parts[id]!()).reduce((a, b) => a + b, 0);
  return out;
}

export function registerPipelines() {
  const layer = new Pipeline([
    node(scale, ['raw_numbers', 'params:factor'], 'scaled', { name: 'scale', tags: ['cpu:1'] }),
    node(summarise, 'scaled', 'summary', { name: 'summarise' }),
  ]);
  const layers = ['layer_1', 'layer_2'].map((ns) =>
    pipeline(layer, { namespace: ns, inputs: 'raw_numbers', parameters: { 'params:factor': \`params:\${ns}.factor\` } }),
  );
  const report = new Pipeline([node(combine, ['layer_1.summary', 'layer_2.summary'], ['report', 'report_table'], { name: 'combine' })]);
  const all = new Pipeline([...layers, report]);
  const perRun = new Pipeline([
    node(scaleRun, ['raw_run', 'params:run', 'params:layer_1.factor'], 'scaled_runs', { name: 'scale_run', tags: ['per_run'] }),
    node(totals, 'scaled_runs', 'run_totals', { name: 'run_totals' }),
  ]);
  return { __default__: all, reporting: report, per_run: perRun };
}
`,
  };
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
  // The framework as a dependency, by its package name (as a project outside this repository).
  fs.mkdirSync(path.join(root, 'node_modules'), { recursive: true });
  fs.symlinkSync(REPO, path.join(root, 'node_modules', 'dqm-playground-ds'), 'dir');
}

function dqm(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(DQM[0]!, [...DQM.slice(1), ...args], { cwd, encoding: 'utf8' });
}

/** Every file under data/ except the raw inputs, path -> bytes. */
function outputs(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (!p.includes(`${path.sep}01_raw${path.sep}`)) out.set(path.relative(root, p), fs.readFileSync(p));
    }
  };
  walk(path.join(root, 'data'));
  return out;
}

describe('a generated workflow, executed locally task by task', () => {
  let tmp: string;
  let reference: Map<string, Buffer>;
  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-argo-'));
    const ref = path.join(tmp, 'reference');
    writeProject(ref);
    const r = dqm(ref, 'run');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    reference = outputs(ref);
  });
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it.each(['node', 'pipeline'])('granularity %s gives byte-identical outputs to a single dqm run', (granularity) => {
    const root = path.join(tmp, granularity);
    writeProject(root);
    const gen = dqm(root, 'argo', '--granularity', granularity, '--image', 'dqm:test', '--output', 'wf/workflow.yml');
    expect(gen.stderr).toBe('');
    expect(gen.stdout).toBe(`Wrote ${path.join(root, 'wf/workflow.yml')} (${granularity === 'node' ? 5 : 3} tasks). Submit it with: argo submit wf/workflow.yml --watch\n`);
    const workflow = parse(fs.readFileSync(path.join(root, 'wf/workflow.yml'), 'utf8')) as WorkflowJson;
    const steps = workflowSteps(workflow);
    expect(steps.map((s) => s.task)).toEqual(
      granularity === 'node'
        ? ['layer-1-scale', 'layer-2-scale', 'layer-1-summarise', 'layer-2-summarise', 'combine']
        : ['layer-1', 'layer-2', 'combine'],
    );
    runStepsLocally(steps, { cwd: root, dqmCommand: DQM });
    const got = outputs(root);
    expect([...got.keys()].sort()).toEqual([...reference.keys()].sort());
    expect(got.size).toBe(6);
    for (const [file, bytes] of reference) expect(got.get(file)!.equals(bytes), file).toBe(true);
  });

  it('--partition-by run: the fanned-out workflow gives the outputs of one dqm run per run', () => {
    const ref = path.join(tmp, 'per-run-reference');
    writeProject(ref);
    for (const run of ['316187', '316188']) expect(dqm(ref, 'run', '--pipeline', 'per_run', '--params', `run=${run}`).status).toBe(0);
    const expected = outputs(ref);
    expect(JSON.parse(expected.get('data/08_reporting/run_totals.json')!.toString())).toEqual({ run_316187: 12, run_316188: 60 });

    const root = path.join(tmp, 'per-run');
    writeProject(root);
    const gen = dqm(root, 'argo', '--pipeline', 'per_run', '--partition-by', 'run', '--runs', '316187,316188', '--output', '-');
    expect(gen.stderr).toBe('');
    const workflow = parse(gen.stdout) as WorkflowJson;
    const steps = workflowSteps(workflow);
    expect(steps.map((s) => s.argv.slice(1).join(' '))).toEqual([
      'run --pipeline per_run --nodes scale_run --env local --params run=316187',
      'run --pipeline per_run --nodes scale_run --env local --params run=316188',
      'run --pipeline per_run --nodes run_totals --env local',
    ]);
    runStepsLocally(steps, { cwd: root, dqmCommand: DQM });
    const got = outputs(root);
    expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [file, bytes] of expected) expect(got.get(file)!.equals(bytes), file).toBe(true);
  });

  it('dqm argo fails with one clear line and exit 1 on bad options', () => {
    const root = path.join(tmp, 'reference');
    const badRuns = dqm(root, 'argo', '--partition-by', 'run', '--runs', '316187,abc');
    expect([badRuns.status, badRuns.stderr]).toEqual([1, "Error: --runs must be a comma-separated list of run numbers, got 'abc' in '316187,abc'\n"]);
    const noPerRun = dqm(root, 'argo', '--partition-by', 'run', '--runs', '316187');
    expect([noPerRun.status, noPerRun.stderr]).toEqual([1, "Error: --partition-by run found no node tagged 'per_run'; tag the nodes that process one run with tags: ['per_run']\n"]);
    expect(fs.existsSync(path.join(root, 'argo-workflow.yml'))).toBe(false);
  });

  it('reports a failing task with its command and error', () => {
    const root = path.join(tmp, 'failing');
    writeProject(root);
    fs.rmSync(path.join(root, 'data/01_raw/numbers.json'));
    const steps = [{ task: 'layer-1-scale', argv: ['dqm', 'run', '--nodes', 'layer_1.scale', '--env', 'local'] }];
    expect(() => runStepsLocally(steps, { cwd: root, dqmCommand: DQM })).toThrow(
      /^Task 'layer-1-scale' failed \(dqm run --nodes layer_1\.scale --env local\): .*raw_numbers/s,
    );
  });
});

describe('workflowSteps', () => {
  it('expands withItems and substitutes parameters, in dependency order', () => {
    const wf: WorkflowJson = {
      spec: {
        entrypoint: 'main',
        arguments: { parameters: [{ name: 'threshold', value: '3' }] },
        templates: [
          { name: 'main', dag: { tasks: [{ name: 'b', template: 'tb', dependencies: ['a'] }, { name: 'a', template: 'ta', withItems: [7, 8] }] } },
          { name: 'ta', container: { command: ['dqm', 'run', '--params', 'run={{inputs.parameters.run}},t={{workflow.parameters.threshold}}'] } },
          { name: 'tb', container: { command: ['dqm', 'run'] } },
        ],
      },
    };
    expect(workflowSteps(wf)).toEqual([
      { task: 'a', argv: ['dqm', 'run', '--params', 'run=7,t=3'] },
      { task: 'a', argv: ['dqm', 'run', '--params', 'run=8,t=3'] },
      { task: 'b', argv: ['dqm', 'run'] },
    ]);
  });

  it('rejects a DAG with a cycle', () => {
    const wf: WorkflowJson = {
      spec: { entrypoint: 'main', templates: [{ name: 'main', dag: { tasks: [{ name: 'a', template: 'x', dependencies: ['b'] }, { name: 'b', template: 'x', dependencies: ['a'] }] } }] },
    };
    expect(() => workflowSteps(wf)).toThrow('Workflow DAG has a cycle or unknown dependency among: a, b');
  });
});
