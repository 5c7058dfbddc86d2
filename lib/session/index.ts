export { Project } from './project';
export type { ProjectLoadOptions, RunOptions } from './project';
export { ProjectError } from './errors';
export { loadRegistry, loadHooks, registryPath, NODE_WORKER_ENTRY, REGISTRY_FILE, SETTINGS_FILE } from './registry';
export type { LoadCodeOptions } from './registry';
