import type { RunDetails, RunRecord } from '../../lib/services';
import { requestJson } from '../api';

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

const call = requestJson;

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
