import * as path from 'node:path';
import { loadConfig, type ProjectConfig } from '../config';
import { suggestion } from '../errors';
import { DataCatalog, generateTimestamp } from '../io';
import { add, DEFAULT_PIPELINE, type Pipeline, type PipelineFilter } from '../pipeline';
import { callHooks, newRunId, runPipeline, type Hooks, type RunEventListener, type RunnerName, type RunResult } from '../runner';
import { ProjectError } from './errors';
import { validateParameters, type DeclaredSchema } from './parameter-validation';
import { loadPluginHooks, type PluginInfo } from './plugin-hooks';
import { loadRegistry, NODE_WORKER_ENTRY } from './registry';
import { loadSettings } from './settings';

export interface ProjectLoadOptions {
  /** Project root (the folder with `conf/` and `pipelines/`); default: the current directory. */
  root?: string;
  /** Config environment; default `local`. */
  env?: string;
  /** `--params`, parsed. */
  runtimeParams?: Record<string, unknown>;
  /** Import the project's code anew, not from Node's module cache (`dqm viz --autoreload`). */
  fresh?: boolean;
  /** `--conf-source`: a conf folder elsewhere, or a .tar.gz/.zip of one (default `<root>/conf`). */
  confSource?: string;
}

/** Kedro's `kedro run` options. */
export interface RunOptions extends PipelineFilter {
  pipeline?: string;
  /** `--pipelines a,b`: run these registered pipelines together (their sum); wins over `pipeline`. */
  pipelines?: string[];
  /** `--async`: load each node's inputs, and save its outputs, concurrently. */
  isAsync?: boolean;
  runner?: RunnerName;
  /** `--load-versions`: dataset -> version to load. */
  loadVersions?: Record<string, string>;
  onlyMissingOutputs?: boolean;
  runId?: string;
  maxWorkers?: number;
  /** Extra arguments repeated in the resume command (e.g. `['--params', 'a=1']`). */
  resumeArgs?: string[];
  /**
   * Runtime catalog entries (same YAML shape as catalog.yml) laid over the configured ones for
   * this run only: a command such as `dqm evaluate` points the pipeline at the user's files.
   */
  catalog?: Record<string, unknown>;
}

/**
 * One project (conf + pipeline registry + hooks) loaded once; the CLI, the dashboard server and
 * tests all go through it, so a pipeline behaves the same whichever way it is started.
 */
export class Project {
  private constructor(
    readonly root: string,
    readonly env: string,
    readonly config: ProjectConfig,
    readonly pipelines: Record<string, Pipeline>,
    readonly hooks: Hooks[],
    /** Installed packages declaring hooks (disabled ones included), for `dqm repl` and diagnostics. */
    readonly plugins: PluginInfo[],
  ) {}

  /**
   * Kedro's session start: settings, then hooks (the project's, then installed packages'), the
   * config (custom resolvers from settings), `afterContextCreated`, then the pipeline registry.
   */
  static async load(opts: ProjectLoadOptions = {}): Promise<Project> {
    const root = path.resolve(opts.root ?? process.cwd());
    const env = opts.env ?? 'local';
    const settings = await loadSettings(root, { fresh: opts.fresh });
    const plugins = await loadPluginHooks(root, settings.disableHooksForPlugins);
    const hooks = [...settings.hooks, ...plugins.hooks];
    const config = await loadConfig(root, env, {
      runtimeParams: opts.runtimeParams,
      confSource: opts.confSource,
      customResolvers: settings.configLoaderArgs.customResolvers,
    });
    await callHooks(hooks, 'afterContextCreated', { context: { root, env, config, parameters: config.parameters } });
    const pipelines = await loadRegistry(root, config.parameters, { fresh: opts.fresh });
    return new Project(root, env, config, pipelines, hooks, plugins.plugins);
  }

  get parameters(): Record<string, unknown> {
    return this.config.parameters;
  }

  /** Registered pipeline names, `__default__` first. */
  pipelineNames(): string[] {
    return Object.keys(this.pipelines).sort((a, b) => (a === DEFAULT_PIPELINE ? -1 : b === DEFAULT_PIPELINE ? 1 : a.localeCompare(b)));
  }

  getPipeline(name: string = DEFAULT_PIPELINE): Pipeline {
    const p = Object.hasOwn(this.pipelines, name) ? this.pipelines[name] : undefined;
    if (p) return p;
    const names = this.pipelineNames();
    throw new ProjectError(`Unknown pipeline '${name}'. Registered pipelines: ${names.join(', ') || '(none)'}.${suggestion(name, names)}`, { code: 'UNKNOWN_PIPELINE' });
  }

  /** A catalog for one run: the config's entries plus `parameters` / `params:` inputs. */
  createCatalog(opts: { loadVersions?: Record<string, string>; saveVersion?: string; parameters?: Record<string, unknown>; entries?: Record<string, unknown> } = {}): DataCatalog {
    const catalog = DataCatalog.fromConfig({ ...this.config.catalog, ...opts.entries }, {
      credentials: this.config.credentials,
      projectRoot: this.root,
      loadVersions: opts.loadVersions,
      saveVersion: opts.saveVersion,
      sources: this.config.sources,
    });
    catalog.addFeedDict(opts.parameters ?? this.parameters);
    return catalog;
  }

