import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { Hooks, RunEvent, RunEventListener } from '../runner';
import type { RunStore } from './run-store';
import type { StoredEvent } from '../services';

export interface RunRecorderOptions {
  /** Where a dataset persists (absolute, or relative to `root`), for its size on disk. */
  filepathOf?: (dataset: string) => string | undefined;
  root?: string;
  /** Every node of the selected pipeline: those the run leaves out (--only-missing-outputs) are `skipped`. */
  selectedNodes?: string[];
  /** Called with each event once it is stored (fan-out to the dashboard). */
  onStored?: (event: StoredEvent) => void;
}

/**
 * Turns a run's events into store rows as they happen: pass `recorder.onEvent` to
 * `project.run(opts, onEvent)` and `recorder.hooks` with the project's hooks (row counts of
 * saved datasets come from the data the hook sees). Never throws into the run: a store that
 * fails (disk full) must not fail the pipeline; the first error is kept in `storeError`.
 */
export class RunRecorder {
  storeError: unknown;
  private readonly pendingRows = new Map<string, string>();

  constructor(
    private readonly store: RunStore,
    readonly runId: string,
    private readonly opts: RunRecorderOptions = {},
  ) {}

  readonly onEvent: RunEventListener = (event: RunEvent) => {
    try {
      const facts = event.type === 'dataset_saved' ? { sizeBytes: this.sizeOf(event.dataset) } : {};
      const seq = this.store.recordEvent(this.runId, event, facts);
      if (event.type === 'dataset_saved') this.pendingRows.set(event.dataset, event.at);
      if (event.type === 'run_started' && this.opts.selectedNodes) {
        const ran = new Set(event.nodes);
        this.store.markSkipped(this.runId, this.opts.selectedNodes.filter((n) => !ran.has(n)));
      }
      this.opts.onStored?.({ ...event, seq });
    } catch (error) {
      this.storeError ??= error;
    }
  };

  /** `afterDatasetSaved` runs right after the `dataset_saved` event: add the row count to that row. */
  readonly hooks: Hooks = {
    afterDatasetSaved: ({ dataset, data }) => {
      if (!this.pendingRows.delete(dataset)) return;
      const rows = rowCount(data);
      if (rows === null) return;
      try {
        this.store.setDatasetRows(this.runId, dataset, rows);
      } catch (error) {
        this.storeError ??= error;
      }
    },
  };

  private sizeOf(dataset: string): number | null {
    const fp = this.opts.filepathOf?.(dataset);
    if (!fp) return null;
    return sizeOnDisk(path.resolve(this.opts.root ?? '.', fp));
  }
}

/** Rows of the data model's containers: Table rows, HistogramSet lumisections, array items. */
export function rowCount(data: unknown): number | null {
  if (Array.isArray(data)) return data.length;
  if (data === null || typeof data !== 'object') return null;
  const d = data as { kind?: unknown; rowCount?: unknown; run?: unknown };
  if (d.kind === 'table' && typeof d.rowCount === 'number') return d.rowCount;
  if (d.kind === 'histogram-set' && d.run instanceof Int32Array) return d.run.length;
  return null;
}

/** Bytes of a file, or of all files under a folder (partitioned and versioned datasets); null if absent. */
export function sizeOnDisk(p: string): number | null {
  try {
    const st = statSync(p);
    if (!st.isDirectory()) return st.size;
    let total = 0;
    for (const e of readdirSync(p)) total += sizeOnDisk(path.join(p, e)) ?? 0;
    return total;
  } catch {
    return null;
  }
}
