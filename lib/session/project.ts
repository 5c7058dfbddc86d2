import * as path from 'node:path';
import { loadConfig, type ProjectConfig } from '../config';
import { suggestion } from '../errors';
import { DataCatalog, generateTimestamp } from '../io';
import { DEFAULT_PIPELINE, type Pipeline, type PipelineFilter } from '../pipeline';
import { newRunId, runPipeline, type Hooks, type RunEventListener, type RunnerName, type RunResult } from '../runner';
import { ProjectError } from './errors';
import { loadHooks, loadRegistry, NODE_WORKER_ENTRY } from './registry';

export interface ProjectLoadOptions {
  /** Project root (the folder with `conf/` and `pipelines/`); default: the current directory. */
  root?: string;
  /** Config environment; default `local`. */
  env?: string;
  /** `--params`, parsed. */
  runtimeParams?: Record<string, unknown>;
  /** Import the project's code anew, not from Node's module cache (`dqm viz --autoreload`). */
  fresh?: boolean;
}

/** Kedro's `kedro run` options. */
export interface RunOptions extends PipelineFilter {
  pipeline?: string;
  runner?: RunnerName;
  /** `--load-versions`: dataset -> version to load. */
  loadVersions?: Record<string, string>;
  onlyMissingOutputs?: boolean;
  runId?: string;
  maxWorkers?: number;
  /** Extra arguments repeated in the resume command (e.g. `['--params', 'a=1']`). */
  resumeArgs?: string[];
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
  ) {}

  static async load(opts: ProjectLoadOptions = {}): Promise<Project> {
    const root = path.resolve(opts.root ?? process.cwd());
    const env = opts.env ?? 'local';
    const config = await loadConfig(root, env, { runtimeParams: opts.runtimeParams });
    const pipelines = await loadRegistry(root, config.parameters, { fresh: opts.fresh });
    const hooks = await loadHooks(root, { fresh: opts.fresh });
    return new Project(root, env, config, pipelines, hooks);
  }

  get parameters(): Record<string, unknown> {
    return this.config.parameters;
  }

  /** Registered pipeline names, `__default__` first. */
  pipelineNames(): string[] {
    return Object.keys(this.pipelines).sort((a, b) => (a === DEFAULT_PIPELINE ? -1 : b === DEFAULT_PIPELINE ? 1 : a.localeCompare(b)));
  }

  getPipeline(name: string = DEFAULT_PIPELINE): Pipeline {
    const p = this.pipelines[name];
    if (p) return p;
    const names = this.pipelineNames();
    throw new ProjectError(`Unknown pipeline '${name}'. Registered pipelines: ${names.join(', ') || '(none)'}.${suggestion(name, names)}`, { code: 'UNKNOWN_PIPELINE' });
  }

  /** A catalog for one run: the config's entries plus `parameters` / `params:` inputs. */
  createCatalog(opts: { loadVersions?: Record<string, string>; saveVersion?: string } = {}): DataCatalog {
    const catalog = DataCatalog.fromConfig(this.config.catalog, {
      credentials: this.config.credentials,
      projectRoot: this.root,
      loadVersions: opts.loadVersions,
      saveVersion: opts.saveVersion,
      sources: this.config.sources,
    });
    catalog.addFeedDict(this.parameters);
    return catalog;
  }

  /** The pipeline a run would execute: the registered pipeline narrowed by the filters. */
  selectPipeline(opts: RunOptions = {}): Pipeline {
    const full = this.getPipeline(opts.pipeline);
    const { tags, nodeNames, fromNodes, toNodes, fromInputs, toOutputs, namespace } = opts;
    checkNodeNames(full, opts.pipeline ?? DEFAULT_PIPELINE, [...(nodeNames ?? []), ...(fromNodes ?? []), ...(toNodes ?? [])]);
    return full.filter({ tags, nodeNames, fromNodes, toNodes, fromInputs, toOutputs, namespace });
  }

  /** Runs a pipeline; rejects with RunError (which carries the RunResult) if a node fails. */
  async run(opts: RunOptions = {}, onEvent?: RunEventListener): Promise<RunResult> {
    const pipelineName = opts.pipeline ?? DEFAULT_PIPELINE;
    const full = this.getPipeline(pipelineName);
    const pipeline = this.selectPipeline(opts);
    const runId = opts.runId ?? newRunId();
    // One save version for the whole run, shared with parallel-runner workers.
    const saveVersion = generateTimestamp();
    const catalog = this.createCatalog({ loadVersions: opts.loadVersions, saveVersion });
    const { catalog: entries, credentials, sources } = this.config;
    const workerCatalog = { entries, credentials, sources, projectRoot: this.root, loadVersions: opts.loadVersions, saveVersion, parameters: this.parameters };
    return runPipeline(pipeline, catalog, {
      runner: opts.runner ?? 'sequential',
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
    if (pipelineName !== DEFAULT_PIPELINE) args.push('--pipeline', pipelineName);
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
