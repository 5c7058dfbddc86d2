import { Workflow } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/Workflow';
import type { IArtifact } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/Artifact';
import type { IDAGTask } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/DAGTask';
import type { ITemplate } from '@kubernetes-models/argo-workflows/argoproj.io/v1alpha1/Template';
import { stringify } from 'yaml';
import type { Pipeline } from '../pipeline';
import { toDnsLabel, uniqueDnsLabels } from './dns-name';
import { DeployError } from './errors';
import { checkResources, maxResources, resourcesFor } from './resources';
import { ENTRYPOINT, type Granularity, planTasks, type TaskUnit } from './task-plan';
import { DEFAULT_PIPELINE } from '../pipeline';

/** S3 artifacts instead of a shared volume. Without `bucket`, the cluster's default artifact repository is used. */
export interface S3Options {
  bucket?: string;
  endpoint?: string;
  region?: string;
  insecure?: boolean;
  /** Key prefix in the bucket under which the project's files live (default `dqm`). */
  keyPrefix?: string;
  accessKeySecret?: { name: string; key: string };
  secretKeySecret?: { name: string; key: string };
}

export type VolumeOptions = { claimName: string } | { s3: S3Options };

export interface ArgoOptions {
  /** Workflow name prefix (`generateName`), default `dqm`. */
  name?: string;
  image: string;
  /** The configuration environment passed as `--env`. */
  env: string;
  namespace?: string;
  granularity: Granularity;
  /** Registered pipeline name, passed as `--pipeline` unless it is `__default__`. */
  pipelineName?: string;
  /** Fan the `per_run`-tagged tasks out over `runs`. */
  partitionBy?: 'run';
  runs?: number[];
  /** Shared data folder: a PersistentVolumeClaim mounted at `<workdir>/data`, or S3 artifacts per dataset. */
  volume?: VolumeOptions;
  /** Workflow parameters, passed to every task as `--params name=value` (overridable at `argo submit -p`). */
  parameters?: Record<string, string | number | boolean>;
  /** The `argo.resources` parameters mapping (node or group name, or `__default__` -> resources). */
  resources?: Record<string, unknown>;
  /**
   * From the catalog: dataset -> file path relative to the project root; `null` for a dataset
   * that persists elsewhere (an API); absent for a memory dataset. Enables the check that no
   * memory dataset crosses tasks, and is required for S3 artifacts.
   */
  datasetPaths?: Record<string, string | null>;
  /** The project's folder in the image (default `/app`). */
  workdir?: string;
  /**
   * The image's non-root user id (default 1001), also the volume's fsGroup so it is writable.
   * `null` leaves the uid to the platform (OpenShift assigns one from the project's range).
   */
  runAsUser?: number | null;
}

const DATA_VOLUME = 'dqm-data';

/**
 * Turns a pipeline into an Argo `Workflow`: a DAG template whose tasks are the pipeline's nodes
 * (or top-level namespaces), each running `dqm run --nodes <name>` in the project's image, with
 * `dependencies` on the tasks producing its inputs. Built with the typed models and validated
 * against their schema before it is returned.
 */
