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
  // 2: tracebacks, resume nodes, runner, re-runs; node metrics; dataset fingerprints (staleness);
  // the project's run lock; an index for a run's log lines.
  `ALTER TABLE runs ADD COLUMN runner TEXT;
   ALTER TABLE runs ADD COLUMN rerun_of TEXT;
   ALTER TABLE node_runs ADD COLUMN traceback TEXT;
   ALTER TABLE node_runs ADD COLUMN resume_from TEXT;
   CREATE INDEX node_runs_by_node ON node_runs (node);
   CREATE INDEX events_by_type ON events (run_id, type);
   CREATE TABLE metrics (
     run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
     node TEXT NOT NULL,
     name TEXT NOT NULL,
     value REAL NOT NULL,
     at TEXT NOT NULL,
     PRIMARY KEY (run_id, node, name)
   );
   CREATE TABLE fingerprints (
     dataset TEXT PRIMARY KEY,
     run_id TEXT NOT NULL,
     node TEXT NOT NULL,
     saved_at TEXT NOT NULL,
     data TEXT NOT NULL
   );
   CREATE TABLE run_lock (
     id INTEGER PRIMARY KEY CHECK (id = 1),
     run_id TEXT NOT NULL,
     pid INTEGER NOT NULL,
     pid_start TEXT,
     acquired_at TEXT NOT NULL
   );`,
];
