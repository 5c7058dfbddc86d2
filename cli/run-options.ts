import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { parse } from 'yaml';
import { didYouMean } from '../lib/errors';
import type { RunnerName } from '../lib/runner';
import { CliError } from './errors';
import { parseList, parseLoadVersions } from './shared';

/** `dqm run`'s options once parsed, whether they came from the command line or `--config`. */
export interface RunArgs {
  env: string;
  pipeline?: string;
  pipelines?: string[];
  nodes?: string[];
  fromNodes?: string[];
  toNodes?: string[];
  fromInputs?: string[];
  toOutputs?: string[];
  tags?: string[];
  namespace?: string;
  namespaces?: string[];
  runner: RunnerName;
  maxWorkers?: number;
  isAsync: boolean;
  loadVersions?: Record<string, string>;
  onlyMissingOutputs: boolean;
  /** `--params` as given (`a=1,b.c=x`), for the resume command and the run record. */
  params?: Record<string, unknown>;
  confSource?: string;
}

/** Kedro's runner class names are accepted too, so a Kedro `--config` file works unchanged. */
const RUNNERS: Record<string, RunnerName> = { sequential: 'sequential', parallel: 'parallel', SequentialRunner: 'sequential', ParallelRunner: 'parallel' };

/** The options Kedro 1.x's `kedro run` has beyond the ones run.ts always had. */
export function addKedroRunOptions(cmd: Command): Command {
  return cmd
    .option('--pipelines <names>', 'run these registered pipelines together (comma-separated, e.g. data_processing,data_science)')
    .option('--namespaces <names>', 'run only the nodes of these modular pipelines (comma-separated)')
    .option('--runner-params <key=value,...>', 'runner options: max_workers=<n> (parallel runner), is_async=true|false')
    .option('--async', 'load the inputs and save the outputs of each node concurrently (same as --runner-params is_async=true)')
    .option('--conf-source <path>', 'read the configuration from this folder, or from a .tar.gz/.tgz/.zip of one, instead of conf/')
    .option('-c, --config <file>', "read run options from the 'run:' section of a YAML file (Kedro's names: from_nodes, node_names, runner_params, ...); options on the command line win");
}

/** Raw commander values of `dqm run` (strings as typed). */
export interface RunCliValues {
  env: string;
  /** A string from the command line; a mapping from `--config`. */
  params?: string | Record<string, unknown>;
  pipeline?: string;
  pipelines?: string;
  nodes?: string;
  fromNodes?: string;
  toNodes?: string;
  fromInputs?: string;
  toOutputs?: string;
  tags?: string;
  namespace?: string;
  namespaces?: string;
  runner: string;
  runnerParams?: string | Record<string, unknown>;
  async?: boolean;
  loadVersions?: string;
  onlyMissingOutputs?: boolean;
  confSource?: string;
  config?: string;
}

/** Kedro's `run:` keys (the click parameter names) -> our option names. */
const CONFIG_KEYS: Record<string, keyof RunCliValues> = {
  tags: 'tags',
  env: 'env',
  runner: 'runner',
  is_async: 'async',
  runner_params: 'runnerParams',
  node_names: 'nodes',
  to_nodes: 'toNodes',
  from_nodes: 'fromNodes',
  from_inputs: 'fromInputs',
  to_outputs: 'toOutputs',
  load_versions: 'loadVersions',
  pipeline: 'pipeline',
  pipelines: 'pipelines',
  conf_source: 'confSource',
  params: 'params',
  namespace: 'namespace',
  namespaces: 'namespaces',
  only_missing_outputs: 'onlyMissingOutputs',
};

/**
 * Turns the command's values into RunArgs. With `--config FILE`, each key of its `run:` section
 * fills the option unless it was given on the command line (Kedro: "CLI options take precedence").
 */
export async function resolveRunArgs(cmd: Command, values: RunCliValues): Promise<RunArgs> {
  const merged: RunCliValues = { ...values };
  if (values.config !== undefined) {
    for (const [key, value] of Object.entries(readRunConfig(values.config))) {
      const name = CONFIG_KEYS[key]!;
      if (cmd.getOptionValueSource(name) !== 'cli') (merged as unknown as Record<string, unknown>)[name] = fromConfig(key, value, values.config);
    }
  }
  return toRunArgs(merged);
}

function readRunConfig(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new CliError(`--config '${file}' cannot be read: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`, { cause: error });
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (error) {
    throw new CliError(`--config '${file}' is not valid YAML: ${(error as Error).message.split('\n')[0]}`, { cause: error });
  }
  const section = isMapping(doc) ? doc.run : undefined;
  if (!isMapping(section)) throw new CliError(`--config '${file}' has no 'run:' section with the options (e.g. run:\\n  pipelines: data_processing)`);
  const valid = Object.keys(CONFIG_KEYS);
  for (const key of Object.keys(section)) {
    if (!valid.includes(key)) {
      const close = didYouMean(key, valid);
      throw new CliError(`Key \`${key}\` in provided configuration is not valid. ${close.length ? `Did you mean ${close.map((c) => `\`${c}\``).join(' or ')}? ` : ''}Valid keys: ${valid.join(', ')} (in ${file})`);
    }
  }
  return section;
}

