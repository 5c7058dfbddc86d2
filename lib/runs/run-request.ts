import { parseRuntimeParams } from '../config';
import { messageOf } from '../errors';
import { RunRequestError } from './errors';
import type { RunSelection } from '../services';
import { DEFAULT_PIPELINE } from '../pipeline';

/** A `POST /api/runs` body, checked. */
export interface RunRequest {
  pipeline: string;
  env?: string;
  params: Record<string, unknown>;
  selection: RunSelection;
  runner: 'sequential' | 'parallel';
}

const KEYS = ['pipeline', 'env', 'params', 'nodes', 'fromNodes', 'toNodes', 'tags', 'runner'] as const;
const LISTS = ['nodes', 'fromNodes', 'toNodes', 'tags'] as const;

/**
 * `{pipeline, env, params, nodes, fromNodes, toNodes, tags, runner}`, all optional. `params` is
 * an object or the CLI's `a.b=1,c=x` text; lists are arrays of names or comma-separated text.
 */
export function parseRunRequest(body: unknown): RunRequest {
  if (body === undefined || body === null || body === '') body = {};
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
  return { pipeline, env, params: paramsOf(b.params), selection, runner };
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