export function buildArgoWorkflow(pipeline: Pipeline, opts: ArgoOptions): Workflow {
  const workdir = opts.workdir ?? '/app';
  checkResources(opts.resources);
  const units = planTasks(pipeline, opts.granularity);
  const partitioned = checkPartition(units, opts);
  if (opts.datasetPaths) checkPersisted(units, opts.datasetPaths);
  const s3 = opts.volume && 's3' in opts.volume ? opts.volume.s3 : undefined;
  if (s3 && !opts.datasetPaths) {
    throw new DeployError('S3 artifacts need the catalog file paths of the datasets (datasetPaths); use a shared volume instead');
  }
  const params = workflowParameters(opts.parameters, partitioned);

  const tasks: IDAGTask[] = [];
  const templates: ITemplate[] = [];
  for (const unit of units) {
    const fanOut = partitioned && unit.perRun;
    const task: IDAGTask = { name: unit.label, template: unit.label };
    if (unit.dependencies.length) task.dependencies = unit.dependencies;
    if (fanOut) {
      task.withItems = opts.runs!;
      task.arguments = { parameters: [{ name: 'run', value: '{{item}}' }] };
    }
    tasks.push(task);
    templates.push(taskTemplate(unit, opts, workdir, params, fanOut, s3));
  }

  const spec: Workflow['spec'] = {
    entrypoint: ENTRYPOINT,
    templates: [{ name: ENTRYPOINT, dag: { tasks } }, ...templates],
    securityContext:
      opts.runAsUser === null ? { runAsNonRoot: true } : { runAsNonRoot: true, runAsUser: opts.runAsUser ?? 1001, fsGroup: opts.runAsUser ?? 1001 },
  };
  if (params.length) spec.arguments = { parameters: params.map((p) => ({ name: p.argoName, value: p.value })) };
  if (opts.volume && 'claimName' in opts.volume) {
    spec.volumes = [{ name: DATA_VOLUME, persistentVolumeClaim: { claimName: opts.volume.claimName } }];
  }
  const workflow = new Workflow({
    metadata: {
      generateName: `${toDnsLabel(opts.name ?? 'dqm', 50)}-`,
      ...(opts.namespace ? { namespace: opts.namespace } : {}),
      labels: { 'app.kubernetes.io/name': 'dqm', 'app.kubernetes.io/component': 'pipeline' },
      annotations: { 'dqm/pipeline': opts.pipelineName ?? DEFAULT_PIPELINE, 'dqm/env': opts.env },
    },
    spec,
  });
  try {
    workflow.validate();
  } catch (error) {
    throw new DeployError(`Generated workflow does not match the Argo schema: ${(error as Error).message}`, { cause: error });
  }
  return workflow;
}

/** The workflow as YAML, ready for `argo submit`. */
export function workflowToYaml(workflow: Workflow): string {
  return stringify(workflow.toJSON(), { lineWidth: 0 });
}

/** The `dqm run` arguments of one task (without the leading `dqm`). */
export function taskCommand(unit: TaskUnit, opts: Pick<ArgoOptions, 'env' | 'pipelineName'>, runParams: string[] = []): string[] {
  const select = unit.kind === 'namespace' ? ['--namespace', unit.key] : ['--nodes', unit.key];
  const pipe = opts.pipelineName && opts.pipelineName !== DEFAULT_PIPELINE ? ['--pipeline', opts.pipelineName] : [];
  const params = runParams.length ? ['--params', runParams.join(',')] : [];
  return ['run', ...pipe, ...select, '--env', opts.env, ...params];
}

interface WorkflowParam {
  /** Name in the project's parameters (`layer_1.threshold`). */
  name: string;
  /** Name as an Argo parameter (`layer_1-threshold`). */
  argoName: string;
  value: string;
}

function workflowParameters(parameters: ArgoOptions['parameters'], partitioned: boolean): WorkflowParam[] {
  const out: WorkflowParam[] = [];
  for (const [name, value] of Object.entries(parameters ?? {})) {
    if (partitioned && name === 'run') throw new DeployError("Parameter 'run' is set by --partition-by run; remove it from the workflow parameters");
    out.push({ name, argoName: name.replace(/[^-a-zA-Z0-9_]/g, '-'), value: String(value) });
  }
  return out;
}

