export { Project, DEFAULT_PIPELINE } from './project';
export type { ProjectLoadOptions, RunOptions } from './project';
export { ProjectError } from './errors';
export { loadRegistry, loadHooks, registryPath, REGISTRY_FILE, SETTINGS_FILE } from './registry';
