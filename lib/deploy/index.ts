export { buildArgoWorkflow, workflowToYaml, taskCommand } from './argo';
export type { ArgoOptions, S3Options, VolumeOptions } from './argo';
export { planTasks, PER_RUN_TAG, ENTRYPOINT } from './task-plan';
export type { Granularity, TaskUnit } from './task-plan';
export { toDnsLabel, uniqueDnsLabels, DNS_LABEL } from './dns-name';
export { resourcesFor, maxResources, quantityValue } from './resources';
export type { ResourceRequirements } from './resources';
export { DeployError } from './errors';
export { datasetPathsOf, resourcesParameter, parseRuns, flattenParams } from './project-inputs';
export type { ProjectLike } from './project-inputs';
export {
  renderDockerfile,
  renderDockerignore,
  imageLayout,
  optionsForProject,
  productionPackages,
  DEFAULT_PRUNE,
  DEFAULT_SOURCE_DIRS,
  DEFAULT_STANDALONE_PRUNE,
} from './dockerfile';
export type { DockerfileOptions, ImageCopy } from './dockerfile';
export { detectEngine, buildCommand, findOnPath, defaultImageTag } from './container-engine';
export type { Engine, EngineName } from './container-engine';
export { workflowSteps, runStepsLocally } from './run-workflow-locally';
export type { LocalStep, WorkflowJson } from './run-workflow-locally';
export { assembleImageDir, directorySize, dockerignoreMatcher } from './assemble-image-dir';
export { standaloneFromTraces } from './standalone-from-traces';
