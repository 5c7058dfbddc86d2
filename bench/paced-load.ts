/**
 * Open-loop paced load for `bench:load` (LOAD_RATE > 0): `connections` pages, each on its own
 * keep-alive connection, each asking every 1/rate s from a random phase, as independent users
 * dragging an LS slider do. Latency is measured from the moment a request was DUE, not sent:
 * an answer that is late delays the page's next request, and that wait is counted too
 * (coordinated omission, as wrk2 measures it).
 *
 * Hand-written because autocannon's `connectionRate` does neither: each connection sends its
 * `rate` requests back to back at the top of every second (so 200 connections × 5 make a burst
 * of 1,000 requests each second, then silence), and its coordinated-omission correction uses
 * an expected interval of ceil(1/rate) = 1 ms, recording a 100 ms answer as 100 samples. Its
 * paced p99 was the burst's queue, not the server's answer (both measured on this machine).
 */
import * as http from 'node:http';

export interface PacedResult {
  requests: number;
  latency: { p50: number; p99: number; max: number };
  errors: number;
  timeouts: number;
  non2xx: number;
  overOneSecond: number;
}

export interface PacedOptions {
  /** Base URL, e.g. http://127.0.0.1:4141 (no trailing slash). */
  url: string;
  paths: string[];
  connections: number;
  /** Requests in all, spread evenly over the connections. */
  amount: number;
  /** Requests per second per connection. */
  rate: number;
  headers: Record<string, string>;
  timeoutMs?: number;
}

export function pacedLoad(opts: PacedOptions): { stop: () => void; done: Promise<PacedResult> } {
  const { url, paths, connections, rate } = opts;
  const target = new URL(url);
  const period = 1000 / rate;
  const latencies: number[] = [];
  let errors = 0;
  let timeouts = 0;
  let non2xx = 0;
  let stopped = false;
  const agents: http.Agent[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let pending = connections;
  let finish: () => void = () => {};
  const allDone = new Promise<void>((resolve) => (finish = resolve));
  const pageDone = () => {
    if (--pending === 0) finish();
  };

  const t0 = performance.now();
  for (let page = 0; page < connections; page++) {
    const count = Math.floor(opts.amount / connections) + (page < opts.amount % connections ? 1 : 0);
    // One connection per page: a late answer holds the page's next request, as a browser tab's does.
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    agents.push(agent);
    const phase = Math.random() * period;
    let sent = 0;
    let answered = 0;
    const fire = () => {
      if (stopped) return;
      const due = t0 + phase + sent * period;
      const path = paths[(page + sent) % paths.length]!;
      sent++;
      const req = http.get({ host: target.hostname, port: target.port, path, agent, headers: opts.headers, timeout: opts.timeoutMs ?? 30_000 }, (res) => {
        if (res.statusCode! < 200 || res.statusCode! >= 300) non2xx++;
        res.on('data', () => {});
        res.on('end', () => {
          latencies.push(performance.now() - due);
          settle();
        });
        res.on('error', fail);
      });
      req.on('timeout', () => {
        timeouts++;
        req.destroy(new Error('timeout'));
      });
      req.on('error', fail);
      if (sent < count) schedule(t0 + phase + sent * period);
    };
    const settle = () => {
      if (++answered === count) pageDone();
    };
    const fail = () => {
      errors++;
      settle();
    };
    const schedule = (at: number) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        fire();
      }, Math.max(0, at - performance.now()));
      timers.add(timer);
    };
    if (count === 0) pageDone();
    else schedule(t0 + phase);
  }

  const stop = () => {
    stopped = true;
    for (const t of timers) clearTimeout(t);
    timers.clear();
    for (const a of agents) a.destroy();
    finish();
  };
  const done = allDone.then(() => {
    for (const a of agents) a.destroy();
    const sorted = Float64Array.from(latencies).sort();
    const ms = (x: number) => Math.round(x * 10) / 10;
    const at = (q: number) => (sorted.length ? ms(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!) : 0);
    return {
      requests: sorted.length + errors,
      latency: { p50: at(0.5), p99: at(0.99), max: sorted.length ? ms(sorted[sorted.length - 1]!) : 0 },
      errors,
      timeouts,
      non2xx,
      overOneSecond: latencies.filter((ms) => ms > 1000).length,
    };
  });
  return { stop, done };
}
