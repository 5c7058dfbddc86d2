// better-sqlite3, not sql.js: its API is synchronous (an event is on disk before the runner
// moves on, with no promise interleaving between writers), it writes a real file in WAL mode
// (a kill -9 mid-write loses at most the open transaction, never the database), and several
// processes (the `dqm viz` server, a run's child process, a `dqm run` in a terminal) can share
// it. sql.js keeps the database in memory and persists by exporting the whole file.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { messageOf } from '../errors';
import { RunNotFoundError, RunStoreError } from './errors';
import { currentUser, gitCommit, isProcessAlive, processStartToken } from './process-info';
import { redactSecrets } from './redact';
import { MIGRATIONS } from './schema';
import type { DatasetFacts, DatasetSaveRecord, NewRun, NodeRunRecord, NodeRunStatus, RunDetails, RunLogEvent, RunRecord, RunStatus, StoredEvent } from '../services';

export const STORE_FILE = path.join('.dqm', 'runs.sqlite');

export interface RunStoreOptions {
  /** Mark runs whose process is gone as failed (default true). */
  recover?: boolean;
}

type Row = Record<string, unknown>;

/**
 * Every run of a project (CLI or dashboard): the run, its nodes, the datasets it saved and its
 * event log for replay. One file, `.dqm/runs.sqlite` under the project root.
 */
export class RunStore {
  private constructor(
    readonly file: string,
    private readonly db: Database.Database,
  ) {}

  /** Opens (creating and migrating) the store of the project at `root`. */
  static open(root: string, opts: RunStoreOptions = {}): RunStore {
    return RunStore.openFile(path.join(root, STORE_FILE), opts);
  }

