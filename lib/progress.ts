import { AsyncLocalStorage } from 'node:async_hooks';

export type ProgressSink = (done: number, total: number, unit: string) => void;

interface ProgressScope {
  sink: ProgressSink;
  lastAt: number;
}

const scope = new AsyncLocalStorage<ProgressScope>();
/** At most one progress event per node every 100 ms (nodes may report per lumisection). */
const MIN_INTERVAL_MS = 100;

/**
 * Called by node functions to report how far they are (`reportProgress(i, n, 'LS')`).
 * A no-op outside a run, so nodes stay plain functions that tests can call directly.
 */
export function reportProgress(done: number, total: number, unit = 'items'): void {
  const s = scope.getStore();
  if (!s) return;
  const now = Date.now();
  if (done < total && now - s.lastAt < MIN_INTERVAL_MS) return;
  s.lastAt = now;
  s.sink(done, total, unit);
}

/** Runs `fn` with `sink` receiving the progress the code inside it reports. */
export function withProgress<T>(sink: ProgressSink, fn: () => T): T {
  return scope.run({ sink, lastAt: 0 }, fn);
}

/** Receives the metrics a node reports (`reportMetric('auc', 0.97)`). */
export type MetricSink = (name: string, value: number) => void;

const metricScope = new AsyncLocalStorage<MetricSink>();

/**
 * Called by node functions to record a number of the run (a strategy's AUC, the count of
 * flagged LS), as MLflow's log_metric: the run store keeps it and the dashboard compares runs
 * by it. Non-finite values are ignored; a no-op outside a run.
 */
export function reportMetric(name: string, value: number): void {
  const sink = metricScope.getStore();
  if (sink && typeof value === 'number' && Number.isFinite(value)) sink(name, value);
}

/** Runs `fn` with `sink` receiving the metrics the code inside it reports. */
export function withMetrics<T>(sink: MetricSink, fn: () => T): T {
  return metricScope.run(sink, fn);
}
