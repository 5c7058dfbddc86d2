import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { workerPoolStats, type PoolStats } from '../../lib/io';

let histogram: IntervalHistogram | undefined;
let since = Date.now();

/** Starts sampling the event loop's delay (5 ms resolution), once per process. */
export function watchEventLoop(): void {
  if (histogram) return;
  histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
}

/** What `GET /api/server-stats` answers (bench:load reads it): memory, the loop's delays since the last `?reset`, and the decode threads' counters (workers: a decode off the loop counts there). */
export function loopStats(reset = false): { rssMb: number; heapUsedMb: number; cpuMs: number; eventLoop: { maxMs: number; p99Ms: number; meanMs: number; sinceMs: number } | null; workers: Record<string, PoolStats> } {
  const mem = process.memoryUsage();
  const cpu = process.cpuUsage();
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  const eventLoop = histogram ? { maxMs: ms(histogram.max), p99Ms: ms(histogram.percentile(99)), meanMs: ms(histogram.mean), sinceMs: Date.now() - since } : null;
  if (reset && histogram) {
    histogram.reset();
    since = Date.now();
  }
  // cpuMs (user + system since the process started): with the bench's deltas, the server's own work per request.
  return { rssMb: Math.round(mem.rss / 1048576), heapUsedMb: Math.round(mem.heapUsed / 1048576), cpuMs: Math.round((cpu.user + cpu.system) / 1000), eventLoop, workers: workerPoolStats() };
}
