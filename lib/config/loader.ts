import { existsSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { suggestion } from '../errors';
import { validateCatalogEntry, type CatalogEntry } from './catalog-schema';
import { ConfigError } from './errors';
import { openConfSource } from './conf-source';
import { configFilesOf, type ConfigKind } from './files';
import { BUILT_IN_RESOLVERS, resolveInterpolations, type CustomResolver } from './interpolate';
import { allPaths, deepMerge, getNested, isPlainObject, setNested, setOwn, type ConfigMap } from './merge';
import { readConfigFile } from './yaml-file';

/** Everything `conf/base` + `conf/<env>` say about a project, resolved and validated. */
export interface ProjectConfig {
  env: string;
  /** Absolute path of the `conf/` folder. */
  confRoot: string;
  catalog: Record<string, CatalogEntry>;
  parameters: Record<string, unknown>;
  credentials: Record<string, unknown>;
  /**
   * Where things came from, relative to the project root: catalog entry name -> file, and
   * `params:<dotted.key>` -> file (or `--params`) for every parameter key, nested ones included.
   */
  sources: Record<string, string>;
  globals: Record<string, unknown>;
  runtimeParams: Record<string, unknown>;
  /** Every config file read, relative to the project root, in read order. */
  files: string[];
}

export interface LoadConfigOptions {
  /** `--params`, already parsed (`parseRuntimeParams`); dotted keys are nested too. */
  runtimeParams?: Record<string, unknown>;
  /** Environment for `${oc.env:VAR}` (default `process.env`). */
  environ?: Record<string, string | undefined>;
  /** `--conf-source`: a conf folder elsewhere, or a .tar.gz/.zip of one (default `<root>/conf`). */
  confSource?: string;
  /** `${name:...}` resolvers from pipelines/settings.ts (Kedro's CONFIG_LOADER_ARGS custom_resolvers). */
  customResolvers?: Record<string, CustomResolver>;
}

const BASE = 'base';
const DEFAULT_ENV = 'local';

/** Run environments: the folders under `conf/` (or `confRoot`) except `base` (hidden ones ignored), sorted. */
export function availableEnvs(root: string, confRoot: string = path.join(root, 'conf')): string[] {
  if (!existsSync(confRoot)) return [];
  return readdirSync(confRoot)
    .filter((name) => !name.startsWith('.') && name !== BASE && statSync(path.join(confRoot, name)).isDirectory())
    .sort();
}

/**
 * Loads the configuration as Kedro's OmegaConfigLoader does: files of each kind from
 * `conf/base`, then `conf/<env>` (which overrides base); a top-level key defined in two files
 * of the same environment is an error naming both. Merge strategy when env overrides base
 * (a deliberate choice, Kedro lets each kind pick): parameters and globals merge DEEP (an env
 * changes `model.lr` without repeating all of `model`, which is what users expect from
 * "override"); catalog entries and credentials are replaced WHOLE (a half-merged dataset
 * definition, e.g. a new type with the old load_args, is never what anyone meant).
 * Runtime params then override parameters at their nested key, and `${...}` is resolved.
 * Top-level keys starting with `_` are YAML-anchor/interpolation helpers and are dropped.
 */
export async function loadConfig(root: string, env: string = DEFAULT_ENV, opts: LoadConfigOptions = {}): Promise<ProjectConfig> {
  return loadConfigSync(root, env, opts);
}

export function loadConfigSync(root: string, env: string = DEFAULT_ENV, opts: LoadConfigOptions = {}): ProjectConfig {
  const source = openConfSource(path.resolve(root), opts.confSource);
  const { confRoot } = source;
  if (!existsSync(path.join(confRoot, BASE))) {
    const hint = opts.confSource === undefined ? ` (is '${root}' the project root?)` : ' (--conf-source must be a folder holding base/ and the environments)';
    throw new ConfigError(`No configuration found: ${path.join(confRoot, BASE)} does not exist${hint}`);
  }
  const resolvers = checkResolvers(opts.customResolvers ?? {});
  const envs = availableEnvs(root, confRoot);
  const envDirs = [BASE];
  if (env === BASE) {
    throw new ConfigError(`'base' is not a run environment (it is always loaded); choose one of: ${quoteList(envs)}`);
  }
  if (envs.includes(env)) envDirs.push(env);
  else if (env !== DEFAULT_ENV) {
    // `local` may be missing (it is usually git-ignored); any other unknown name is a typo
    throw new ConfigError(`Unknown environment '${env}'. Valid environments: ${quoteList(envs)}.${suggestion(env, envs)}`);
  }

  const files: string[] = [];
  const sources = new Map<string, string>();
  const read = (kind: ConfigKind) => {
    let merged: ConfigMap = {};
    for (const dir of envDirs) {
      const inEnv = readEnvKind(source.label, path.join(confRoot, dir), kind, files, sources);
      merged = kind === 'parameters' || kind === 'globals' ? deepMerge(merged, inEnv) : { ...merged, ...inEnv };
    }
    return merged;
  };
  const rawGlobals = read('globals');
  let rawParameters = read('parameters');
  const rawCatalog = read('catalog');
  const rawCredentials = read('credentials');

  const runtimeParams = normalizeRuntimeParams(opts.runtimeParams ?? {});
  if (Object.keys(runtimeParams).length) {
    rawParameters = deepMerge(rawParameters, runtimeParams);
    for (const p of allPaths(runtimeParams)) if (!isPlainObject(getNested(runtimeParams, p))) sources.set(`parameters:${p}`, '--params');
  }

  const fileOf = (kind: ConfigKind) => (keyPath: string) => {
    const parts = keyPath.replace(/\[\d+\]/g, '').split('.');
    for (let n = parts.length; n > 0; n--) {
      const hit = sources.get(`${kind}:${parts.slice(0, n).join('.')}`);
      if (hit) return hit;
    }
    return `${kind} config`;
  };
  const resolve = (kind: ConfigKind, rootMap: ConfigMap, globals: ConfigMap) =>
    dropPrivate(resolveInterpolations({ kind, root: rootMap, globals, runtimeParams, fileOf: fileOf(kind), env: opts.environ, resolvers }));

  const globals = resolve('globals', rawGlobals, {});
  const parameters = resolve('parameters', rawParameters, globals);
  const catalogMap = resolve('catalog', rawCatalog, globals);
  const credentials = resolve('credentials', rawCredentials, globals);

  const catalog: Record<string, CatalogEntry> = {};
  const out: Record<string, string> = {};
  for (const [name, entry] of Object.entries(catalogMap)) {
    const source = sources.get(`catalog:${name}`);
    setOwn(catalog, name, validateCatalogEntry(name, entry, source));
    if (source) setOwn(out, name, source);
  }
  for (const p of allPaths(parameters)) {
    const source = fileOf('parameters')(p);
    setOwn(out, `params:${p}`, source);
  }
  return { env, confRoot, catalog, parameters, credentials, sources: out, globals, runtimeParams, files };
}

/**
 * Reads and merges the files of one kind in one environment folder. Two files defining the
 * same top-level key is an error (Kedro's rule): which one should win would depend on file
 * names, which nobody reads as precedence.
 */
function readEnvKind(labelOf: (abs: string) => string, envDir: string, kind: ConfigKind, files: string[], sources: Map<string, string>): ConfigMap {
  const merged: ConfigMap = {};
  const firstFile = new Map<string, string>();
  for (const rel of configFilesOf(envDir, kind)) {
    const abs = path.join(envDir, rel);
    const label = labelOf(abs);
    const data = readConfigFile(abs, label);
    files.push(label);
    for (const [key, value] of Object.entries(data)) {
      const prev = firstFile.get(key);
      if (prev !== undefined && !key.startsWith('_')) {
        throw new ConfigError(`Duplicate key '${key}' in ${prev} and ${label}`);
      }
      firstFile.set(key, label);
      setOwn(merged, key, value);
      sources.set(`${kind}:${key}`, label);
      if (isPlainObject(value)) for (const p of allPaths(value, key)) sources.set(`${kind}:${p}`, label);
    }
  }
  return merged;
}

/** Custom resolvers must be functions and may not shadow a built-in one (`oc.env` guards secrets). */
function checkResolvers(resolvers: Record<string, CustomResolver>): Record<string, CustomResolver> {
  for (const [name, fn] of Object.entries(resolvers)) {
    if ((BUILT_IN_RESOLVERS as readonly string[]).includes(name)) {
      throw new ConfigError(`Custom resolver '${name}' in pipelines/settings.ts has the name of a built-in resolver (${BUILT_IN_RESOLVERS.join(', ')}); choose another name`);
    }
    if (!/^[A-Za-z_][\w.]*$/.test(name)) throw new ConfigError(`Custom resolver name '${name}' in pipelines/settings.ts is not valid: use letters, digits, '_' and '.'`);
    if (typeof fn !== 'function') throw new ConfigError(`Custom resolver '${name}' in pipelines/settings.ts must be a function, got ${typeof fn}`);
  }
  return resolvers;
}

function normalizeRuntimeParams(params: Record<string, unknown>): ConfigMap {
  const out: ConfigMap = {};
  for (const [key, value] of Object.entries(params)) {
    if (key.includes('.')) setNested(out, key, value);
    else setOwn(out, key, isPlainObject(out[key]) && isPlainObject(value) ? deepMerge(out[key] as ConfigMap, value) : value);
  }
  return out;
}

function dropPrivate(map: ConfigMap): ConfigMap {
  return Object.fromEntries(Object.entries(map).filter(([k]) => !k.startsWith('_')));
}

function quoteList(names: string[]): string {
  return names.length ? names.map((n) => `'${n}'`).join(', ') : '(none: conf/ has only base)';
}
