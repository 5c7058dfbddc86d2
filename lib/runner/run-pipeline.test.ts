import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DataCatalog } from '../io';
import { node, Pipeline } from '../pipeline';
import { reportProgress } from '../progress';
import { RunError, RunnerError, runPipeline, type Hooks, type RunEvent } from './index';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function scale(xs: number[], factor: number): number[] {
  return xs.map((x, i) => {
    reportProgress(i + 1, xs.length, 'numbers');
    return x * factor;
  });
}
const total_of = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const count_of = (xs: number[]) => xs.length;
const make_report = (total: number, count: number) => ({ total, count });
function explode(): number {
  throw new Error('boom');
}
const named = <F extends (...a: never[]) => unknown>(name: string, fn: F) => Object.defineProperty(fn, 'name', { value: name });

const pipeline = new Pipeline([
  node(scale, ['numbers', 'params:factor'], 'scaled'),
  node(named('total_of', total_of), 'scaled', 'total'),
  node(named('count_of', count_of), 'scaled', 'count'),
  node(named('make_report', make_report), ['total', 'count'], 'report'),
]);

let root: string;
function catalog(): DataCatalog {
  const c = DataCatalog.fromConfig(
    {
      numbers: { type: 'json.JSONDataset', filepath: 'data/numbers.json' },
      total: { type: 'json.JSONDataset', filepath: 'data/total.json' },
      report: { type: 'json.JSONDataset', filepath: 'data/report.json' },
    },
    { projectRoot: root },
  );
  c.addFeedDict({ factor: 2 });
  return c;
}

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'dqm-runner-'));
  dirs.push(root);
  mkdirSync(path.join(root, 'data'));
  writeFileSync(path.join(root, 'data/numbers.json'), '[1,2,3,4]');
});

describe('runPipeline (sequential)', () => {
  it('runs every node, saves outputs and reports a summary', async () => {
    const result = await runPipeline(pipeline, catalog(), { runId: 'r1' });
    expect(result.status).toBe('success');
    expect(result.runId).toBe('r1');
    expect(result.nodes.map((n) => [n.name, n.status])).toEqual([
      ['scale', 'completed'],
      ['count_of', 'completed'],
      ['total_of', 'completed'],
      ['make_report', 'completed'],
    ]);
    expect(result.nodes.every((n) => typeof n.durationMs === 'number')).toBe(true);
    expect(result.datasetsSaved).toEqual(['scaled', 'count', 'total', 'report']);
    expect(JSON.parse(readFileSync(path.join(root, 'data/report.json'), 'utf8'))).toEqual({ total: 20, count: 4 });
  });

  it('emits events in order, with progress reported by the node', async () => {
    const events: RunEvent[] = [];
    await runPipeline(pipeline.onlyNodes('scale', 'count_of'), catalog(), { runId: 'r2', pipelineName: 'p', onEvent: (e) => events.push(e) });
    const brief = events.map((e) => (e.type === 'progress' ? `progress ${e.node} ${e.done}/${e.total} ${e.unit}` : `${e.type} ${'node' in e ? e.node : 'dataset' in e ? e.dataset : ''}`.trim()));
    expect(brief[0]).toBe('run_started');
    expect(events[0]).toMatchObject({ type: 'run_started', runId: 'r2', pipeline: 'p', nodes: ['scale', 'count_of'] });
    expect(brief.slice(1)).toEqual(
      expect.arrayContaining(['node_started scale', 'progress scale 4/4 numbers', 'dataset_saved scaled', 'node_finished scale', 'node_started count_of', 'node_finished count_of']),
    );
    expect(brief.indexOf('node_finished scale')).toBeLessThan(brief.indexOf('node_started count_of'));
    expect(events.at(-1)).toMatchObject({ type: 'run_finished', status: 'success' });
    expect(events.find((e) => e.type === 'node_started' && e.node === 'count_of')).toMatchObject({ index: 2, total: 2 });
  });

  it('returns memory outputs and releases memory intermediates after their last consumer', async () => {
    const c = catalog();
    const result = await runPipeline(pipeline.onlyNodes('scale', 'count_of'), c);
    expect(result.outputs).toEqual({ count: 4 });
    const full = catalog();
    await runPipeline(pipeline, full);
    expect(await full.exists('scaled')).toBe(false);
  });

  it('calls every hook, in order, with the node, inputs and outputs', async () => {
    const calls: string[] = [];
    const hooks: Hooks = {
      beforePipelineRun: ({ pipelineName }) => void calls.push(`beforePipelineRun ${pipelineName}`),
      afterDatasetLoaded: ({ dataset, node: n }) => void calls.push(`loaded ${dataset} by ${n.name}`),
      beforeNodeRun: async ({ node: n, inputs }) => void calls.push(`before ${n.name} ${Object.keys(inputs).join(',')}`),
      afterNodeRun: ({ node: n, outputs }) => void calls.push(`after ${n.name} ${JSON.stringify(outputs)}`),
      afterDatasetSaved: ({ dataset }) => void calls.push(`saved ${dataset}`),
      afterPipelineRun: ({ outputs }) => void calls.push(`afterPipelineRun ${JSON.stringify(outputs)}`),
    };
    await runPipeline(pipeline.onlyNodes('scale', 'count_of'), catalog(), { hooks: [hooks], pipelineName: 'p' });
    expect(calls).toEqual([
      'beforePipelineRun p',
      'loaded numbers by scale',
      'loaded params:factor by scale',
      'before scale numbers,params:factor',
      'after scale {"scaled":[2,4,6,8]}',
      'saved scaled',
      'loaded scaled by count_of',
      'before count_of scaled',
      'after count_of {"count":4}',
      'saved count',
      'afterPipelineRun {"count":4}',
    ]);
  });

  it('calls onNodeError and onPipelineError when a node fails; a failing hook fails the run', async () => {
    const calls: string[] = [];
    const p = new Pipeline([node(explode, null, 'x')]);
    const hooks: Hooks = {
      onNodeError: ({ node: n, error }) => void calls.push(`node ${n.name}: ${error.message}`),
      onPipelineError: ({ error }) => void calls.push(`pipeline: ${error.message}`),
    };
    await expect(runPipeline(p, catalog(), { hooks: [hooks] })).rejects.toThrow(RunError);
    expect(calls).toEqual(['node explode: boom', 'pipeline: boom']);
    const bad: Hooks = {
      beforeNodeRun: () => {
        throw new Error('hook broke');
      },
    };
    await expect(runPipeline(pipeline.onlyNodes('scale'), catalog(), { hooks: [bad] })).rejects.toThrow(
      "Node 'scale' failed: Hook beforeNodeRun failed: hook broke. Resume the run with: dqm run --from-nodes scale",
    );
  });
});

