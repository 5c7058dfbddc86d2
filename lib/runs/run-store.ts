// better-sqlite3, not sql.js: its API is synchronous (an event is on disk before the runner
// moves on, with no promise interleaving between writers), it writes a real file in WAL mode
// (a kill -9 mid-write loses at most the open transaction, never the database), and several
// processes (the `dqm viz` server, a run's child process, a `dqm run` in a terminal) can share
// it. sql.js keeps the database in memory and persists by exporting the whole file.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { messageOf } from '../errors';
import { RunConflictError, RunNotFoundError, RunStoreError } from './errors';
import type { DatasetFingerprint } from './fingerprint';
import { currentUser, gitCommit, isProcessAlive, processStartToken } from './process-info';
import { redactSecrets } from '../redact';
import { RunLock, type LockHolder } from './run-lock';
import { MIGRATIONS } from './schema';
import { lastNodeRuns, nodeDurations, type LastNodeRun } from './node-history';
import { toDatasetSave, toLogLine, toNodeRun, toRun, type Row } from './store-rows';
import type { DatasetFacts, LogLine, MetricRecord, NewRun, NodeDurationPoint, RunDetails, RunLogEvent, RunRecord, RunStatus, StoredEvent } from '../services';

export const STORE_FILE = path.join('.dqm', 'runs.sqlite');

export interface RunStoreOptions {
  /** Mark runs whose process is gone as failed (default true). */
  recover?: boolean;
}

/**
 * Every run of a project (CLI or dashboard): the run, its nodes, the datasets it saved and its
 * event log for replay. One file, `.dqm/runs.sqlite` under the project root.
 */
export class RunStore {
  private readonly lock: RunLock;

