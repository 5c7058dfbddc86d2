import type { DatasetFreshness, LogLine, NodeDurationPoint, PartitionMatrix, RunComparison, RunDetails, RunRecord } from '../../lib/services';
import { requestJson } from '../api';
import { apiUrl } from '../base-url';

/** What the Run form sends to `POST /api/runs`. */
export interface StartRunBody {
  pipeline?: string;
  env?: string;
  params?: string;
  nodes?: string[];
  fromNodes?: string[];
  toNodes?: string[];
  tags?: string[];
  onlyMissingOutputs?: boolean;
}

const call = <T>(path: string, init?: RequestInit) => requestJson<T>(apiUrl(path), init);

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

export function rerun(id: string, from?: 'failed' | 'start'): Promise<{ run: RunRecord }> {
  return call(`/api/runs/${encodeURIComponent(id)}/rerun`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(from ? { from } : {}) });
}

export function getLogs(id: string, node?: string): Promise<{ lines: LogLine[] }> {
  return call(`/api/runs/${encodeURIComponent(id)}/logs${node ? `?node=${encodeURIComponent(node)}` : ''}`);
}

export function compareRuns(a: string, b: string): Promise<RunComparison> {
  return call(`/api/runs/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`);
}

export function nodeDurations(node: string): Promise<{ node: string; points: NodeDurationPoint[] }> {
  return call(`/api/runs/durations?node=${encodeURIComponent(node)}`);
}

export function getFreshness(pipeline: string | null): Promise<{ datasets: Record<string, DatasetFreshness> }> {
  return call(`/api/runs/freshness${pipeline ? `?pipeline=${encodeURIComponent(pipeline)}` : ''}`);
}

export function getPartitions(pipeline?: string): Promise<PartitionMatrix> {
  return call(`/api/runs/partitions${pipeline ? `?pipeline=${encodeURIComponent(pipeline)}` : ''}`);
}