  static openFile(file: string, opts: RunStoreOptions = {}): RunStore {
    let db: Database.Database;
    try {
      mkdirSync(path.dirname(file), { recursive: true });
      db = new Database(file);
      db.pragma('journal_mode = WAL');
      // NORMAL in WAL mode: a crash of the process never corrupts; only a power loss may drop the last commits.
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      db.pragma('foreign_keys = ON');
      migrate(db);
    } catch (error) {
      throw new RunStoreError(`Cannot open the run store ${file}: ${messageOf(error)}`, { cause: error });
    }
    const store = new RunStore(file, db);
    if (opts.recover !== false) store.recoverDeadRuns();
    return store;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /** Records a new run as `running`. Params are stored with secrets redacted. */
  createRun(input: NewRun): RunRecord {
    const pid = input.pid === undefined ? process.pid : input.pid;
    this.db
      .prepare(
        `INSERT INTO runs (id, pipeline, env, params, selection, git_commit, started_by, user, started_at, status, pid, pid_start)
         VALUES (@id, @pipeline, @env, @params, @selection, @git, @startedBy, @user, @startedAt, 'running', @pid, @pidStart)`,
      )
      .run({
        id: input.id,
        pipeline: input.pipeline,
        env: input.env,
        params: JSON.stringify(redactSecrets(input.params ?? {})),
        selection: JSON.stringify(input.selection ?? {}),
        git: input.gitCommit === undefined ? null : input.gitCommit,
        startedBy: input.startedBy,
        user: input.user === undefined ? currentUser() : input.user,
        startedAt: input.startedAt ?? new Date().toISOString(),
        pid,
        pidStart: pid === null ? null : processStartToken(pid),
      });
    return this.getRun(input.id);
  }

  /** `git rev-parse HEAD` of the project, recorded apart so a slow git never delays the insert. */
  recordGitCommit(runId: string, root: string): void {
    const sha = gitCommit(root);
    if (sha) this.db.prepare('UPDATE runs SET git_commit = ? WHERE id = ?').run(sha, runId);
  }

  /** The process that executes the run (the dashboard's child process). */
  setPid(runId: string, pid: number): void {
    this.db.prepare('UPDATE runs SET pid = ?, pid_start = ? WHERE id = ?').run(pid, processStartToken(pid), runId);
  }

  /** Removes a run that never started (its request was invalid). */
  deleteRun(runId: string): void {
    this.db.prepare('DELETE FROM runs WHERE id = ?').run(runId);
  }

  /**
   * Appends a runner event to the run's log and updates the run, node and dataset rows it
   * concerns, in one transaction. Returns the event's sequence number.
   */
  recordEvent(runId: string, event: RunLogEvent, facts: DatasetFacts = {}): number {
    return this.recordTx(runId, event, facts);
  }

  private readonly recordTx = (runId: string, event: RunLogEvent, facts: DatasetFacts): number =>
    this.db.transaction(() => {
      const run = this.db.prepare('SELECT status, started_at FROM runs WHERE id = ?').get(runId) as Row | undefined;
      if (!run) throw new RunNotFoundError(`Cannot record event '${event.type}': no run '${runId}' in ${this.file}`);
      const seq = ((this.db.prepare('SELECT MAX(seq) AS m FROM events WHERE run_id = ?').get(runId) as Row).m as number | null ?? 0) + 1;
      this.db.prepare('INSERT INTO events (run_id, seq, type, at, data) VALUES (?, ?, ?, ?, ?)').run(runId, seq, event.type, event.at, JSON.stringify(event));
      this.applyEvent(runId, event, facts, String(run.started_at));
      return seq;
    })();

  private applyEvent(runId: string, e: RunLogEvent, facts: DatasetFacts, startedAt: string): void {
    const setNode = this.db.prepare(
      `INSERT INTO node_runs (run_id, node, position, status) VALUES (?, ?, (SELECT COUNT(*) FROM node_runs WHERE run_id = ?), ?)
       ON CONFLICT (run_id, node) DO UPDATE SET status = excluded.status`,
    );
    switch (e.type) {
      case 'run_started': {
        const insert = this.db.prepare("INSERT OR IGNORE INTO node_runs (run_id, node, position, status) VALUES (?, ?, ?, 'pending')");
        e.nodes.forEach((n, i) => insert.run(runId, n, i));
        return;
      }
      case 'node_started':
        setNode.run(runId, e.node, runId, 'running');
        this.db.prepare('UPDATE node_runs SET started_at = ? WHERE run_id = ? AND node = ?').run(e.at, runId, e.node);
        return;
      case 'node_finished':
        setNode.run(runId, e.node, runId, 'done');
        this.db.prepare('UPDATE node_runs SET duration_ms = ? WHERE run_id = ? AND node = ?').run(e.durationMs, runId, e.node);
        return;
      case 'node_failed': {
        setNode.run(runId, e.node, runId, 'failed');
        const row = this.db.prepare('SELECT started_at FROM node_runs WHERE run_id = ? AND node = ?').get(runId, e.node) as Row;
        const duration = typeof row.started_at === 'string' ? Date.parse(e.at) - Date.parse(row.started_at) : null;
        this.db
          .prepare('UPDATE node_runs SET error_code = ?, error = ?, resume_command = ?, duration_ms = ? WHERE run_id = ? AND node = ?')
          .run(e.error.code, e.error.message, e.resumeCommand, duration, runId, e.node);
        return;
      }
      case 'progress':
        this.db
          .prepare('UPDATE node_runs SET progress_done = ?, progress_total = ?, progress_unit = ? WHERE run_id = ? AND node = ?')
          .run(e.done, e.total, e.unit, runId, e.node);
        return;
      case 'dataset_saved':
        this.db
          .prepare(
            `INSERT INTO dataset_saves (run_id, dataset, saved_at, size_bytes, rows) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT (run_id, dataset) DO UPDATE SET saved_at = excluded.saved_at, size_bytes = excluded.size_bytes, rows = excluded.rows`,
          )
          .run(runId, e.dataset, e.at, facts.sizeBytes ?? null, facts.rows ?? null);
        return;
      case 'run_finished': {
        const failed = e.status === 'failed' ? (this.db.prepare("SELECT error FROM node_runs WHERE run_id = ? AND status = 'failed' LIMIT 1").get(runId) as Row | undefined) : undefined;
        this.finish(runId, e.status, e.at, e.durationMs, e.status === 'failed' ? String(failed?.error ?? 'the run failed') : null);
        return;
      }
      case 'run_aborted':
        this.db.prepare("UPDATE node_runs SET status = 'failed', error_code = 'RUN_ABORTED', error = ? WHERE run_id = ? AND status = 'running'").run(e.reason, runId);
        this.finish(runId, e.status, e.at, Date.parse(e.at) - Date.parse(startedAt), e.reason);
        return;
    }
  }

  /** Nodes of the selected pipeline that the run left out (their outputs existed). */
  markSkipped(runId: string, nodes: string[]): void {
    const insert = this.db.prepare(
      "INSERT INTO node_runs (run_id, node, position, status) VALUES (?, ?, (SELECT COUNT(*) FROM node_runs WHERE run_id = ?), 'skipped') ON CONFLICT DO NOTHING",
    );
    this.db.transaction(() => nodes.forEach((n) => insert.run(runId, n, runId)))();
  }

  setDatasetRows(runId: string, dataset: string, rows: number): void {
    this.db.prepare('UPDATE dataset_saves SET rows = ? WHERE run_id = ? AND dataset = ?').run(rows, runId, dataset);
  }

  private finish(runId: string, status: RunStatus, at: string, durationMs: number, error: string | null): void {
    this.db.prepare('UPDATE runs SET status = ?, finished_at = ?, duration_ms = ?, error = ? WHERE id = ?').run(status, at, durationMs, error, runId);
  }

  /** Ends a run that did not finish by itself (cancelled, process died); a no-op if it has ended. */
  abortRun(runId: string, status: 'failed' | 'cancelled', reason: string): StoredEvent | undefined {
    if (this.getRun(runId).status !== 'running') return undefined;
    const event: RunLogEvent = { type: 'run_aborted', status, reason, at: new Date().toISOString() };
    const seq = this.recordEvent(runId, event);
    return { ...event, seq };
  }

  /**
   * Marks `running` runs whose process is gone (or whose pid now belongs to another process)
   * as failed. Called at every open, so a run killed mid-way shows as failed at the next start.
   */
  recoverDeadRuns(): RunRecord[] {
    const rows = this.db.prepare("SELECT id, pid, pid_start FROM runs WHERE status = 'running'").all() as Row[];
    const dead: RunRecord[] = [];
    for (const r of rows) {
      const pid = r.pid as number | null;
      if (pid !== null && isProcessAlive(pid, (r.pid_start as string | null) ?? null)) continue;
      this.abortRun(String(r.id), 'failed', pid === null ? 'process died (no pid recorded)' : `process died (pid ${pid} not running)`);
      dead.push(this.getRun(String(r.id)));
    }
    return dead;
  }

  /** Runs still marked running whose process is alive (a `dqm run` in a terminal, a dashboard run). */
  activeRuns(): RunRecord[] {
    const rows = this.db.prepare("SELECT * FROM runs WHERE status = 'running' ORDER BY started_at DESC").all() as Row[];
    return rows.filter((r) => r.pid === null || isProcessAlive(r.pid as number, (r.pid_start as string | null) ?? null)).map(toRun);
  }

  findRun(runId: string): RunRecord | undefined {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(runId) as Row | undefined;
    return row ? toRun(row) : undefined;
  }

  getRun(runId: string): RunRecord {
    const run = this.findRun(runId);
    if (!run) throw new RunNotFoundError(`No run '${runId}' in the run store (${this.file})`);
    return run;
  }

  /** Newest first. */
  listRuns(opts: { limit?: number; offset?: number } = {}): RunRecord[] {
    const rows = this.db.prepare('SELECT * FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ? OFFSET ?').all(opts.limit ?? 100, opts.offset ?? 0) as Row[];
    return rows.map(toRun);
  }

  getRunDetails(runId: string): RunDetails {
    const run = this.getRun(runId);
    const nodes = (this.db.prepare('SELECT * FROM node_runs WHERE run_id = ? ORDER BY position').all(runId) as Row[]).map(toNodeRun);
    const datasets = (this.db.prepare('SELECT * FROM dataset_saves WHERE run_id = ? ORDER BY saved_at, rowid').all(runId) as Row[]).map(toDatasetSave);
    return { run, nodes, datasets };
  }

  /** The run's event log from `afterSeq` on, in order (replay for late subscribers). */
  events(runId: string, afterSeq = 0): StoredEvent[] {
    const rows = this.db.prepare('SELECT seq, data FROM events WHERE run_id = ? AND seq > ? ORDER BY seq').all(runId, afterSeq) as Row[];
    return rows.map((r) => ({ ...(JSON.parse(String(r.data)) as RunLogEvent), seq: r.seq as number }));
  }

  /** `PRAGMA integrity_check`: 'ok' for a sound file. */
  integrityCheck(): string {
    return String(this.db.pragma('integrity_check', { simple: true }));
  }
}

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > MIGRATIONS.length) {
    throw new RunStoreError(`the file has schema version ${version}, newer than this dqm (${MIGRATIONS.length}); upgrade dqm or move the file away`, { code: 'RUN_STORE_TOO_NEW' });
  }
  for (let v = version; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}

