import type { RunDetails, RunRecord } from '../../lib/runs/types';

/** What the Run form sends to `POST /api/runs`. */
export interface StartRunBody {
  pipeline?: string;
  env?: string;
  params?: string;
  nodes?: string[];
  fromNodes?: string[];
  toNodes?: string[];
  tags?: string[];
}

async function call<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { cache: 'no-store', ...init });
  const body = (await res.json().catch(() => null)) as (T & { error?: { message?: string } }) | null;
  if (!res.ok || body === null) throw new Error(body?.error?.message ?? `${url} answered ${res.status}`);
  return body;
}

export function startRun(body: StartRunBody): Promise<{ run: RunRecord }> {
  return call('/api/runs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

export function listRuns(): Promise<{ runs: RunRecord[]; running: string | null }> {
  return call('/api/runs');
}

export function getRun(id: string): Promise<RunDetails> {
  return call(`/api/runs/${encodeURIComponent(id)}`);
}

export function cancelRun(id: string): Promise<{ run: RunRecord }> {
  return call(`/api/runs/${encodeURIComponent(id)}/cancel`, { method: 'POST' });
}
