import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { isDqmError, messageOf } from '../errors';
import type { Pipeline } from '../pipeline';
import { ProjectError } from './errors';
import { FRAMEWORK_DIST } from './build-info';
import { importFresh } from './fresh-import';
import { bundledProjectFile } from './project-bundle';

export const REGISTRY_FILE = 'pipelines/registry.ts';
export const SETTINGS_FILE = 'pipelines/settings.ts';

export function registryPath(root: string): string {
  return path.join(root, REGISTRY_FILE);
}

/** The parallel runner's worker entry (file: URL): it loads the nodes with loadRegistry. */
export const NODE_WORKER_ENTRY = FRAMEWORK_DIST ? new URL('node-worker.mjs', FRAMEWORK_DIST).href : new URL('./node-worker.ts', import.meta.url).href;

export interface LoadCodeOptions {
  /** Import the project's files anew, not from Node's module cache (`dqm viz --autoreload`). */
  fresh?: boolean;
}

/**
 * The one registry loader (CLI, server, run processes, worker threads, tests): imports the
 * project's `pipelines/registry.ts` and calls `registerPipelines({ parameters })`, checking what
 * it returns. Pipeline construction errors (cycles, two producers of one output) keep their own message.
 */
export async function loadRegistry(root: string, parameters: Record<string, unknown>, opts: LoadCodeOptions = {}): Promise<Record<string, Pipeline>> {
  const file = registryPath(root);
  if (!existsSync(file)) throw new ProjectError(`No pipeline registry: ${file} does not exist (is '${root}' the project root?)`, { code: 'NO_REGISTRY' });
  const mod = await importProjectFile(file, REGISTRY_FILE, opts);
  const register = mod.registerPipelines;
  if (typeof register !== 'function') {
    throw new ProjectError(`${REGISTRY_FILE} must export a function registerPipelines(ctx) returning { name: Pipeline }`, { code: 'BAD_REGISTRY' });
  }
  let pipelines: unknown;
  try {
    pipelines = await register({ parameters });
  } catch (error) {
    if (isDqmError(error)) throw error;
    throw new ProjectError(`registerPipelines() in ${REGISTRY_FILE} failed: ${messageOf(error)}`, { code: 'BAD_REGISTRY', cause: error });
  }
  if (!pipelines || typeof pipelines !== 'object') {
    throw new ProjectError(`registerPipelines() in ${REGISTRY_FILE} must return an object of pipelines, got ${pipelines === null ? 'null' : typeof pipelines}`, { code: 'BAD_REGISTRY' });
  }
  const bad = Object.entries(pipelines).filter(([, p]) => !p || !Array.isArray((p as Pipeline).nodes));
  if (bad.length) {
    throw new ProjectError(`registerPipelines() in ${REGISTRY_FILE} returned non-pipelines for: ${bad.map(([k]) => k).join(', ')}`, { code: 'BAD_REGISTRY' });
  }
  // No prototype: a pipeline asked for as `constructor` or `toString` is unknown, not Object's own.
  return Object.assign(Object.create(null) as Record<string, Pipeline>, pipelines);
}

export async function importProjectFile(file: string, label: string, opts: LoadCodeOptions): Promise<Record<string, unknown>> {
  try {
    // Compiled CLI: no TypeScript loader is registered, the project's code is bundled (and its
    // bundle changes URL when the sources change, so it is fresh whenever it needs to be).
    if (FRAMEWORK_DIST) return (await import(await bundledProjectFile(projectRootOf(file, label), file, FRAMEWORK_DIST))) as Record<string, unknown>;
    if (opts.fresh) return await importFresh(file);
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    if (isDqmError(error)) throw error;
    throw new ProjectError(`Failed to load ${label}: ${messageOf(error).split('\n')[0]}`, { code: 'BAD_REGISTRY', cause: error });
  }
}

/** `<root>/pipelines/registry.ts` with label `pipelines/registry.ts` -> `<root>`. */
function projectRootOf(file: string, label: string): string {
  return file.endsWith(label) ? file.slice(0, -label.length) : path.dirname(file);
}