describe('runPipeline failures', () => {
  it('names a node that throws, its error and the resume command; earlier outputs stay', async () => {
    const p = new Pipeline([...pipeline.nodes, node(explode, 'report', 'never')]);
    const events: RunEvent[] = [];
    const err = await runPipeline(p, catalog(), { onEvent: (e) => events.push(e) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunError);
    const runError = err as RunError;
    expect(runError.message).toBe("Node 'explode' failed: boom. Resume the run with: dqm run --from-nodes explode");
    expect(runError.nodeName).toBe('explode');
    expect(runError.result.status).toBe('failed');
    expect(runError.result.nodes.at(-1)).toMatchObject({ name: 'explode', status: 'failed', error: { code: 'Error', message: 'boom' } });
    expect(existsSync(path.join(root, 'data/report.json'))).toBe(true);
    expect(events.find((e) => e.type === 'node_failed')).toMatchObject({ node: 'explode', resumeCommand: 'dqm run --from-nodes explode' });
    expect(events.at(-1)).toMatchObject({ type: 'run_finished', status: 'failed' });
  });

  it('resumes from the nearest nodes with persisted inputs (memory inputs are lost)', async () => {
    const p = new Pipeline([...pipeline.nodes.filter((n) => n.name !== 'count_of'), node(named('count_of', () => explode()), 'scaled', 'count')]);
    await expect(runPipeline(p, catalog(), { resumeCommand: (nodes) => `dqm run --from-nodes ${nodes.join(',')} --env ci` })).rejects.toThrow(
      "Node 'count_of' failed: boom. Resume the run with: dqm run --from-nodes scale --env ci",
    );
  });

  it('refuses inputs nothing produces and the catalog lacks, before anything runs', async () => {
    const p = new Pipeline([node(named('use', (a: unknown) => a), ['numbrs', 'params:factr'], 'out')]);
    const events: RunEvent[] = [];
    const run = runPipeline(p, catalog(), { env: 'local', onEvent: (e) => events.push(e) });
    await expect(run).rejects.toThrow(RunnerError);
    await expect(runPipeline(p, catalog(), { env: 'local' })).rejects.toThrow(
      "Pipeline inputs not found in the DataCatalog (env 'local') and produced by no node of this run: 'numbrs' (no catalog entry; did you mean 'numbers'?), 'params:factr' (no such parameter; did you mean 'params:factor'?)",
    );
    expect(events).toEqual([]);
  });

  it('explains that a memory input comes from a node outside the run', async () => {
    await expect(runPipeline(pipeline.onlyNodes('count_of'), catalog(), { fullPipeline: pipeline })).rejects.toThrow(
      "Pipeline input not found in the DataCatalog and produced by no node of this run: 'scaled' (a memory dataset of node 'scale', which is not part of this run)",
    );
  });

  it('refuses a persisted input whose file is missing, naming dataset and path', async () => {
    rmSync(path.join(root, 'data/numbers.json'));
    await expect(runPipeline(pipeline, catalog(), { env: 'ci' })).rejects.toThrow("Input dataset has no data (env 'ci'): 'numbers' (data/numbers.json does not exist)");
  });
});

describe('--only-missing-outputs', () => {
  it('skips nodes whose persisted outputs exist and re-runs what a missing output needs', async () => {
    await runPipeline(pipeline, catalog());
    const again = await runPipeline(pipeline, catalog(), { onlyMissingOutputs: true });
    expect(again.nodes.map((n) => n.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);

    rmSync(path.join(root, 'data/report.json'));
    const partial = await runPipeline(pipeline, catalog(), { onlyMissingOutputs: true });
    // make_report needs `count`, a memory dataset: count_of and scale run again; total_of does not.
    expect(Object.fromEntries(partial.nodes.map((n) => [n.name, n.status]))).toEqual({
      scale: 'completed',
      count_of: 'completed',
      total_of: 'skipped',
      make_report: 'completed',
    });

    rmSync(path.join(root, 'data/total.json'));
    const downstream = await runPipeline(pipeline, catalog(), { onlyMissingOutputs: true });
    expect(downstream.nodes.filter((n) => n.status === 'completed').map((n) => n.name)).toEqual(['scale', 'count_of', 'total_of', 'make_report']);
  });
});
