/**
 * Schema migrations, applied in order; `PRAGMA user_version` holds how many have run. Append
 * new ones, never edit a released one (a file written by an older dqm migrates forward).
 */
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE runs (
     id TEXT PRIMARY KEY,
     pipeline TEXT NOT NULL,
     env TEXT NOT NULL,
     params TEXT NOT NULL DEFAULT '{}',
     selection TEXT NOT NULL DEFAULT '{}',
     git_commit TEXT,
     started_by TEXT NOT NULL CHECK (started_by IN ('cli', 'dashboard')),
     user TEXT,
     started_at TEXT NOT NULL,
     finished_at TEXT,
     duration_ms REAL,
     status TEXT NOT NULL CHECK (status IN ('running', 'success', 'failed', 'cancelled')),
     error TEXT,
     pid INTEGER,
     pid_start TEXT
   );
   CREATE INDEX runs_by_start ON runs (started_at DESC);
   CREATE INDEX runs_by_status ON runs (status);
   CREATE TABLE node_runs (
     run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
     node TEXT NOT NULL,
     position INTEGER NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed', 'skipped')),
     started_at TEXT,
     duration_ms REAL,
     error_code TEXT,
     error TEXT,
     resume_command TEXT,
     progress_done REAL,
     progress_total REAL,
     progress_unit TEXT,
     PRIMARY KEY (run_id, node)
   );
   CREATE TABLE dataset_saves (
     run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
     dataset TEXT NOT NULL,
     saved_at TEXT NOT NULL,
     size_bytes INTEGER,
     rows INTEGER,
     PRIMARY KEY (run_id, dataset)
   );
   CREATE TABLE events (
     run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
     seq INTEGER NOT NULL,
     type TEXT NOT NULL,
     at TEXT NOT NULL,
     data TEXT NOT NULL,
     PRIMARY KEY (run_id, seq)
   ) WITHOUT ROWID;`,
];
