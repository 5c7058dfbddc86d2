/** `dqm pipeline delete NAME` (asks first, `-y`) and `dqm registry describe` with namespaces, in real processes. */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { registrySource, REPO, tempProjects } from '../../lib/session/temp-project.fixtures';
import { createPipelineFiles } from './pipeline';

const project = tempProjects();
const dqm = (cwd: string, args: string[], input?: string) =>
  spawnSync(process.execPath, [path.join(REPO, 'bin/dqm.js'), ...args], { cwd, input, encoding: 'utf8', env: { ...process.env, DQM_DEBUG: '' } });

/** The default temp registry with the markers `dqm pipeline create` writes after. */
function markedRegistry(): string {
  return registrySource()
    .replace('import { reportProgress } from', '// dqm:imports\nimport { reportProgress } from')
    .replace('return { __default__: main, main, failing };', 'const pipelines: Record<string, Pipeline> = {\n    // dqm:pipelines\n    main,\n  };\n  return { ...pipelines, __default__: main, failing };');
}

describe('dqm pipeline delete', () => {
  it('lists what it removes, asks, and keeps everything when the answer is no', async () => {
    const root = project({ 'pipelines/registry.ts': markedRegistry() });
    await createPipelineFiles(root, 'data_quality');
    const before = readFileSync(path.join(root, 'pipelines/registry.ts'), 'utf8');
    const r = dqm(root, ['pipeline', 'delete', 'data_quality'], 'n\n');
    expect(r.stdout).toBe(
      [
        'The following paths will be removed:',
        '',
        'Directories:',
        '  pipelines/data_quality',
        '',
        'Files:',
        '  conf/base/parameters/data_quality.yml',
        '',
        'Lines of pipelines/registry.ts:',
        "  import { createPipeline as dataQuality } from './data_quality/pipeline';",
        '  data_quality: dataQuality(ctx),',
        '',
        "Are you sure you want to delete pipeline 'data_quality'? [y/N]: ",
        '',
      ].join('\n'),
    );
    expect(r.stderr).toBe('Error: Deletion aborted!\n');
    expect(r.status).toBe(1);
    expect(existsSync(path.join(root, 'pipelines/data_quality/pipeline.ts'))).toBe(true);
    expect(readFileSync(path.join(root, 'pipelines/registry.ts'), 'utf8')).toBe(before);
  });

  it('removes the folder, the parameters file and the registry entry on yes; the project still runs', async () => {
    const root = project({ 'pipelines/registry.ts': markedRegistry() });
    await createPipelineFiles(root, 'data_quality');
    const r = dqm(root, ['pipeline', 'delete', 'data_quality'], 'y\n');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/\nPipeline 'data_quality' was successfully deleted\.\n$/);
    expect(existsSync(path.join(root, 'pipelines/data_quality'))).toBe(false);
    expect(existsSync(path.join(root, 'conf/base/parameters/data_quality.yml'))).toBe(false);
    expect(readFileSync(path.join(root, 'pipelines/registry.ts'), 'utf8')).toBe(markedRegistry());
    expect(dqm(root, ['run']).status).toBe(0);
  });

  it('-y deletes without asking and names registry lines it leaves; unknown pipelines and envs are errors', async () => {
    const root = project({ 'pipelines/registry.ts': markedRegistry(), 'conf/base/catalog_extra_step.yml': '' });
    await createPipelineFiles(root, 'extra_step');
    const registry = path.join(root, 'pipelines/registry.ts');
    writeFileSync(registry, readFileSync(registry, 'utf8').replace('__default__: main,', '__default__: main, everything: extraStep(ctx),'));
    const r = dqm(root, ['pipeline', 'delete', 'extra_step', '-y']);
    expect(r.stdout).toBe("\nPipeline 'extra_step' was successfully deleted.\n\npipelines/registry.ts still mentions 'extra_step'; remove it by hand:\n  return { ...pipelines, __default__: main, everything: extraStep(ctx), failing };\n");
    expect(existsSync(path.join(root, 'conf/base/catalog_extra_step.yml'))).toBe(false);
    expect(dqm(root, ['pipeline', 'delete', 'nothing_here', '-y']).stderr).toBe("Error: Pipeline 'nothing_here' not found.\n");
    expect(dqm(root, ['pipeline', 'delete', 'main', '--env', 'prod', '-y']).stderr).toBe(
      "Error: Unable to locate environment 'prod'. Make sure it exists in the project configuration.\n",
    );
  });
});

describe('dqm registry describe', () => {
  it('shows each node\'s namespace and counts the modular pipelines; --namespace narrows, --json for scripts', () => {
    const root = project({
      'pipelines/registry.ts': registrySource({
        functions: "import { pipeline as modular } from 'dqm-playground-ds/pipeline';\nconst layer = new Pipeline([node(scale, ['numbers', 'params:factor'], 'scaled'), node(total_of, 'scaled', 'total')]);\n",
        pipelines: { layers: "new Pipeline([modular(layer, { namespace: 'layer_1' }), modular(modular(layer, { namespace: 'inner' }), { namespace: 'layer_2' })])" },
      }),
    });
    const r = dqm(root, ['registry', 'describe', 'layers']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/\nlayer_2\.inner\.total_of +layer_2\.inner\.scaled +layer_2\.inner\.total +layer_2\.inner\n/);
    expect(r.stdout).toMatch(/\nNamespaces: layer_1 \(2 nodes\), layer_2 \(2 nodes\), layer_2\.inner \(2 nodes\)\n$/);
    const json = JSON.parse(dqm(root, ['registry', 'describe', 'layers', '--namespace', 'layer_1', '--json']).stdout);
    expect(json.nodes.map((n: { name: string; namespace: string }) => `${n.name} in ${n.namespace}`)).toEqual(['layer_1.scale in layer_1', 'layer_1.total_of in layer_1']);
    expect(json.namespaces).toEqual([{ namespace: 'layer_1', nodes: 2 }]);
  });
});
