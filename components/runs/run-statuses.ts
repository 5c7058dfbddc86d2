import type { NodeRunStatus, RunDetails, RunRecord, RunStatus, StoredEvent } from '../../lib/services';

/** What the graph shows for one node of a run. */
export interface NodeRunView {
  status: NodeRunStatus;
  durationMs?: number;
  error?: { code: string; message: string };
  resumeCommand?: string;
  traceback?: string;
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
      return { ...statuses, [e.node]: { ...statuses[e.node], status: 'failed', error: e.error, resumeCommand: e.resumeCommand, ...(e.traceback ? { traceback: e.traceback } : {}) } };
    case 'progress': {
      const cur = statuses[e.node];
      return cur?.status === 'running' ? { ...statuses, [e.node]: { ...cur, progress: { done: e.done, total: e.total, unit: e.unit } } } : statuses;
    }
    case 'run_aborted': {
      const next: Record<string, NodeRunView> = { ...statuses };
      for (const [n, v] of Object.entries(next)) {
        if (v.status === 'running') next[n] = { status: 'failed', error: { code: 'RUN_ABORTED', message: e.reason } };
        else if (v.status === 'pending') next[n] = { status: 'not_run' };
      }
      return next;
    }
    case 'run_finished': {
      // A failed run leaves the nodes it never reached: not run.
      const next: Record<string, NodeRunView> = { ...statuses };
      for (const [n, v] of Object.entries(next)) if (v.status === 'pending') next[n] = { status: 'not_run' };
      return next;
    }
    case 'dataset_saved':
    case 'log':
    case 'metric':
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
    if (n.traceback) v.traceback = n.traceback;
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
  if (inside.some((v) => v.status === 'not_run')) return { status: 'not_run' };
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
  not_run: '#78716c',
};

/** What a person reads for each node state (legend, titles). */
export const NODE_STATUS_LABEL: Record<NodeRunStatus, string> = {
  pending: 'waiting',
  running: 'running',
  done: 'done',
  failed: 'failed',
  skipped: 'skipped (outputs existed)',
  not_run: 'not run (the run stopped first)',
};

export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—';
  const u = ['B', 'kB', 'MB', 'GB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < u.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(i && v < 10 ? 1 : 0)} ${u[i]}`;
}

/** Event names the stream sends (one EventSource listener each). */
export const RUN_EVENT_TYPES = ['run_started', 'node_started', 'node_finished', 'node_failed', 'progress', 'dataset_saved', 'run_finished', 'run_aborted'] as const;

/** `env ci · factor=3 · --from-nodes x` */
export function runLine(r: Pick<RunRecord, 'env' | 'params' | 'selection'>): string {
  const params = flatParams(r.params).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`);
  const sel = Object.entries(r.selection).map(([k, v]) => (v === true ? `--${kebab(k)}` : `--${kebab(k)} ${Array.isArray(v) ? v.join(',') : String(v)}`));
  return [`env ${r.env}`, ...params, ...sel].join(' · ');
}

const kebab = (k: string) => (k === 'nodes' ? 'nodes' : k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));

/** `{a: {b: 1}}` -> `[['a.b', 1]]`, as `--params a.b=1` writes it. */
function flatParams(v: Record<string, unknown>, prefix = ''): Array<[string, unknown]> {
  return Object.entries(v).flatMap(([k, x]): Array<[string, unknown]> => (x && typeof x === 'object' && !Array.isArray(x) ? flatParams(x as Record<string, unknown>, `${prefix}${k}.`) : [[`${prefix}${k}`, x]]));
}
