import fs from 'node:fs';
import path from 'node:path';
import { type Command, Option } from 'commander';
import { parseRuntimeParams } from '../../lib/config';
import {
  buildArgoWorkflow,
  datasetPathsOf,
  DeployError,
  defaultImageTag,
  flattenParams,
  parseRuns,
  resourcesParameter,
  workflowToYaml,
  type VolumeOptions,
} from '../../lib/deploy';
import { action, addProjectOptions, loadProjectFromOptions } from '../shared';
import { DEFAULT_PIPELINE } from '../../lib/pipeline';

interface ArgoCliOptions {
  env?: string;
  params?: string;
  pipeline: string;
  image?: string;
  granularity: 'node' | 'pipeline';
  partitionBy?: 'run';
  runs?: string;
  pvc: string;
  s3Bucket?: string;
  s3Endpoint?: string;
  s3Prefix?: string;
  s3Secret?: string;
  name: string;
  k8sNamespace?: string;
  openshift?: boolean;
  output: string;
}

/** `dqm argo`: the pipeline as an Argo Workflow YAML (one task per node, or per top-level namespace). */
export function register(program: Command): void {
  const cmd = program
    .command('argo')
    .description('Write an Argo Workflows Workflow (YAML) that runs the pipeline on Kubernetes, a task per node')
    .option('--pipeline <name>', 'registered pipeline to deploy', DEFAULT_PIPELINE)
    .option('--image <image>', "container image holding the project (default: <package name>:<version>, as 'dqm docker build' tags it)")
    .addOption(new Option('--granularity <level>', 'one task per node, or per top-level namespace (modular pipeline)').choices(['node', 'pipeline']).default('node'))
    .addOption(new Option('--partition-by <key>', "fan the nodes tagged 'per_run' out over --runs (withItems)").choices(['run']))
    .option('--runs <list>', 'run numbers for --partition-by run, e.g. 316187,316188')
    .option('--pvc <claim>', 'PersistentVolumeClaim mounted as the data/ folder of every task', 'dqm-data')
    .option('--s3-bucket <bucket>', 'move datasets as S3 artifacts instead of a shared volume')
    .option('--s3-endpoint <host>', 'S3 endpoint, e.g. s3.cern.ch')
    .option('--s3-prefix <prefix>', 'key prefix of the project files in the bucket', 'dqm')
    .option('--s3-secret <name>', 'Kubernetes secret holding the keys accessKey and secretKey')
    .option('--name <name>', 'workflow name prefix (generateName)', 'dqm')
    .option('--k8s-namespace <namespace>', 'Kubernetes namespace of the workflow')
    .option('--openshift', 'leave the user id to the platform (no runAsUser/fsGroup), as OpenShift requires')
    .option('-o, --output <file>', "where to write the YAML ('-' for stdout)", 'argo-workflow.yml');
  addProjectOptions(cmd);
  cmd.action(action(runArgo));
}

async function runArgo(opts: ArgoCliOptions): Promise<void> {
  if (opts.runs && !opts.partitionBy) throw new DeployError('--runs needs --partition-by run');
  const runs = opts.runs ? parseRuns(opts.runs) : undefined;
  const project = await loadProjectFromOptions(opts);
  const pipeline = project.getPipeline(opts.pipeline);
  const volume: VolumeOptions = opts.s3Bucket
    ? {
        s3: {
          bucket: opts.s3Bucket,
          endpoint: opts.s3Endpoint,
          keyPrefix: opts.s3Prefix,
          ...(opts.s3Secret
            ? { accessKeySecret: { name: opts.s3Secret, key: 'accessKey' }, secretKeySecret: { name: opts.s3Secret, key: 'secretKey' } }
            : {}),
        },
      }
    : { claimName: opts.pvc };
  const workflow = buildArgoWorkflow(pipeline, {
    name: opts.name,
    image: opts.image ?? defaultImageTag(project.root),
    env: project.env,
    namespace: opts.k8sNamespace,
    granularity: opts.granularity,
    pipelineName: opts.pipeline,
    partitionBy: opts.partitionBy,
    runs,
    volume,
    // The user's --params become workflow parameters: `argo submit -p name=value` overrides them.
    parameters: opts.params ? flattenParams(parseRuntimeParams(opts.params)) : undefined,
    resources: resourcesParameter(project.parameters),
    datasetPaths: await datasetPathsOf(project, pipeline),
    ...(opts.openshift ? { runAsUser: null } : {}),
  });
  const yaml = workflowToYaml(workflow);
  if (opts.output === '-') {
    process.stdout.write(yaml);
    return;
  }
  const file = path.resolve(opts.output);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, yaml);
  const tasks = workflow.spec.templates!.length - 1;
  const ns = opts.k8sNamespace ? ` -n ${opts.k8sNamespace}` : '';
  const shown = path.relative(process.cwd(), file);
  console.log(`Wrote ${file} (${tasks} tasks). Submit it with: argo submit${ns} ${shown.startsWith('..') ? file : shown} --watch`);
}
