import type { DatasetSaveRecord, LogLine, NodeRunRecord, NodeRunStatus, RunLogEvent, RunRecord, RunStatus } from '../services';

/** A row as better-sqlite3 returns it. */
export type Row = Record<string, unknown>;

const json = <T>(v: unknown, fallback: T): T => (typeof v === 'string' && v ? (JSON.parse(v) as T) : fallback);

export function toRun(r: Row): RunRecord {
  return {
    id: String(r.id),
    pipeline: String(r.pipeline),
    env: String(r.env),
    params: json<Record<string, unknown>>(r.params, {}),
    selection: json<RunRecord['selection']>(r.selection, {}),
    gitCommit: (r.git_commit as string | null) ?? null,
    startedBy: r.started_by as RunRecord['startedBy'],
    user: (r.user as string | null) ?? null,
    startedAt: String(r.started_at),
    finishedAt: (r.finished_at as string | null) ?? null,
    durationMs: (r.duration_ms as number | null) ?? null,
    status: r.status as RunStatus,
    error: (r.error as string | null) ?? null,
    pid: (r.pid as number | null) ?? null,
    runner: (r.runner as string | null) ?? null,
    rerunOf: (r.rerun_of as string | null) ?? null,
  };
}

/** A node still pending once its run has ended never ran: `not_run`. */
export function toNodeRun(r: Row, runStatus: RunStatus): NodeRunRecord {
  const status = r.status === 'pending' && runStatus !== 'running' ? 'not_run' : (r.status as NodeRunStatus);
  return {
    node: String(r.node),
    position: r.position as number,
    status,
    startedAt: (r.started_at as string | null) ?? null,
    durationMs: (r.duration_ms as number | null) ?? null,
    error: r.error === null || r.error === undefined ? null : { code: String(r.error_code ?? 'ERROR'), message: String(r.error) },
    resumeCommand: (r.resume_command as string | null) ?? null,
    resumeFrom: json<string[] | null>(r.resume_from, null),
    progress: r.progress_total === null ? null : { done: r.progress_done as number, total: r.progress_total as number, unit: String(r.progress_unit) },
    traceback: (r.traceback as string | null) ?? null,
  };
}

export function toDatasetSave(r: Row): DatasetSaveRecord {
  return { dataset: String(r.dataset), savedAt: String(r.saved_at), sizeBytes: (r.size_bytes as number | null) ?? null, rows: (r.rows as number | null) ?? null };
}

export function toLogLine(r: Row): LogLine {
  const e = JSON.parse(String(r.data)) as Extract<RunLogEvent, { type: 'log' }>;
  return { seq: r.seq as number, node: e.node, stream: e.stream, time: e.at, text: e.text };
}
