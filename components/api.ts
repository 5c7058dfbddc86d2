import type { ErrorBody, ErrorCode } from '../lib/errors';
import type { GraphJson, NodeDetails } from '../lib/graph';
import { apiUrl } from './base-url';

/** A failed API call, with the answer's ErrorCode (`NETWORK`: no JSON answer at all). */
export class ApiRequestError extends Error {
  constructor(
    readonly code: ErrorCode | 'NETWORK',
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

function failure(url: string, status: number, body: unknown): ApiRequestError {
  const e = (body as Partial<ErrorBody> | null)?.error;
  return e ? new ApiRequestError(e.code, e.message, status) : new ApiRequestError('NETWORK', `${url} answered ${status}`, status);
}

/** JSON from our API, or an ApiRequestError carrying the API's `{error: {code, message}}`. */
export async function requestJson<T>(url: string, init: RequestInit = {}): Promise<T> {
  const res = await fetch(url, { cache: 'no-store', ...init });
  const body = (await res.json().catch(() => null)) as T | null;
  if (!res.ok || body === null) throw failure(url, res.status, body);
  return body;
}

export function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  return requestJson<T>(url, { signal });
}

/**
 * What a person reads for a failed call: the server's message, plus what to do about the codes
 * this page can say something useful for.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof ApiRequestError)) return error instanceof Error ? error.message : String(error);
  switch (error.code) {
    case 'NOT_STARTED':
    case 'SERVER_NOT_READY':
    case 'NETWORK':
      return `${error.message}. Is \`dqm viz\` still running? Restart it, then reload this page.`;
    case 'RUN_CONFLICT':
      return `${error.message}. The Runs panel shows it.`;
    case 'NO_PROJECT':
      return `${error.message}. Start \`dqm viz\` in the project folder to run pipelines.`;
    case 'NODE_NOT_FOUND':
    case 'PIPELINE_NOT_FOUND':
      return `${error.message}. The project may have been reloaded: pick it again in the graph.`;
    default:
      return error.message;
  }
}

type Prefetched = { url: string; promise: Promise<{ ok: boolean; status: number; body: unknown }> };

export function fetchGraph(pipeline: string | null, signal?: AbortSignal): Promise<GraphJson> {
  const url = pipeline ? apiUrl(`/api/pipelines/${encodeURIComponent(pipeline)}`) : apiUrl('/api/main');
  // First load: use the request app/layout.tsx started before the JavaScript arrived.
  const w = window as unknown as { __dqmGraph?: Prefetched };
  const pre = w.__dqmGraph;
  if (pre && pre.url === url) {
    w.__dqmGraph = undefined;
    return pre.promise.then(
      ({ ok, status, body }) => {
        if (!ok) throw failure(url, status, body);
        return body as GraphJson;
      },
      () => getJson<GraphJson>(url, signal),
    );
  }
  return getJson<GraphJson>(url, signal);
}

export function fetchNode(id: string, pipeline: string | null, ls: number, signal?: AbortSignal): Promise<NodeDetails> {
  return getJson<NodeDetails>(apiUrl(`/api/nodes/${encodeURIComponent(id)}`, { pipeline, ls: ls || null }), signal);
}

/** One lumisection's map of a histogram dataset, as raw float32 (ny × nx, row-major): 4 bytes a bin, no JSON. */
export async function fetchLsMap(id: string, pipeline: string | null, ls: number, signal?: AbortSignal): Promise<Float32Array> {
  const url = apiUrl(`/api/nodes/${encodeURIComponent(id)}/map`, { pipeline, ls });
  const res = await fetch(url, { signal });
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as unknown;
    throw failure(url, res.status, body);
  }
  return new Float32Array(await res.arrayBuffer());
}