  /** `createCatalog`, then the `afterCatalogCreated` hooks (Kedro calls them whenever its context builds a catalog). */
  async loadCatalog(opts: { loadVersions?: Record<string, string>; saveVersion?: string; parameters?: Record<string, unknown>; entries?: Record<string, unknown> } = {}): Promise<DataCatalog> {
    const catalog = this.createCatalog(opts);
    await callHooks(this.hooks, 'afterCatalogCreated', {
      catalog,
      confCatalog: this.config.catalog,
      parameters: opts.parameters ?? this.parameters,
      saveVersion: catalog.saveVersion,
      loadVersions: opts.loadVersions ?? {},
    });
    return catalog;
  }

  /** The registered pipelines a run names: `pipelines`, else `pipeline`, else `__default__`. */
  pipelineNamesOf(opts: Pick<RunOptions, 'pipeline' | 'pipelines'> = {}): string[] {
    return opts.pipelines?.length ? [...new Set(opts.pipelines)] : [opts.pipeline ?? DEFAULT_PIPELINE];
  }

  /** The named pipelines, summed (Kedro's `--pipelines a,b`). */
  combinedPipeline(names: string[]): Pipeline {
    const pipelines = names.map((n) => this.getPipeline(n));
    return pipelines.length === 1 ? pipelines[0]! : add(...pipelines);
  }

  /** The pipeline a run would execute: the registered pipeline(s) narrowed by the filters. */
  selectPipeline(opts: RunOptions = {}): Pipeline {
    const names = this.pipelineNamesOf(opts);
    const full = this.combinedPipeline(names);
    const { tags, nodeNames, fromNodes, toNodes, fromInputs, toOutputs, namespace, namespaces } = opts;
    checkNodeNames(full, names.join(','), [...(nodeNames ?? []), ...(fromNodes ?? []), ...(toNodes ?? [])]);
    return full.filter({ tags, nodeNames, fromNodes, toNodes, fromInputs, toOutputs, namespace, namespaces });
  }

  /**
   * The parameters checked against the schemas the named pipelines declare (all registered
   * pipelines for `__default__`, as Kedro scopes it), zod's defaults and transforms applied.
   */
  validatedParameters(names: string[] = [DEFAULT_PIPELINE]): Record<string, unknown> {
    const scope = names.includes(DEFAULT_PIPELINE) ? Object.keys(this.pipelines) : names;
    const schemas: DeclaredSchema[] = [];
    for (const name of scope) {
      for (const [key, declared] of this.getPipeline(name).parameterSchemas()) {
        for (const d of declared) if (!schemas.some((s) => s.key === key && s.schema === d.schema)) schemas.push({ key, schema: d.schema, declaredBy: `node '${d.node}'` });
      }
    }
    const sources = this.config.sources;
    return validateParameters(this.parameters, schemas, (key) => sources[`params:${key}`]);
  }

  /** Runs a pipeline; rejects with RunError (which carries the RunResult) if a node fails. */
  async run(opts: RunOptions = {}, onEvent?: RunEventListener): Promise<RunResult> {
    const names = this.pipelineNamesOf(opts);
    const pipelineName = names.join(',');
    const full = this.combinedPipeline(names);
    const pipeline = this.selectPipeline(opts);
    const parameters = this.validatedParameters(names);
    const runId = opts.runId ?? newRunId();
    // One save version for the whole run, shared with parallel-runner workers.
    const saveVersion = generateTimestamp();
    const catalog = await this.loadCatalog({ loadVersions: opts.loadVersions, saveVersion, parameters, entries: opts.catalog });
    const { credentials, sources } = this.config;
    const entries = { ...this.config.catalog, ...opts.catalog };
    const workerCatalog = { entries, credentials, sources, projectRoot: this.root, loadVersions: opts.loadVersions, saveVersion, parameters };
    return runPipeline(pipeline, catalog, {
      runner: opts.runner ?? 'sequential',
      isAsync: opts.isAsync,
      hooks: this.hooks,
      onEvent,
      runId,
      pipelineName,
      env: this.env,
      onlyMissingOutputs: opts.onlyMissingOutputs,
      fullPipeline: full,
      maxWorkers: opts.maxWorkers,
      registry: { entry: NODE_WORKER_ENTRY, root: this.root, parameters: this.parameters, catalog: workerCatalog },
      resumeCommand: (nodes) => this.resumeCommand(nodes, pipelineName, opts.resumeArgs),
    });
  }

  /** `dqm run --from-nodes a,b` with the same --pipeline / --env (and extra args) as this run. */
  resumeCommand(fromNodes: string[], pipelineName: string = DEFAULT_PIPELINE, extra: string[] = []): string {
    const args = ['dqm', 'run', '--from-nodes', fromNodes.join(',')];
    if (pipelineName.includes(',')) args.push('--pipelines', pipelineName);
    else if (pipelineName !== DEFAULT_PIPELINE) args.push('--pipeline', pipelineName);
    if (this.env !== 'local') args.push('--env', this.env);
    args.push(...extra);
    return args.map(shellQuote).join(' ');
  }
}

function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Unknown node names list the valid ones (up to a screenful) and the closest matches. */
function checkNodeNames(pipeline: Pipeline, pipelineName: string, names: string[]): void {
  const valid = pipeline.nodeNames();
  const unknown = names.filter((n) => !pipeline.getNode(n));
  if (!unknown.length) return;
  const shown = valid.length > 30 ? `${valid.slice(0, 30).join(', ')}, ... (${valid.length} in all: dqm registry describe ${pipelineName})` : valid.join(', ');
  const what = unknown.map((n) => `'${n}'`).join(', ');
  throw new ProjectError(
    `Pipeline '${pipelineName}' has no node${unknown.length > 1 ? 's' : ''} named ${what}.${suggestion(unknown[0]!, valid)} Valid nodes: ${shown}`,
    { code: 'UNKNOWN_NODE' },
  );
}
