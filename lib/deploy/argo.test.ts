import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { node, pipeline, Pipeline } from '../pipeline';
import { Project } from '../session';
import { buildArgoWorkflow, datasetPathsOf, DNS_LABEL, DeployError, planTasks, resourcesParameter, workflowToYaml, type ArgoOptions } from './index';
import { sharedPath } from '../../tests/shared-data.fixtures';

const SCHEMA = sharedPath('schemas/argo-workflows.schema.json');

// The official schema is 600 kB: compile it once for the whole file.
let validateWorkflow: (data: unknown) => string[];
beforeAll(() => {
  const schema = JSON.parse(fs.readFileSync(SCHEMA, 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  // Kubernetes' integer formats that ajv-formats lacks.
  ajv.addFormat('uint64', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= 0 });
  ajv.addSchema(schema, 'argo');
  const validate = ajv.compile({ $ref: 'argo#/definitions/io.argoproj.workflow.v1alpha1.Workflow' });
  validateWorkflow = (data) => (validate(data) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`));
});

const id = (x: unknown) => x;
/** Two layers of per-run preprocessing and statistics, then one cross-layer aggregation. */
function layerPipeline(): Pipeline {
  const layer = new Pipeline([
    node(id, 'raw_pixel', 'preprocessed', { name: 'preprocess_raw', tags: ['per_run'] }),
    node(id, 'preprocessed', 'summary_statistics', { name: 'summary_statistics', tags: ['per_run', 'cpu:2', 'memory:4Gi'] }),
  ]);
  return new Pipeline([
    pipeline(layer, { namespace: 'layer_1', inputs: { raw_pixel: 'raw_pixel_layer_1' } }),
    pipeline(layer, { namespace: 'layer_2', inputs: { raw_pixel: 'raw_pixel_layer_2' } }),
    node((a: unknown, b: unknown) => [a, b], ['layer_1.summary_statistics', 'layer_2.summary_statistics', 'params:threshold'], 'aggregated_properties', {
      name: 'aggregate_properties',
    }),
  ]);
}

const base: ArgoOptions = { image: 'registry.cern.ch/dqm/playground:1.0', env: 'ci', granularity: 'node', volume: { claimName: 'dqm-data' } };

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const json = (w: { toJSON(): unknown }): Json => JSON.parse(JSON.stringify(w.toJSON())) as Json;
const dag = (w: Json): Json[] => w.spec.templates.find((t: Json) => t.name === w.spec.entrypoint).dag.tasks;
const template = (w: Json, name: string): Json => w.spec.templates.find((t: Json) => t.name === name);

describe('buildArgoWorkflow', () => {
  it('validates against the official Argo schema, as an object and after a YAML round trip', () => {
    const wf = buildArgoWorkflow(layerPipeline(), base);
    expect(validateWorkflow(json(wf))).toEqual([]);
    const yaml = workflowToYaml(wf);
    expect(yaml).toMatch(/^apiVersion: argoproj.io\/v1alpha1\nkind: Workflow\n/);
    expect(validateWorkflow(parse(yaml))).toEqual([]);
  });

  it('the schema check is real: a broken workflow is rejected', () => {
    const broken = json(buildArgoWorkflow(layerPipeline(), base));
    broken.spec.templates[1].container.command = 'dqm run';
    expect(validateWorkflow(broken)).toContain('/spec/templates/1/container/command must be array');
  });

  it('has one template per node, DNS-1123 task names and the dqm run command', () => {
    const wf = json(buildArgoWorkflow(layerPipeline(), base));
    const tasks = dag(wf);
    expect(tasks.map((t) => t.name)).toEqual([
      'layer-1-preprocess-raw',
      'layer-1-summary-statistics',
      'layer-2-preprocess-raw',
      'layer-2-summary-statistics',
      'aggregate-properties',
    ]);
    for (const t of tasks) expect(t.name).toMatch(DNS_LABEL);
    expect(wf.spec.templates).toHaveLength(6);
    const c = template(wf, 'layer-1-summary-statistics').container;
    expect(c.command).toEqual(['dqm', 'run', '--nodes', 'layer_1.summary_statistics', '--env', 'ci']);
    expect(c.image).toBe('registry.cern.ch/dqm/playground:1.0');
    expect(c.volumeMounts).toEqual([{ name: 'dqm-data', mountPath: '/app/data' }]);
    expect(wf.spec.volumes).toEqual([{ name: 'dqm-data', persistentVolumeClaim: { claimName: 'dqm-data' } }]);
    expect(wf.metadata.generateName).toBe('dqm-');
    expect(wf.spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 1001, fsGroup: 1001 });
    const openshift = json(buildArgoWorkflow(layerPipeline(), { ...base, runAsUser: null }));
    expect(openshift.spec.securityContext).toEqual({ runAsNonRoot: true });
    expect(validateWorkflow(openshift)).toEqual([]);
  });

  it("derives each task's dependencies from the producers of its inputs", () => {
    const pipe = layerPipeline();
    const wf = json(buildArgoWorkflow(pipe, base));
    const labelOf = (name: string) => name.replace(/[._]/g, '-');
    for (const task of dag(wf)) {
      const n = pipe.nodes.find((x) => labelOf(x.name) === task.name)!;
      const producers = [...new Set(n.inputs.map((i) => pipe.producerOf(i)?.name).filter((p): p is string => !!p))].map(labelOf).sort();
      expect(task.dependencies ?? []).toEqual(producers);
    }
    expect(dag(wf).find((t) => t.name === 'aggregate-properties')!.dependencies).toEqual(['layer-1-summary-statistics', 'layer-2-summary-statistics']);
  });

  it('makes clashing and long names unique and valid', () => {
    const long = 'a'.repeat(80);
    const pipe = new Pipeline([
      node(id, 'x', 'y', { name: 'layer_1.stats' }),
      node(id, 'y', 'z', { name: 'layer-1.stats' }),
      node(id, 'z', 'w', { name: `${long}_1` }),
      node(id, 'w', 'v', { name: `${long}_2` }),
      node(id, 'v', 'u', { name: 'Dqm-Pipeline' }),
    ]);
    const names = dag(json(buildArgoWorkflow(pipe, base))).map((t) => t.name as string);
    expect(new Set(names).size).toBe(5);
    for (const n of names) {
      expect(n).toMatch(DNS_LABEL);
      expect(n.length).toBeLessThanOrEqual(63);
    }
    expect(names.slice(0, 2)).toEqual(['layer-1-stats', 'layer-1-stats-2']);
    expect(names[4]).toBe('dqm-pipeline-2'); // the entrypoint keeps its name
  });

  it('sets resources from tags and from the argo.resources parameters', () => {
    const wf = json(
      buildArgoWorkflow(layerPipeline(), {
        ...base,
        resources: {
          __default__: { cpu: '500m', memory: '1Gi' },
          'layer_2.summary_statistics': { cpu: 4 },
          aggregate_properties: { requests: { cpu: '1' }, limits: { cpu: '2', memory: '8Gi' } },
        },
      }),
    );
    expect(template(wf, 'layer-1-summary-statistics').container.resources).toEqual({ requests: { cpu: '2', memory: '4Gi' }, limits: { memory: '4Gi' } });
    expect(template(wf, 'layer-2-summary-statistics').container.resources).toEqual({ requests: { cpu: '4', memory: '4Gi' }, limits: { memory: '4Gi' } });
    expect(template(wf, 'layer-1-preprocess-raw').container.resources).toEqual({ requests: { cpu: '500m', memory: '1Gi' }, limits: { memory: '1Gi' } });
    expect(template(wf, 'aggregate-properties').container.resources).toEqual({ requests: { cpu: '1' }, limits: { cpu: '2', memory: '8Gi' } });
    expect(validateWorkflow(wf)).toEqual([]);
  });

  it('fans the per_run tasks out over the runs with withItems and --params run=<item>', () => {
    const wf = json(buildArgoWorkflow(layerPipeline(), { ...base, partitionBy: 'run', runs: [316187, 316188], parameters: { threshold: 3 } }));
    expect(validateWorkflow(wf)).toEqual([]);
    const t = dag(wf).find((x) => x.name === 'layer-1-summary-statistics')!;
    expect(t.withItems).toEqual([316187, 316188]);
    expect(t.arguments).toEqual({ parameters: [{ name: 'run', value: '{{item}}' }] });
    const tpl = template(wf, 'layer-1-summary-statistics');
    expect(tpl.inputs).toEqual({ parameters: [{ name: 'run' }] });
    expect(tpl.container.command).toEqual([
      'dqm', 'run', '--nodes', 'layer_1.summary_statistics', '--env', 'ci', '--params', 'run={{inputs.parameters.run}},threshold={{workflow.parameters.threshold}}',
    ]);
    const agg = dag(wf).find((x) => x.name === 'aggregate-properties')!;
    expect(agg.withItems).toBeUndefined();
    expect(template(wf, 'aggregate-properties').container.command.at(-1)).toBe('threshold={{workflow.parameters.threshold}}');
    expect(wf.spec.arguments).toEqual({ parameters: [{ name: 'threshold', value: '3' }] });
  });

  it('with granularity pipeline has one task per top-level namespace', () => {
    const wf = json(buildArgoWorkflow(layerPipeline(), { ...base, granularity: 'pipeline', pipelineName: 'data_processing', partitionBy: 'run', runs: [316187] }));
    expect(validateWorkflow(wf)).toEqual([]);
    expect(dag(wf).map((t) => [t.name, t.dependencies ?? [], t.withItems ?? null])).toEqual([
      ['layer-1', [], [316187]],
      ['layer-2', [], [316187]],
      ['aggregate-properties', ['layer-1', 'layer-2'], null],
    ]);
    const c = template(wf, 'layer-1').container;
    expect(c.command).toEqual(['dqm', 'run', '--pipeline', 'data_processing', '--namespace', 'layer_1', '--env', 'ci', '--params', 'run={{inputs.parameters.run}}']);
    // A group fits its most demanding node.
    expect(c.resources).toEqual({ requests: { cpu: '2', memory: '4Gi' }, limits: { memory: '4Gi' } });
    expect(template(wf, 'layer-1').metadata.annotations['dqm/nodes']).toBe('layer_1.preprocess_raw,layer_1.summary_statistics');
  });

  it('uses S3 artifacts per dataset file instead of a volume', () => {
    const pipe = new Pipeline([node(id, 'raw', 'clean', { name: 'clean' }), node(id, 'clean', 'report', { name: 'report' })]);
    const wf = json(
      buildArgoWorkflow(pipe, {
        ...base,
        volume: { s3: { bucket: 'dqm', endpoint: 's3.cern.ch', keyPrefix: 'projects/dqm/', accessKeySecret: { name: 's3', key: 'access' }, secretKeySecret: { name: 's3', key: 'secret' } } },
        datasetPaths: { raw: 'data/01_raw/raw.csv', clean: 'data/02_intermediate/clean.parquet', report: 'data/08_reporting/report.json' },
      }),
    );
    expect(validateWorkflow(wf)).toEqual([]);
    expect(wf.spec.volumes).toBeUndefined();
    const clean = template(wf, 'clean');
    expect(clean.container.volumeMounts).toBeUndefined();
    expect(clean.inputs.artifacts).toEqual([
      { name: 'raw', path: '/app/data/01_raw/raw.csv', s3: { key: 'projects/dqm/data/01_raw/raw.csv', bucket: 'dqm', endpoint: 's3.cern.ch', accessKeySecret: { name: 's3', key: 'access' }, secretKeySecret: { name: 's3', key: 'secret' } } },
    ]);
    expect(clean.outputs.artifacts[0]).toMatchObject({ name: 'clean', path: '/app/data/02_intermediate/clean.parquet', archive: { none: {} }, s3: { key: 'projects/dqm/data/02_intermediate/clean.parquet' } });
    expect(template(wf, 'report').inputs.artifacts[0].s3.key).toBe('projects/dqm/data/02_intermediate/clean.parquet');
  });
});

describe('buildArgoWorkflow errors', () => {
  const fails = (opts: Partial<ArgoOptions>, pipe: Pipeline = layerPipeline()) => () => buildArgoWorkflow(pipe, { ...base, ...opts });
  it.each([
    [{ partitionBy: 'run' as const }, '--partition-by run needs the runs to fan out over: --runs 316187,316188'],
    [{ runs: [1] }, '--runs needs --partition-by run'],
    [{ partitionBy: 'run' as const, runs: [0] }, 'Run numbers must be positive integers, got 0'],
    [{ partitionBy: 'run' as const, runs: [1], parameters: { run: 5 } }, "Parameter 'run' is set by --partition-by run; remove it from the workflow parameters"],
    [{ resources: { layer_1: 'big' } }, 'parameter argo.resources.layer_1 must be a mapping like {cpu: 2, memory: 4Gi} or {requests: {...}, limits: {...}}, got "big"'],
    [{ resources: { __default__: { cpus: 2 } } }, "parameter argo.resources.__default__ has unknown key 'cpus' (expected cpu, memory, gpu, or requests/limits)"],
    [{ resources: { __default__: { memory: '4 GB' } } }, "Invalid resource quantity '4 GB' in parameter argo.resources.__default__.memory (expected e.g. 2, 500m, 4Gi)"],
    [{ volume: { s3: {} } }, 'S3 artifacts need the catalog file paths of the datasets (datasetPaths); use a shared volume instead'],
  ])('%j -> exact message', (opts, message) => {
    expect(fails(opts)).toThrow(new DeployError(message));
  });

  it('rejects a bad quantity in a tag, naming the tag and the node', () => {
    const pipe = new Pipeline([node(id, 'a', 'b', { name: 'n', tags: ['memory:lots'] })]);
    expect(fails({}, pipe)).toThrow("Invalid resource quantity 'lots' in tag 'memory:lots' of node 'n' (expected e.g. 2, 500m, 4Gi)");
  });

  it('rejects --partition-by when no node is per_run, and namespaces mixing per_run and other nodes', () => {
    const plain = new Pipeline([node(id, 'a', 'b', { name: 'n' })]);
    expect(fails({ partitionBy: 'run', runs: [1] }, plain)).toThrow("--partition-by run found no node tagged 'per_run'; tag the nodes that process one run with tags: ['per_run']");
    const mixed = pipeline([node(id, 'a', 'b', { name: 'x', tags: 'per_run' }), node(id, 'b', 'c', { name: 'y' })], { namespace: 'ns' });
    expect(fails({ partitionBy: 'run', runs: [1], granularity: 'pipeline' }, mixed)).toThrow(
      "Namespace 'ns' mixes per_run and other nodes (ns.y are not per_run); use --granularity node",
    );
    expect(fails({ partitionBy: 'run', runs: [1], volume: { s3: {} } })).toThrow('--partition-by run needs a shared volume (--pvc): per-run tasks write the same S3 keys');
  });

  it('rejects a dataset passed between tasks in memory', () => {
    expect(fails({ datasetPaths: { raw_pixel_layer_1: 'data/01_raw/l1.pkl' } })).toThrow(
      "Dataset 'layer_1.preprocessed' goes from task 'layer_1.preprocess_raw' to task 'layer_1.summary_statistics' in memory, but tasks run in separate pods; give it a filepath in the catalog or use --granularity pipeline",
    );
  });

  it('rejects namespace groups that would form a cycle', () => {
    const pipe = new Pipeline([
      node(id, 'a', 'ns.b', { name: 'ns.first' }),
      node(id, 'ns.b', 'c', { name: 'middle' }),
      node(id, 'c', 'ns.d', { name: 'ns.last' }),
    ].map((n, i) => (i === 1 ? n : node(n.func, [...n.inputs], [...n.outputs], { name: n.name.slice(3), namespace: 'ns' }))));
    expect(planTasks(pipe, 'node')).toHaveLength(3);
    expect(fails({ granularity: 'pipeline' }, pipe)).toThrow('Grouping by namespace creates a cycle between tasks: ns -> middle -> ns. Use --granularity node');
  });
});

describe('the DQM project itself', () => {
  it('its default pipeline (env ci) becomes a valid workflow, one task per node, every handoff a file', async () => {
    const project = await Project.load({ root: path.resolve(__dirname, '../..'), env: 'ci' });
    const pipe = project.getPipeline();
    for (const granularity of ['node', 'pipeline'] as const) {
      const wf = json(
        buildArgoWorkflow(pipe, {
          ...base,
          granularity,
          resources: resourcesParameter(project.parameters),
          datasetPaths: await datasetPathsOf(project, pipe),
        }),
      );
      expect(validateWorkflow(wf)).toEqual([]);
      const tasks = dag(wf);
      if (granularity === 'node') expect(tasks).toHaveLength(pipe.nodes.length);
      for (const t of tasks) expect(t.name).toMatch(DNS_LABEL);
    }
  });
});
