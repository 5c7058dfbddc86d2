import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { CustomResolver } from '../config';
import type { Hooks } from '../runner';
import { ProjectError } from './errors';
import { importProjectFile, SETTINGS_FILE, type LoadCodeOptions } from './registry';

/**
 * `pipelines/settings.ts`, Kedro's settings.py with its names in camelCase:
 * `hooks` (HOOKS), `disableHooksForPlugins` (DISABLE_HOOKS_FOR_PLUGINS) and
 * `configLoaderArgs.customResolvers` (CONFIG_LOADER_ARGS["custom_resolvers"]).
 */
export interface ProjectSettings {
  hooks: Hooks[];
  /** Package names whose hooks (package.json `"dqm": {"hooks": ...}`) are not registered. */
  disableHooksForPlugins: string[];
  configLoaderArgs: { customResolvers: Record<string, CustomResolver> };
}

/** Reads the settings file; all defaults (no hooks, no resolvers) if it is absent. */
export async function loadSettings(root: string, opts: LoadCodeOptions = {}): Promise<ProjectSettings> {
  const file = path.join(root, SETTINGS_FILE);
  const empty: ProjectSettings = { hooks: [], disableHooksForPlugins: [], configLoaderArgs: { customResolvers: {} } };
  if (!existsSync(file)) return empty;
  const mod = await importProjectFile(file, SETTINGS_FILE, opts);
  const hooks = mod.hooks ?? [];
  if (!Array.isArray(hooks)) throw bad(`must export 'hooks' as an array of hook objects`);
  const disabled = mod.disableHooksForPlugins ?? [];
  if (!Array.isArray(disabled) || disabled.some((d) => typeof d !== 'string')) throw bad(`must export 'disableHooksForPlugins' as an array of package names`);
  const args = mod.configLoaderArgs ?? {};
  if (!isObject(args)) throw bad(`must export 'configLoaderArgs' as an object ({ customResolvers: { name: fn } })`);
  const unknownArgs = Object.keys(args).filter((k) => k !== 'customResolvers');
  if (unknownArgs.length) throw bad(`'configLoaderArgs' has unknown key${unknownArgs.length > 1 ? 's' : ''} ${unknownArgs.map((k) => `'${k}'`).join(', ')} (supported: customResolvers)`);
  const resolvers = args.customResolvers ?? {};
  if (!isObject(resolvers)) throw bad(`'configLoaderArgs.customResolvers' must be an object of functions`);
  return { hooks: hooks as Hooks[], disableHooksForPlugins: disabled as string[], configLoaderArgs: { customResolvers: resolvers as Record<string, CustomResolver> } };
}

function bad(what: string): ProjectError {
  return new ProjectError(`${SETTINGS_FILE} ${what}`, { code: 'BAD_SETTINGS' });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