/** A config value in the form the command line would give it: lists joined, mappings written as `k=v` pairs. */
function fromConfig(key: string, value: unknown, file: string): unknown {
  const name = CONFIG_KEYS[key]!;
  if (name === 'async' || name === 'onlyMissingOutputs') {
    if (typeof value !== 'boolean') throw new CliError(`Key \`${key}\` in ${file} must be true or false, got ${JSON.stringify(value)}`);
    return value;
  }
  if (name === 'params' || name === 'runnerParams') return isMapping(value) ? value : String(value);
  if (name === 'loadVersions' && isMapping(value)) return Object.entries(value).map(([k, v]) => `${k}:${String(v)}`).join(',');
  if (Array.isArray(value)) return value.map(String).join(',');
  if (isMapping(value) || value === null) throw new CliError(`Key \`${key}\` in ${file} must be a string or a list, got ${value === null ? 'null' : 'a mapping'}`);
  return String(value);
}

async function toRunArgs(v: RunCliValues): Promise<RunArgs> {
  if (v.pipeline !== undefined && v.pipelines !== undefined) throw new CliError("Options '--pipeline' and '--pipelines' cannot be used together");
  const runner = Object.prototype.hasOwnProperty.call(RUNNERS, v.runner) ? RUNNERS[v.runner]! : undefined;
  if (!runner) throw new CliError(`Unknown runner '${v.runner}': choose sequential or parallel (Kedro's SequentialRunner and ParallelRunner are accepted too)`);
  const { parseRuntimeParams } = await import('../lib/config');
  const mappingOr = (raw: unknown, parseText: (s: string) => Record<string, unknown>) =>
    raw === undefined ? undefined : isMapping(raw) ? raw : parseText(String(raw));
  const runnerParams = mappingOr(v.runnerParams, (s) => parseRuntimeParams(s)) ?? {};
  const { maxWorkers, isAsync } = checkRunnerParams(runnerParams, v.async === true);
  const pipelines = parseList(v.pipelines);
  if (v.pipelines !== undefined && !pipelines?.length) throw new CliError('--pipelines needs at least one pipeline name');
  return {
    env: v.env,
    pipeline: v.pipeline,
    pipelines,
    nodes: parseList(v.nodes),
    fromNodes: parseList(v.fromNodes),
    toNodes: parseList(v.toNodes),
    fromInputs: parseList(v.fromInputs),
    toOutputs: parseList(v.toOutputs),
    tags: parseList(v.tags),
    namespace: v.namespace,
    namespaces: parseList(v.namespaces),
    runner,
    maxWorkers,
    isAsync,
    loadVersions: v.loadVersions === undefined ? undefined : parseLoadVersions(v.loadVersions),
    onlyMissingOutputs: v.onlyMissingOutputs === true,
    params: mappingOr(v.params, parseRuntimeParams),
    confSource: v.confSource,
  };
}

/** Kedro's runner kwargs: `max_workers` and `is_async`; `--async` with `is_async=false` is a contradiction. */
function checkRunnerParams(params: Record<string, unknown>, asyncFlag: boolean): { maxWorkers?: number; isAsync: boolean } {
  const known = ['max_workers', 'is_async'];
  for (const key of Object.keys(params)) {
    if (!known.includes(key)) throw new CliError(`Invalid --runner-params key '${key}': supported keys are ${known.join(', ')}`);
  }
  const { max_workers: maxWorkers, is_async: isAsync } = params;
  if (maxWorkers !== undefined && !(Number.isInteger(maxWorkers) && (maxWorkers as number) >= 1)) {
    throw new CliError(`Invalid --runner-params max_workers=${String(maxWorkers)}: expected a whole number of at least 1`);
  }
  if (isAsync !== undefined && typeof isAsync !== 'boolean') throw new CliError(`Invalid --runner-params is_async=${String(isAsync)}: expected true or false`);
  if (asyncFlag && isAsync === false) throw new CliError("Options '--async' and '--runner-params=is_async=False' cannot be used together.");
  return { maxWorkers: maxWorkers as number | undefined, isAsync: asyncFlag || isAsync === true };
}

/** `{a: {b: 1}, c: [1, 2]}` -> `a.b=1,c=[1,2]`: runtime params as `--params` takes them, for the resume command. */
export function formatParams(params: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(params).flatMap(([k, v]) => {
    const key = prefix ? `${prefix}.${k}` : k;
    return isMapping(v) && Object.keys(v).length ? formatParams(v, key) : [`${key}=${typeof v === 'string' ? v : JSON.stringify(v)}`];
  });
}

/** Extra arguments the resume command must repeat so the resumed run sees the same project. */
export function resumeArgsOf(args: RunArgs): string[] {
  const out: string[] = [];
  if (args.params && Object.keys(args.params).length) out.push('--params', formatParams(args.params).join(','));
  if (args.confSource !== undefined) out.push('--conf-source', args.confSource);
  if (args.isAsync) out.push('--async');
  return out;
}

/** Accepted `--runner` values, for the option's choices. */
export const RUNNER_CHOICES = Object.keys(RUNNERS);

export function runnerOption(): Option {
  return new Option('-r, --runner <runner>', 'how to run the nodes').choices(RUNNER_CHOICES).default('sequential');
}

function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
