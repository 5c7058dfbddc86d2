import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunError, type RunEvent } from '../runner';
import { Project, ProjectError } from './index';
import { tempProjects } from './temp-project.fixtures';

const project = tempProjects();
const read = (root: string, rel: string) => JSON.parse(readFileSync(path.join(root, rel), 'utf8'));

describe('Project', () => {
  const root = project({
    'conf/ci/parameters.yml': 'factor: 10\n',
    'pipelines/settings.ts': `export const calls: string[] = [];
export const hooks = [{ afterNodeRun({ node }: { node: { name: string } }) { calls.push(node.name); } }];
`,
  });

  it('loads conf, parameters, the registry and hooks', async () => {
    const p = await Project.load({ root });
    expect(p.root).toBe(root);
    expect(p.env).toBe('local');
    expect(p.parameters).toEqual({ factor: 2, model: { offset: 1 } });
    expect(p.pipelineNames()).toEqual(['__default__', 'failing', 'main']);
    expect(p.getPipeline().nodeNames()).toEqual(['scale', 'count_of', 'total_of', 'make_report']);
    expect(p.hooks.length).toBe(1);
    expect(Object.keys(p.config.catalog)).toEqual(['numbers', 'total', 'report']);
  });

  it('runs the default pipeline and returns a summary', async () => {
    const p = await Project.load({ root });
    const events: RunEvent[] = [];
    const result = await p.run({}, (e) => events.push(e));
    expect(result.status).toBe('success');
    expect(result.pipeline).toBe('__default__');
    expect(result.nodes.map((n) => n.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    expect(result.datasetsSaved).toEqual(['scaled', 'count', 'total', 'report']);
    expect(read(root, 'data/08_reporting/report.json')).toEqual({ total: 20, count: 4, mean: 6 });
    expect(events.some((e) => e.type === 'progress' && e.node === 'scale' && e.done === 4)).toBe(true);
    const settings = await import(path.join(root, 'pipelines/settings.ts'));
    expect(settings.calls).toContain('make_report');
  });

  it('applies the env and runtime params', async () => {
    const ci = await Project.load({ root, env: 'ci' });
    expect(ci.parameters.factor).toBe(10);
    await ci.run({ nodeNames: ['scale', 'total_of'] });
    expect(read(root, 'data/03_primary/total.json')).toBe(100);
    const p = await Project.load({ root, runtimeParams: { factor: 3, model: { offset: 0 } } });
    await p.run({ toOutputs: ['report'] });
    expect(read(root, 'data/08_reporting/report.json')).toEqual({ total: 30, count: 4, mean: 7.5 });
  });

  it('combines filters as Kedro does', async () => {
    const p = await Project.load({ root });
    expect(p.selectPipeline({ fromNodes: ['count_of'] }).nodeNames()).toEqual(['count_of', 'make_report']);
    expect(p.selectPipeline({ toNodes: ['total_of'] }).nodeNames()).toEqual(['scale', 'total_of']);
    expect(p.selectPipeline({ tags: ['report'], fromInputs: ['total'] }).nodeNames()).toEqual(['make_report']);
    expect(p.selectPipeline({ pipeline: 'failing', nodeNames: ['explode'] }).nodeNames()).toEqual(['explode']);
    const result = await p.run({ fromNodes: ['total_of'], toNodes: ['total_of'], nodeNames: ['total_of'] }).catch((e: Error) => e);
    expect((result as Error).message).toBe(
      "Pipeline input not found in the DataCatalog (env 'local') and produced by no node of this run: 'scaled' (a memory dataset of node 'scale', which is not part of this run)",
    );
  });

  it('skips nodes whose outputs exist with onlyMissingOutputs', async () => {
    const p = await Project.load({ root });
    await p.run({});
    const again = await p.run({ onlyMissingOutputs: true });
    expect(again.nodes.every((n) => n.status === 'skipped')).toBe(true);
  });

  it('fails a run with the node, its error and the resume command with --pipeline and --env', async () => {
    const p = await Project.load({ root, env: 'ci' });
    const error = await p.run({ pipeline: 'failing', resumeArgs: ['--params', 'a=1,b=[1, 2]'] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunError);
    expect((error as RunError).message).toBe(
      "Node 'explode' failed: boom: the detector is on fire. Resume the run with: dqm run --from-nodes explode --pipeline failing --env ci --params 'a=1,b=[1, 2]'",
    );
    expect(existsSync(path.join(root, 'data/03_primary/total.json'))).toBe(true);
  });

  describe('errors', () => {
    it('lists the pipelines for an unknown name', async () => {
      const p = await Project.load({ root });
      expect(() => p.getPipeline('mian')).toThrow(ProjectError);
      expect(() => p.getPipeline('mian')).toThrow("Unknown pipeline 'mian'. Registered pipelines: __default__, failing, main. Did you mean 'main'?");
    });

    it('lists the nodes for an unknown node name', async () => {
      const p = await Project.load({ root });
      expect(() => p.selectPipeline({ fromNodes: ['scael'] })).toThrow(
        "Pipeline '__default__' has no node named 'scael'. Did you mean 'scale'? Valid nodes: scale, count_of, total_of, make_report",
      );
    });

    it('rejects --load-versions for datasets not in the catalog', async () => {
      const p = await Project.load({ root });
      await expect(p.run({ loadVersions: { totl: '2024-01-01T00.00.00.000Z' } })).rejects.toThrow(
        "--load-versions names dataset 'totl', which is not in the catalog. Did you mean 'total'?",
      );
    });

    it('names the env that does not exist', async () => {
      await expect(Project.load({ root, env: 'cii' })).rejects.toThrow("Unknown environment 'cii'. Valid environments: 'ci', 'local'. Did you mean 'ci'?");
    });

    it('explains a missing or broken registry', async () => {
      const bare = project();
      rmSync(path.join(bare, 'pipelines/registry.ts'));
      await expect(Project.load({ root: bare })).rejects.toThrow(`No pipeline registry: ${bare}/pipelines/registry.ts does not exist (is '${bare}' the project root?)`);
      writeFileSync(path.join(bare, 'pipelines/registry.ts'), 'export const x = 1;\n');
      await expect(Project.load({ root: bare })).rejects.toThrow('pipelines/registry.ts must export a function registerPipelines(ctx) returning { name: Pipeline }');
      const throwing = project({ 'pipelines/registry.ts': 'export function registerPipelines() { throw new Error("no data"); }\n' });
      await expect(Project.load({ root: throwing })).rejects.toThrow('registerPipelines() in pipelines/registry.ts failed: no data');
    });
  });
});
