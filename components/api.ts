import type { GraphJson, NodeDetails } from '../lib/viz/graph-types';

/** JSON from our API, or an Error carrying the API's `{error: {message}}`. */
export async function getJson<T>(url: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(url, { signal, cache: 'no-store' });
  const body = (await res.json().catch(() => null)) as (T & { error?: { message?: string } }) | null;
  if (!res.ok || body === null) throw new Error(body?.error?.message ?? `${url} answered ${res.status}`);
  return body;
}

type Prefetched = { url: string; promise: Promise<{ ok: boolean; status: number; body: unknown }> };

export function fetchGraph(pipeline: string | null, signal?: AbortSignal): Promise<GraphJson> {
  const url = pipeline ? `/api/pipelines/${encodeURIComponent(pipeline)}` : '/api/main';
  // First load: use the request app/layout.tsx started before the JavaScript arrived.
  const w = window as unknown as { __dqmGraph?: Prefetched };
  const pre = w.__dqmGraph;
  if (pre && pre.url === url) {
    w.__dqmGraph = undefined;
    return pre.promise.then(
      ({ ok, status, body }) => {
        const b = body as GraphJson & { error?: { message?: string } };
        if (!ok) throw new Error(b?.error?.message ?? `${url} answered ${status}`);
        return b;
      },
      () => getJson<GraphJson>(url, signal),
    );
  }
  return getJson<GraphJson>(url, signal);
}

export function fetchNode(id: string, pipeline: string | null, ls: number, signal?: AbortSignal): Promise<NodeDetails> {
  const q = new URLSearchParams();
  if (pipeline) q.set('pipeline', pipeline);
  if (ls) q.set('ls', String(ls));
  const qs = q.toString();
  return getJson<NodeDetails>(`/api/nodes/${encodeURIComponent(id)}${qs ? `?${qs}` : ''}`, signal);
}
