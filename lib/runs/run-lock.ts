import type Database from 'better-sqlite3';
import { isProcessAlive, processStartToken } from './process-info';

type Row = Record<string, unknown>;

/** Who holds a project's run lock. */
export interface LockHolder {
  runId: string;
  pid: number;
  acquiredAt: string;
}

/**
 * One run at a time per project, whoever starts it (`dqm run`, the dashboard): a single row
 * in the run store naming the run and the process executing it. A holder whose process is gone
 * (or whose pid now belongs to a process that started later) no longer holds it, so a run
 * killed with -9 never leaves the project locked.
 */
export class RunLock {
  constructor(private readonly db: Database.Database) {}

  /** The live holder, if any (a dead one is removed). */
  holder(): LockHolder | undefined {
    const row = this.db.prepare('SELECT run_id, pid, pid_start, acquired_at FROM run_lock WHERE id = 1').get() as Row | undefined;
    if (!row) return undefined;
    if (!isProcessAlive(row.pid as number, (row.pid_start as string | null) ?? null)) {
      this.db.prepare('DELETE FROM run_lock WHERE id = 1 AND run_id = ?').run(row.run_id);
      return undefined;
    }
    return { runId: String(row.run_id), pid: row.pid as number, acquiredAt: String(row.acquired_at) };
  }

  /**
   * Takes the lock for `runId`, executed by `pid`, or throws `conflict(holder's run)`. In one
   * IMMEDIATE transaction: two processes asking at once cannot both get it.
   */
  acquire(runId: string, pid: number, conflict: (runningId: string) => Error): void {
    this.db
      .transaction(() => {
        const holder = this.holder();
        if (holder && holder.runId !== runId) throw conflict(holder.runId);
        this.db
          .prepare('INSERT INTO run_lock (id, run_id, pid, pid_start, acquired_at) VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET run_id = excluded.run_id, pid = excluded.pid, pid_start = excluded.pid_start, acquired_at = excluded.acquired_at')
          .run(runId, pid, processStartToken(pid), new Date().toISOString());
      })
      .immediate();
  }

  /** Hands the lock of `runId` to the process that executes it (the dashboard's run process). */
  transfer(runId: string, pid: number): void {
    this.db.prepare('UPDATE run_lock SET pid = ?, pid_start = ? WHERE id = 1 AND run_id = ?').run(pid, processStartToken(pid), runId);
  }

  release(runId: string): void {
    this.db.prepare('DELETE FROM run_lock WHERE id = 1 AND run_id = ?').run(runId);
  }
}
