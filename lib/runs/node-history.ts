import type Database from 'better-sqlite3';
import type { Row } from './store-rows';
import type { NodeDurationPoint } from '../services';

/** A node's last ended attempt. */
export interface LastNodeRun {
  runId: string;
  status: string;
  startedAt: string;
  error: string | null;
}

/** The node's duration in the last `limit` runs that ran it (done or failed), newest first. */
export function nodeDurations(db: Database.Database, node: string, limit: number): NodeDurationPoint[] {
  const rows = db
    .prepare(
      `SELECT n.run_id, r.started_at, n.status, n.duration_ms, r.status AS run_status FROM node_runs n JOIN runs r ON r.id = n.run_id
       WHERE n.node = ? AND n.status IN ('done', 'failed', 'running') ORDER BY r.started_at DESC, r.rowid DESC LIMIT ?`,
    )
    .all(node, limit) as Row[];
  return rows.map((r) => ({ runId: String(r.run_id), startedAt: String(r.started_at), status: r.status as NodeDurationPoint['status'], durationMs: (r.duration_ms as number | null) ?? null }));
}

/** The last run (newest first) in which each of `nodes` started or failed: node -> status, run, error. */
export function lastNodeRuns(db: Database.Database, nodes: string[]): Map<string, LastNodeRun> {
  const out = new Map<string, LastNodeRun>();
  const q = db.prepare(
    `SELECT n.run_id, n.status, n.error, r.started_at FROM node_runs n JOIN runs r ON r.id = n.run_id
     WHERE n.node = ? AND n.status IN ('done', 'failed') ORDER BY r.started_at DESC, r.rowid DESC LIMIT 1`,
  );
  for (const node of nodes) {
    const r = q.get(node) as Row | undefined;
    if (r) out.set(node, { runId: String(r.run_id), status: String(r.status), startedAt: String(r.started_at), error: (r.error as string | null) ?? null });
  }
  return out;
}