function toRun(r: Row): RunRecord {
  return {
    id: String(r.id),
    pipeline: String(r.pipeline),
    env: String(r.env),
    params: JSON.parse(String(r.params)) as Record<string, unknown>,
    selection: JSON.parse(String(r.selection)) as RunRecord['selection'],
    gitCommit: (r.git_commit as string | null) ?? null,
    startedBy: r.started_by as RunRecord['startedBy'],
    user: (r.user as string | null) ?? null,
    startedAt: String(r.started_at),
    finishedAt: (r.finished_at as string | null) ?? null,
    durationMs: (r.duration_ms as number | null) ?? null,
    status: r.status as RunStatus,
    error: (r.error as string | null) ?? null,
    pid: (r.pid as number | null) ?? null,
  };
}

function toNodeRun(r: Row): NodeRunRecord {
  return {
    node: String(r.node),
    position: r.position as number,
    status: r.status as NodeRunStatus,
    startedAt: (r.started_at as string | null) ?? null,
    durationMs: (r.duration_ms as number | null) ?? null,
    error: r.error === null ? null : { code: String(r.error_code ?? 'ERROR'), message: String(r.error) },
    resumeCommand: (r.resume_command as string | null) ?? null,
    progress: r.progress_total === null ? null : { done: r.progress_done as number, total: r.progress_total as number, unit: String(r.progress_unit) },
  };
}

function toDatasetSave(r: Row): DatasetSaveRecord {
  return { dataset: String(r.dataset), savedAt: String(r.saved_at), sizeBytes: (r.size_bytes as number | null) ?? null, rows: (r.rows as number | null) ?? null };
}