  private constructor(
    readonly file: string,
    private readonly db: Database.Database,
  ) {
    this.lock = new RunLock(db);
  }

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
        `INSERT INTO runs (id, pipeline, env, params, selection, git_commit, started_by, user, started_at, status, pid, pid_start, runner, rerun_of)
         VALUES (@id, @pipeline, @env, @params, @selection, @git, @startedBy, @user, @startedAt, 'running', @pid, @pidStart, @runner, @rerunOf)`,
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
        runner: input.runner ?? null,
        rerunOf: input.rerunOf ?? null,
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
          .prepare('UPDATE node_runs SET error_code = ?, error = ?, resume_command = ?, duration_ms = ?, traceback = ?, resume_from = ? WHERE run_id = ? AND node = ?')
          .run(e.error.code, e.error.message, e.resumeCommand, duration, e.traceback ?? null, e.resumeFrom ? JSON.stringify(e.resumeFrom) : null, runId, e.node);
        return;
      }
      case 'metric':
        this.db
          .prepare('INSERT INTO metrics (run_id, node, name, value, at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (run_id, node, name) DO UPDATE SET value = excluded.value, at = excluded.at')
          .run(runId, e.node, e.name, e.value, e.at);
        return;
      case 'log':
        return;
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
        this.lock.release(runId);
        return;
      }
      case 'run_aborted':
        this.db.prepare("UPDATE node_runs SET status = 'failed', error_code = 'RUN_ABORTED', error = ? WHERE run_id = ? AND status = 'running'").run(e.reason, runId);
        this.finish(runId, e.status, e.at, Date.parse(e.at) - Date.parse(startedAt), e.reason);
        this.lock.release(runId);
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
  recoverDeadRuns(skip: (runId: string) => boolean = () => false): RunRecord[] {
    const rows = this.db.prepare("SELECT id, pid, pid_start FROM runs WHERE status = 'running'").all() as Row[];
    const dead: RunRecord[] = [];
    for (const r of rows) {
      if (skip(String(r.id))) continue;
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
    const nodes = (this.db.prepare('SELECT * FROM node_runs WHERE run_id = ? ORDER BY position').all(runId) as Row[]).map((r) => toNodeRun(r, run.status));
    const datasets = (this.db.prepare('SELECT * FROM dataset_saves WHERE run_id = ? ORDER BY saved_at, rowid').all(runId) as Row[]).map(toDatasetSave);
    const metrics = this.db.prepare('SELECT node, name, value FROM metrics WHERE run_id = ? ORDER BY node, name').all(runId) as MetricRecord[];
    return { run, nodes, datasets, metrics };
  }

  /** The run's output lines in order, all nodes or one node's. */
  logs(runId: string, node?: string): LogLine[] {
    this.getRun(runId);
    const rows = (
      node === undefined
        ? this.db.prepare("SELECT seq, data FROM events WHERE run_id = ? AND type = 'log' ORDER BY seq").all(runId)
        : this.db.prepare("SELECT seq, data FROM events WHERE run_id = ? AND type = 'log' AND json_extract(data, '$.node') = ? ORDER BY seq").all(runId, node)
    ) as Row[];
    // An empty `dqm` line marks where output would be cut, before anything was: not a line.
    return rows.map(toLogLine).filter((l) => l.stream !== 'dqm' || l.text !== '');
  }

  /**
   * Appends log lines (and removes or rewrites earlier ones: the per-node size bound) in one
   * transaction; returns the new lines' sequence numbers. Log lines touch no other row.
   */
  writeLogs(runId: string, batch: { add: RunLogEvent[]; remove?: number[]; replace?: Array<[number, RunLogEvent]> }): number[] {
    return this.db.transaction(() => {
      const del = this.db.prepare('DELETE FROM events WHERE run_id = ? AND seq = ?');
      for (const seq of batch.remove ?? []) del.run(runId, seq);
      const upd = this.db.prepare('UPDATE events SET data = ? WHERE run_id = ? AND seq = ?');
      for (const [seq, e] of batch.replace ?? []) upd.run(JSON.stringify(e), runId, seq);
      if (!batch.add.length) return [];
      let seq = ((this.db.prepare('SELECT MAX(seq) AS m FROM events WHERE run_id = ?').get(runId) as Row).m as number | null) ?? 0;
      const ins = this.db.prepare('INSERT INTO events (run_id, seq, type, at, data) VALUES (?, ?, ?, ?, ?)');
      return batch.add.map((e) => {
        ins.run(runId, ++seq, e.type, e.at, JSON.stringify(e));
        return seq;
      });
    })();
  }

  /** The node's duration in the last `limit` runs that ran it, newest first. */
  nodeDurations(node: string, limit = 30): NodeDurationPoint[] {
    return nodeDurations(this.db, node, limit);
  }

  /** The last run in which each of `nodes` ended (done or failed). */
  lastNodeRuns(nodes: string[]): Map<string, LastNodeRun> {
    return lastNodeRuns(this.db, nodes);
  }

  /** Records what a dataset was made from (replaces the previous fingerprint). */
  saveFingerprint(fp: DatasetFingerprint): void {
    this.db
      .prepare('INSERT INTO fingerprints (dataset, run_id, node, saved_at, data) VALUES (?, ?, ?, ?, ?) ON CONFLICT (dataset) DO UPDATE SET run_id = excluded.run_id, node = excluded.node, saved_at = excluded.saved_at, data = excluded.data')
      .run(fp.dataset, fp.runId, fp.node, fp.savedAt, JSON.stringify(fp));
  }

  fingerprints(): Map<string, DatasetFingerprint> {
    const rows = this.db.prepare('SELECT data FROM fingerprints').all() as Row[];
    return new Map(rows.map((r) => {
      const fp = JSON.parse(String(r.data)) as DatasetFingerprint;
      return [fp.dataset, fp];
    }));
  }

  /**
   * Takes the project's run lock for `runId` (executed by `pid`), or throws RunConflictError
   * naming the run in progress, started from the CLI or the dashboard.
   */
  acquireLock(runId: string, pid: number = process.pid): void {
    this.db
      .transaction(() => {
        // A running run of an older dqm (no lock row) still counts while its process lives.
        const legacy = this.lock.holder() ? undefined : this.activeRuns().find((r) => r.id !== runId);
        if (legacy) throw conflictError(legacy.id, this.describeRun(legacy.id));
        this.lock.acquire(runId, pid, (id) => conflictError(id, this.describeRun(id)));
      })
      .immediate();
  }

  transferLock(runId: string, pid: number): void {
    this.lock.transfer(runId, pid);
  }

  releaseLock(runId: string): void {
    this.lock.release(runId);
  }

  lockHolder(): LockHolder | undefined {
    return this.lock.holder();
  }

  /** ` (started by dashboard alice at <time>, pid 123)` for conflict messages. */
  describeRun(runId: string): string {
    const run = this.findRun(runId);
    if (!run) return '';
    return ` (started by ${run.startedBy}${run.user ? ` ${run.user}` : ''} at ${run.startedAt}${run.pid ? `, pid ${run.pid}` : ''})`;
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

function conflictError(runId: string, description: string): RunConflictError {
  return new RunConflictError(`A run is already in progress in this project: ${runId}${description}. Wait for it to finish or cancel it first`, runId);
}
