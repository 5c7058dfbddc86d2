import type { NodeRunStatus, RunDetails, RunStatus, StoredEvent } from '../../lib/services';

/** What the graph shows for one node of a run. */
export interface NodeRunView {
  status: NodeRunStatus;
  durationMs?: number;
  error?: { code: string; message: string };
  resumeCommand?: string;
  progress?: { done: number; total: number; unit: string };
}

/** `{[nodeName]: status}` of the run shown on the graph. */
export type NodeStatuses = Readonly<Record<string, NodeRunView>>;

/** Pure: the statuses after one more event of the run's stream. */
export function applyRunEvent(statuses: NodeStatuses, e: StoredEvent): NodeStatuses {
  switch (e.type) {
    case 'run_started': {
      const next: Record<string, NodeRunView> = {};
      for (const n of e.nodes) next[n] = { status: 'pending' };
      return next;
    }
    case 'node_started':
      return { ...statuses, [e.node]: { status: 'running' } };
    case 'node_finished':
      return { ...statuses, [e.node]: { status: 'done', durationMs: e.durationMs } };
    case 'node_failed':
      return { ...statuses, [e.node]: { ...statuses[e.node], status: 'failed', error: e.error, resumeCommand: e.resumeCommand } };
    case 'progress': {
      const cur = statuses[e.node];
      return cur?.status === 'running' ? { ...statuses, [e.node]: { ...cur, progress: { done: e.done, total: e.total, unit: e.unit } } } : statuses;
    }
    case 'run_aborted': {
      const next: Record<string, NodeRunView> = { ...statuses };
      for (const [n, v] of Object.entries(next)) if (v.status === 'running') next[n] = { status: 'failed', error: { code: 'RUN_ABORTED', message: e.reason } };
      return next;
    }
    case 'dataset_saved':
    case 'run_finished':
      return statuses;
  }
}

export function statusesOfEvents(events: readonly StoredEvent[]): NodeStatuses {
  return events.reduce<NodeStatuses>(applyRunEvent, {});
}

/** The stored statuses of a run (`GET /api/runs/{id}`), skipped nodes included. */
export function statusesFromDetails(details: RunDetails): NodeStatuses {
  const out: Record<string, NodeRunView> = {};
  for (const n of details.nodes) {
    const v: NodeRunView = { status: n.status };
    if (n.durationMs !== null && n.status !== 'running') v.durationMs = n.durationMs;
    if (n.error) v.error = n.error;
    if (n.resumeCommand) v.resumeCommand = n.resumeCommand;
    if (n.progress && n.status === 'running') v.progress = n.progress;
    out[n.node] = v;
  }
  return out;
}

/**
 * A collapsed modular pipeline shows the state of its nodes: failed over running over pending
 * over done; undefined when none of its nodes is in the run.
 */
export function namespaceStatus(statuses: NodeStatuses, namespace: string): NodeRunView | undefined {
  const inside = Object.entries(statuses).filter(([n]) => n.startsWith(`${namespace}.`)).map(([, v]) => v);
  if (!inside.length) return undefined;
  for (const s of ['failed', 'running', 'pending'] as const) if (inside.some((v) => v.status === s)) return { status: s };
  if (inside.every((v) => v.status === 'skipped')) return { status: 'skipped' };
  return { status: 'done', durationMs: inside.reduce((a, v) => a + (v.durationMs ?? 0), 0) };
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')} s`;
}

export const RUN_STATUS_COLOUR: Record<RunStatus | NodeRunStatus, string> = {
  pending: '#94a3b8',
  running: '#2563eb',
  done: '#16a34a',
  success: '#16a34a',
  failed: '#dc2626',
  cancelled: '#d97706',
  skipped: '#a3a3a3',
};

/** Event names the stream sends (one EventSource listener each). */
export const RUN_EVENT_TYPES = ['run_started', 'node_started', 'node_finished', 'node_failed', 'progress', 'dataset_saved', 'run_finished', 'run_aborted'] as const;