function taskTemplate(
  unit: TaskUnit,
  opts: ArgoOptions,
  workdir: string,
  params: WorkflowParam[],
  fanOut: boolean,
  s3: S3Options | undefined,
): ITemplate {
  const runParams = [
    ...(fanOut ? ['run={{inputs.parameters.run}}'] : []),
    ...params.map((p) => `${p.name}={{workflow.parameters.${p.argoName}}}`),
  ];
  const container: ITemplate['container'] = {
    name: 'main',
    image: opts.image,
    command: ['dqm', ...taskCommand(unit, opts, runParams)],
    workingDir: workdir,
  };
  // A group's own entry in argo.resources wins; otherwise it must fit its most demanding node.
  const resources =
    unit.kind === 'namespace' && opts.resources?.[unit.key] !== undefined
      ? resourcesFor(unit.key, [], opts.resources)
      : maxResources(unit.nodes.map((n) => resourcesFor(n.name, n.tags, opts.resources)));
  if (resources) container.resources = resources;
  if (opts.volume && 'claimName' in opts.volume) container.volumeMounts = [{ name: DATA_VOLUME, mountPath: `${workdir}/data` }];
  const template: ITemplate = {
    name: unit.label,
    metadata: { labels: { 'dqm/task': unit.label }, annotations: { 'dqm/nodes': unit.nodes.map((n) => n.name).join(',') } },
    container,
  };
  if (fanOut) template.inputs = { parameters: [{ name: 'run' }] };
  if (s3) {
    const paths = opts.datasetPaths!;
    const artifacts = (datasets: string[], output: boolean): IArtifact[] => {
      const withPath = datasets.filter((d) => typeof paths[d] === 'string');
      const names = uniqueDnsLabels(withPath);
      return withPath.map((d) => ({
        name: names.get(d)!,
        path: `${workdir}/${paths[d]!.replace(/^\.?\//, '')}`,
        s3: s3Location(s3, paths[d]!),
        ...(output ? { archive: { none: {} } } : {}),
      }));
    };
    const inputs = artifacts(unit.inputs, false);
    const outputs = artifacts(unit.outputs, true);
    if (inputs.length) template.inputs = { ...template.inputs, artifacts: inputs };
    if (outputs.length) template.outputs = { artifacts: outputs };
  }
  return template;
}

function s3Location(s3: S3Options, filepath: string): NonNullable<IArtifact['s3']> {
  const prefix = (s3.keyPrefix ?? 'dqm').replace(/\/+$/, '');
  const key = `${prefix}/${filepath.replace(/^\.?\//, '')}`;
  return {
    key,
    ...(s3.bucket ? { bucket: s3.bucket } : {}),
    ...(s3.endpoint ? { endpoint: s3.endpoint } : {}),
    ...(s3.region ? { region: s3.region } : {}),
    ...(s3.insecure !== undefined ? { insecure: s3.insecure } : {}),
    ...(s3.accessKeySecret ? { accessKeySecret: s3.accessKeySecret } : {}),
    ...(s3.secretKeySecret ? { secretKeySecret: s3.secretKeySecret } : {}),
  };
}

function checkPartition(units: TaskUnit[], opts: ArgoOptions): boolean {
  if (!opts.partitionBy) {
    if (opts.runs?.length) throw new DeployError('--runs needs --partition-by run');
    return false;
  }
  if (opts.partitionBy !== 'run') throw new DeployError(`Unknown partition '${String(opts.partitionBy)}': only 'run' is supported`);
  if (!opts.runs?.length) throw new DeployError('--partition-by run needs the runs to fan out over: --runs 316187,316188');
  const bad = opts.runs.find((r) => !Number.isInteger(r) || r <= 0);
  if (bad !== undefined) throw new DeployError(`Run numbers must be positive integers, got ${bad}`);
  if (opts.volume && 's3' in opts.volume) {
    throw new DeployError('--partition-by run needs a shared volume (--pvc): per-run tasks write the same S3 keys');
  }
  const mixed = units.find((u) => !u.perRun && u.nodes.some((n) => n.tags.has('per_run')));
  if (mixed) {
    const list = mixed.nodes.filter((n) => !n.tags.has('per_run')).map((n) => n.name);
    throw new DeployError(`Namespace '${mixed.key}' mixes per_run and other nodes (${list.join(', ')} are not per_run); use --granularity node`);
  }
  if (!units.some((u) => u.perRun)) {
    throw new DeployError("--partition-by run found no node tagged 'per_run'; tag the nodes that process one run with tags: ['per_run']");
  }
  return true;
}

/** Tasks run in separate pods: a dataset passed between two of them must be a file, not memory. */
function checkPersisted(units: TaskUnit[], paths: Record<string, string | null>): void {
  const producer = new Map<string, TaskUnit>();
  for (const u of units) for (const o of u.outputs) producer.set(o, u);
  for (const u of units) {
    for (const d of u.inputs) {
      const p = producer.get(d);
      if (p && paths[d] === undefined) {
        throw new DeployError(
          `Dataset '${d}' goes from task '${p.key}' to task '${u.key}' in memory, but tasks run in separate pods; give it a filepath in the catalog or use --granularity pipeline`,
        );
      }
    }
  }
}
