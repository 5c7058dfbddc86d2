import { parseRuntimeParams } from '../config';
import { messageOf } from '../errors';
import { RunRequestError } from './errors';
import { REDACTED } from '../redact';
import type { RunDetails, RunSelection } from '../services';
import { DEFAULT_PIPELINE } from '../pipeline';

/** A `POST /api/runs` body, checked. */
export interface RunRequest {
  pipeline: string;
  env?: string;
  params: Record<string, unknown>;
  selection: RunSelection;
  runner: 'sequential' | 'parallel';
}

const KEYS = ['pipeline', 'env', 'params', 'nodes', 'fromNodes', 'toNodes', 'tags', 'fromInputs', 'toOutputs', 'namespace', 'onlyMissingOutputs', 'runner'] as const;
const LISTS = ['nodes', 'fromNodes', 'toNodes', 'tags', 'fromInputs', 'toOutputs'] as const;

/**
 * `{pipeline, env, params, nodes, fromNodes, toNodes, tags, fromInputs, toOutputs, namespace,
 * onlyMissingOutputs, runner}`, all optional, as `dqm run` takes them. `params` is an object or
 * the CLI's `a.b=1,c=x` text; lists are arrays of names or comma-separated text.
 */
export function parseRunRequest(body: unknown): RunRequest {
  if (body === undefined || body === null || body === '') body = {};
  // Before anything walks it (redaction, IPC to the run process, the store): bounded depth.
  const depth = depthOf(body, MAX_DEPTH);
  if (depth > MAX_DEPTH) throw new RunRequestError(`The run request is nested more than ${MAX_DEPTH} levels deep: parameters are a few levels of mappings`, { code: 'TOO_DEEP' });
  if (typeof body !== 'object' || Array.isArray(body)) throw new RunRequestError(`The run request must be a JSON object, got ${Array.isArray(body) ? 'an array' : typeof body}`);
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).filter((k) => !(KEYS as readonly string[]).includes(k));
  if (unknown.length) throw new RunRequestError(`Unknown field${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')} in the run request. Allowed: ${KEYS.join(', ')}`);

  const pipeline = optionalName(b, 'pipeline') ?? DEFAULT_PIPELINE;
  const env = optionalName(b, 'env');
  const runner = b.runner ?? 'sequential';
  if (runner !== 'sequential' && runner !== 'parallel') throw new RunRequestError(`'runner' must be 'sequential' or 'parallel', got ${JSON.stringify(runner)}`);
  const selection: RunSelection = {};
  for (const key of LISTS) {
    const list = nameList(b[key], key);
    if (list?.length) selection[key] = list;
  }
  const namespace = optionalName(b, 'namespace');
  if (namespace) selection.namespace = namespace;
  if (b.onlyMissingOutputs !== undefined && typeof b.onlyMissingOutputs !== 'boolean') throw new RunRequestError(`'onlyMissingOutputs' must be true or false, got ${JSON.stringify(b.onlyMissingOutputs)}`);
  if (b.onlyMissingOutputs) selection.onlyMissingOutputs = true;
  return { pipeline, env, params: paramsOf(b.params), selection, runner };
}

/**
 * The request that runs a recorded run again: same pipeline, env, params, selection and runner;
 * `{from: 'failed'}` (the default for a failed run) restarts at the failed node, as its resume
 * command does. Params the history holds redacted cannot be replayed: that is an error.
 */
export function rerunRequest(prev: RunDetails, body: unknown): RunRequest {
  const b = (body && typeof body === 'object' && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const unknown = Object.keys(b).filter((k) => k !== 'from');
  if (unknown.length) throw new RunRequestError(`Unknown field ${unknown.map((k) => `'${k}'`).join(', ')} in the re-run request. Allowed: from`);
  const failed = prev.nodes.find((n) => n.status === 'failed');
  const from = b.from ?? (failed ? 'failed' : 'start');
  if (from !== 'failed' && from !== 'start') throw new RunRequestError(`'from' must be 'failed' or 'start', got ${JSON.stringify(from)}`);
  const { run } = prev;
  const hidden = redactedKeys(run.params);
  if (hidden.length) {
    throw new RunRequestError(`Run ${run.id} was started with secret parameters (${hidden.join(', ')}), which the run history does not keep: start it from the Run form with them`, { code: 'RERUN_SECRET_PARAMS' });
  }
  const selection: RunSelection = { ...run.selection };
  if (from === 'failed') {
    if (!failed) throw new RunRequestError(`Run ${run.id} has no failed node to resume from (it ${run.status === 'running' ? 'is still running' : run.status === 'success' ? 'succeeded' : `was ${run.status}`}); re-run it from the start`, { code: 'RUN_NOT_FAILED' });
    selection.fromNodes = failed.resumeFrom?.length ? failed.resumeFrom : [failed.node];
  }
  return { pipeline: run.pipeline, env: run.env, params: run.params, selection, runner: run.runner === 'parallel' ? 'parallel' : 'sequential' };
}

/** Deep enough for any parameters file; a 10,000-level body overflowed recursive code downstream. */
export const MAX_DEPTH = 32;

/** Nesting depth of a JSON value, counted without recursion; stops counting past `limit`. */
function depthOf(value: unknown, limit: number): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d + 1 > max) max = d + 1;
    if (max > limit) return max;
    for (const x of Object.values(v as Record<string, unknown>)) stack.push([x, d + 1]);
  }
  return max;
}

function redactedKeys(value: unknown, prefix = ''): string[] {
  if (value === REDACTED) return [prefix];
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => redactedKeys(v, prefix ? `${prefix}.${k}` : k));
}

function optionalName(b: Record<string, unknown>, key: string): string | undefined {
  const v = b[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') throw new RunRequestError(`'${key}' must be a string, got ${JSON.stringify(v)}`);
  // Names only: an env is a folder under conf/, never a path.
  if (!/^[\w.:-]+$/.test(v) || v.includes('..')) throw new RunRequestError(`'${key}' must be a name (letters, digits, _ . : -), got ${JSON.stringify(v)}`);
  return v;
}

function nameList(v: unknown, key: string): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  const items = typeof v === 'string' ? v.split(',') : Array.isArray(v) ? v : undefined;
  if (!items || items.some((x) => typeof x !== 'string')) throw new RunRequestError(`'${key}' must be a list of names or comma-separated text, got ${JSON.stringify(v)}`);
  return (items as string[]).map((s) => s.trim()).filter(Boolean);
}

function paramsOf(v: unknown): Record<string, unknown> {
  if (v === undefined || v === null || v === '') return {};
  if (typeof v === 'string') {
    try {
      return parseRuntimeParams(v);
    } catch (error) {
      throw new RunRequestError(`Invalid 'params': ${messageOf(error)}`, { cause: error });
    }
  }
  if (typeof v !== 'object' || Array.isArray(v)) throw new RunRequestError(`'params' must be an object or 'key=value,...' text, got ${JSON.stringify(v)}`);
  return v as Record<string, unknown>;
}
