import type { GraphJson, NodeDetails } from '../lib/viz/graph-types';

/** JSON from our API, or an Error carrying the API's `{error: {message}}`. */
export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal, cache: 'no-store' });
  const body = (await res.json().catch(() => null)) as (T & { error?: { message?: string } }) | null;
  if (!res.ok || body === null) throw new Error(body?.error?.message ?? `${url} answered ${res.status}`);
  return body;
}

export function fetchGraph(pipeline: string | null, signal?: AbortSignal): Promise<GraphJson> {
  return getJson<GraphJson>(pipeline ? `/api/pipelines/${encodeURIComponent(pipeline)}` : '/api/main', signal);
}

export function fetchNode(id: string, pipeline: string | null, ls: number, signal?: AbortSignal): Promise<NodeDetails> {
  const q = new URLSearchParams();
  if (pipeline) q.set('pipeline', pipeline);
  if (ls) q.set('ls', String(ls));
  const qs = q.toString();
  return getJson<NodeDetails>(`/api/nodes/${encodeURIComponent(id)}${qs ? `?${qs}` : ''}`, signal);
}
