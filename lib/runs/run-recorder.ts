import { readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { lumisectionsOf } from '../data';
import type { Pipeline } from '../pipeline';
import type { Hooks, RunEvent, RunEventListener } from '../runner';
import { codeHash, dependenciesOf, hashValue, lsRangesOf, parameterValue, statPath, type DatasetFingerprint, type LsRanges, type PathStat } from './fingerprint';
import { LogWriter, type LogLimits } from './log-writer';
import { redactText } from '../redact';
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
  /** The pipeline the run executes and the parameters: with them, saved datasets get fingerprints (staleness). */
  pipeline?: Pipeline;
  parameters?: Record<string, unknown>;
  /** Values hidden wherever text is stored (node output, errors, tracebacks). */
  secrets?: readonly string[];
  logLimits?: LogLimits;
}

/** A progress line in the node's log at most this often (the progress events themselves stay). */
const PROGRESS_LOG_MS = 1000;

/**
 * Turns a run's events into store rows as they happen: pass `recorder.onEvent` to
 * `project.run(opts, onEvent)` and `recorder.hooks` with the project's hooks (row counts of
 * saved datasets come from the data the hook sees). Never throws into the run: a store that
 * fails (disk full) must not fail the pipeline; the first error is kept in `storeError`.
 * Call `close()` after the run: log lines wait up to 100 ms to be written in batches.
 */
export class RunRecorder {
  storeError: unknown;
  private readonly pendingRows = new Map<string, string>();
  private readonly logs: LogWriter;
  private readonly secrets: readonly string[];
  private readonly lastProgressLog = new Map<string, number>();
  /** Persisted inputs as they were when each node started. */
  private readonly inputStats = new Map<string, Record<string, PathStat>>();
  private readonly lsRanges = new Map<string, LsRanges>();

  constructor(
    private readonly store: RunStore,
    readonly runId: string,
    private readonly opts: RunRecorderOptions = {},
  ) {
    this.secrets = opts.secrets ?? [];
    this.logs = new LogWriter(store, runId, this.secrets, opts.logLimits, (error) => (this.storeError ??= error));
  }

  readonly onEvent: RunEventListener = (event: RunEvent) => {
    if (event.type === 'log') return this.logs.add(event);
    try {
      // Lines before this event go first: the log keeps its order.
      this.logs.flush();
      const stored = this.redacted(event);
      const facts = stored.type === 'dataset_saved' ? { sizeBytes: this.sizeOf(stored.dataset) } : {};
      const seq = this.store.recordEvent(this.runId, stored, facts);
      if (stored.type === 'dataset_saved') this.pendingRows.set(stored.dataset, stored.at);
      if (stored.type === 'run_started' && this.opts.selectedNodes) {
        const ran = new Set(stored.nodes);
        this.store.markSkipped(this.runId, this.opts.selectedNodes.filter((n) => !ran.has(n)));
      }
      if (stored.type === 'node_started') this.inputStats.set(stored.node, this.statInputs(stored.node));
      if (stored.type === 'node_finished') this.saveFingerprints(stored.node, stored.at);
      if (stored.type === 'progress') this.progressLine(stored);
      this.opts.onStored?.({ ...stored, seq });
    } catch (error) {
      this.storeError ??= error;
    }
  };

  /** `afterDatasetSaved` runs right after the `dataset_saved` event: add the row count to that row. */
  readonly hooks: Hooks = {
    afterDatasetSaved: ({ dataset, data }) => {
      if (!this.pendingRows.delete(dataset)) return;
      const ls = lsRangesOf(data);
      if (ls) this.lsRanges.set(dataset, ls);
      const rows = rowCount(data);
      if (rows === null) return;
      try {
        this.store.setDatasetRows(this.runId, dataset, rows);
      } catch (error) {
        this.storeError ??= error;
      }
    },
  };

  /** Writes the log lines still waiting; lines that come later are written at once. */
  close(): void {
    this.logs.close();
  }

  /** A failure as stored: secrets redacted; the stack's paths relative to the project (`pipelines/x/nodes.ts:12:5`). */
  private redacted(event: RunEvent): RunEvent {
    if (event.type !== 'node_failed') return event;
    const r = (t: string) => redactText(t, this.secrets);
    const root = this.opts.root ? `${path.resolve(this.opts.root)}${path.sep}` : undefined;
    const traceback = event.traceback && r(root ? event.traceback.split(`(${root}`).join('(').split(`at ${root}`).join('at ') : event.traceback);
    return { ...event, error: { ...event.error, message: r(event.error.message) }, resumeCommand: r(event.resumeCommand), ...(traceback ? { traceback } : {}) };
  }

  private progressLine(e: Extract<RunEvent, { type: 'progress' }>): void {
    const now = Date.now();
    const last = this.lastProgressLog.get(e.node) ?? 0;
    if (e.done < e.total && now - last < PROGRESS_LOG_MS) return;
    this.lastProgressLog.set(e.node, now);
    this.logs.add({ type: 'log', node: e.node, stream: 'progress', text: `${e.done}/${e.total} ${e.unit}`, at: e.at });
  }

  private isPersistedData = (dataset: string): boolean => this.opts.filepathOf?.(dataset) !== undefined;

  private abs(dataset: string): string | undefined {
    const fp = this.opts.filepathOf?.(dataset);
    return fp === undefined ? undefined : path.resolve(this.opts.root ?? '.', fp);
  }

  private statInputs(node: string): Record<string, PathStat> {
    if (!this.opts.pipeline) return {};
    const out: Record<string, PathStat> = {};
    for (const d of dependenciesOf(this.opts.pipeline, node, this.isPersistedData).datasets) out[d] = statPath(this.abs(d)!);
    return out;
  }

  /** What each persisted output of the node was made from (see DatasetFingerprint). */
  private saveFingerprints(nodeName: string, at: string): void {
    const pipeline = this.opts.pipeline;
    const node = pipeline?.getNode(nodeName);
    if (!pipeline || !node) return;
    const deps = dependenciesOf(pipeline, nodeName, this.isPersistedData);
    const params = Object.fromEntries(deps.params.map((p) => [p, hashValue(parameterValue(this.opts.parameters ?? {}, p))]));
    const code = Object.fromEntries(deps.nodes.map((n) => [n.name, codeHash(n.func)]));
    const inputs = this.inputStats.get(nodeName) ?? this.statInputs(nodeName);
    this.inputStats.delete(nodeName);
    for (const output of node.outputs) {
      const abs = this.abs(output);
      if (!abs) continue;
      const ls = this.lsRanges.get(output);
      this.lsRanges.delete(output);
      const fp: DatasetFingerprint = { dataset: output, runId: this.runId, node: nodeName, savedAt: at, code, params, inputs, output: statPath(abs), ...(ls ? { ls } : {}) };
      this.store.saveFingerprint(fp);
    }
  }

  private sizeOf(dataset: string): number | null {
    const abs = this.abs(dataset);
    return abs === undefined ? null : sizeOnDisk(abs);
  }
}

/** Rows of the data model's containers: Table rows, HistogramSet lumisections, array items. */
export function rowCount(data: unknown): number | null {
  if (Array.isArray(data)) return data.length;
  if (data === null || typeof data !== 'object') return null;
  const d = data as { kind?: unknown; rowCount?: unknown; run?: unknown };
  if (d.kind === 'table' && typeof d.rowCount === 'number') return d.rowCount;
  return lumisectionsOf(data)?.run.length ?? null;
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
