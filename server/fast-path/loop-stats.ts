import fs from 'node:fs';
import type http from 'node:http';
import { createHistogram, monitorEventLoopDelay, type IntervalHistogram, type RecordableHistogram } from 'node:perf_hooks';
import { workerPoolStats, type PoolStats } from '../../lib/io';

let histogram: IntervalHistogram | undefined;
let since = Date.now();
/** Server-side answer times (µs): request parsed → last byte handed to the socket; event streams left out. */
const answers: RecordableHistogram = createHistogram();

/**
 * Times one answer in the server itself: bench:load's client latency also holds autocannon's
 * own loop and the kernel's scheduling of 4 processes on 2 cores; this is the server's share.
 */
export function timeAnswer(res: http.ServerResponse): void {
  const t0 = performance.now();
  res.once('finish', () => {
    // A stream (a run's events, reload notices) lasts as long as the page listens: not an answer time.
    if (String(res.getHeader('content-type') ?? '').startsWith('text/event-stream')) return;
    answers.record(Math.max(1, Math.round((performance.now() - t0) * 1000)));
  });
}

/** CPU time (µs) the main thread used between two 5 ms ticks: its own work, however long the scheduler kept it waiting. */
const ownWork: RecordableHistogram = createHistogram();

/** Starts sampling the event loop's delay (5 ms resolution), once per process. */
export function watchEventLoop(): void {
  if (histogram) return;
  histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  watchOwnWork();
}

/**
 * The event loop's delay is the loop's own work plus the time the OS keeps the thread waiting
 * for a core (on 2 cores shared with a run and a load generator, ~16 % of the time in
 * bench:load). To tell them apart, a 5 ms tick reads the main thread's CPU time from Linux's
 * schedstat (one pread of a proc file, ~5 µs): the CPU used between two ticks bounds the
 * longest task that ran in between. Elsewhere (no /proc) nothing is recorded.
 */
function watchOwnWork(): void {
  let fd: number;
  try {
    fd = fs.openSync(`/proc/self/task/${process.pid}/schedstat`, 'r');
  } catch {
    return;
  }
  const buf = Buffer.alloc(64);
  const ranNs = (): number | undefined => {
    try {
      const n = fs.readSync(fd, buf, 0, buf.length, 0);
      return Number(buf.toString('latin1', 0, n).split(' ', 1)[0]);
    } catch {
      return undefined;
    }
  };
  let last = ranNs();
  if (last === undefined) return;
  setInterval(() => {
    const now = ranNs();
    if (now === undefined) return;
    ownWork.record(Math.max(1, Math.round((now - last!) / 1000)));
    last = now;
  }, 5).unref();
}

/** What `GET /api/server-stats` answers (bench:load reads it): memory, the loop's delays since the last `?reset`, and the decode threads' counters (workers: a decode off the loop counts there). */
export function loopStats(reset = false): { rssMb: number; heapUsedMb: number; cpuMs: number; eventLoop: { maxMs: number; p99Ms: number; meanMs: number; sinceMs: number; ownWorkMaxMs: number | null; ownWorkP99Ms: number | null } | null; answers: { count: number; p50Ms: number; p99Ms: number; maxMs: number }; workers: Record<string, PoolStats> } {
  const mem = process.memoryUsage();
  const cpu = process.cpuUsage();
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  const us = (v: number) => Math.round(v / 10) / 100;
  const own = ownWork.count ? { ownWorkMaxMs: us(ownWork.max), ownWorkP99Ms: us(ownWork.percentile(99)) } : { ownWorkMaxMs: null, ownWorkP99Ms: null };
  const eventLoop = histogram ? { maxMs: ms(histogram.max), p99Ms: ms(histogram.percentile(99)), meanMs: ms(histogram.mean), sinceMs: Date.now() - since, ...own } : null;
  const answered = { count: answers.count, p50Ms: us(answers.percentile(50)), p99Ms: us(answers.percentile(99)), maxMs: us(answers.count ? answers.max : 0) };
  if (reset && histogram) {
    histogram.reset();
    since = Date.now();
  }
  if (reset) {
    answers.reset();
    ownWork.reset();
  }
  // cpuMs (user + system since the process started): with the bench's deltas, the server's own work per request.
  return { rssMb: Math.round(mem.rss / 1048576), heapUsedMb: Math.round(mem.heapUsed / 1048576), cpuMs: Math.round((cpu.user + cpu.system) / 1000), eventLoop, answers: answered, workers: workerPoolStats() };
}
