/**
 * `npm run bench:load`: how the dashboard answers while a default-pipeline run executes.
 * A temp copy of the default project (simulated data), the real `dqm viz` server, and 200
 * concurrent connections on loopback asking `/api/main`, `/api/nodes/<id>` (tasks and
 * datasets, previews included) and LS slices of the biggest HistogramSet (its heatmap preview
 * at `?ls=k` and its raw map at `/map?ls=k`, k spread over the run: 600 LS make a 144 MB set),
 * bounded in count and time: first with an idle server (baseline), then during runs started
 * with POST /api/runs (one after the other, so a run executes in its child process for the
 * whole phase). LOAD_CPU_PROF=DIR profiles the server into DIR. Prints p50/p99 latency, requests/s, errors, the server's event-loop delay and
 * the RSS of the server and of the run (the server's split into anonymous and file-backed memory,
 * its thread count, and whether it ran compiled or from the sources), how long the server's main thread waited for a core
 * (the scheduler's share of its latency), each goal next to its target, and the load average.
 * Env: LOAD_LS (lumisections simulated, default 600), LOAD_REQUESTS (per phase, default 20000),
 * LOAD_CONNECTIONS (default 200), LOAD_MAX_S (per phase, default 45), LOAD_MAX_RSS_MB (the
 * load stops if the server grows beyond it, default 1024: the machine is shared), LOAD_RATE
 * (requests/s per connection, default 0: as fast as answers come; > 0: the open-loop paced client
 * of ./paced-load.ts, not autocannon's bursts). The server
 * must stay under 500 MB RSS; the verdict is printed. The server runs with an access token
 * (as `dqm viz` by default): every request sends `Authorization: Token …`.
 */
import os from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import autocannon from 'autocannon';
import { pacedLoad, type PacedResult } from './paced-load';
import type { RunDetails, RunRecord } from '../lib/services';
import type { GraphJson } from '../lib/graph';
import { makeLoadProject, memoryBreakdown, rssMb, schedMs } from './load-project';
import { distIsFresh } from '../bin/dist-freshness.js';
import { REPO, startViz, type VizProcess } from '../e2e/viz-server.fixtures';

const LS = Number(process.env.LOAD_LS ?? 600);
const REQUESTS = Number(process.env.LOAD_REQUESTS ?? 20000);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 200);
const MAX_S = Number(process.env.LOAD_MAX_S ?? 45);
const MAX_RSS_MB = Number(process.env.LOAD_MAX_RSS_MB ?? 1024);
/**
 * Requests per second per connection (the open-loop paced client, ./paced-load.ts); 0 (default): each
 * connection asks again as soon as it has its answer, so the phase runs at the machine's
 * limit and latency ≈ connections / throughput (Little's law: printed with the figures).
 * LOAD_RATE=5 is 200 pages each asking 5 times a second (an LS slider being dragged).
 */
const RATE = Number(process.env.LOAD_RATE ?? 0);
/** The issue's budget for the server process (issue 9). */
const BUDGET_MB = 500;

/** One stream's figures (autocannon's closed loop, or the paced client), and how many answers took over 1 s. */
interface Stream {
  result: Pick<PacedResult, 'latency' | 'errors' | 'timeouts' | 'non2xx'> & { requests: { total: number } };
  overOneSecond: number;
}

interface Phase {
  main: Stream;
  details: Stream;
  slices: Stream;
  /** Runs started during the phase (back to back), and whether one was executing when the load ended. */
  runs: string[];
  seconds: number;
  serverPeakMb: number;
  runPeakMb: number;
  stoppedForRss: boolean;
  /** The server's own event-loop delay over the phase (GET /api/server-stats, monitorEventLoopDelay). */
  loop: ServerStats['eventLoop'];
  /** The server's own answer times over the phase: the rest of the client's latency is autocannon's loop and the scheduler. */
  answers: ServerStats['answers'];
  /** CPU time the server spent during the phase, and the machine's load average at its end (the 2 cores are shared). */
  serverCpuMs: number;
  /** CPU time of this process (autocannon, the client side of the 200 connections) over the phase. */
  clientCpuMs: number;
  /** This process's own event-loop delay over the phase (autocannon's side): a client stall shows in its latencies too. */
  clientLoop: { maxMs: number; p99Ms: number };
  /** The server's main thread over the phase: CPU time, and time runnable but waiting for a core (scheduler delay). */
  mainThread: { ranMs: number; waitedMs: number } | null;
  /** The server's JS heap at the end of the phase (GC pauses grow with it). */
  heapUsedMb: number;
  /** Where the server's resident memory is at the end of the phase (memoryBreakdown). */
  memoryAtEnd: string | null;
  /** Decodes run on the server's worker threads during the phase, per pool (tasks answered, failed). */
  decodes: Record<string, { tasks: number; failures: number }>;
  loadAverage: number;
}

interface ServerStats {
  rssMb: number;
  heapUsedMb: number;
  cpuMs: number;
  eventLoop: { maxMs: number; p99Ms: number; meanMs: number; sinceMs: number; ownWorkMaxMs: number | null; ownWorkP99Ms: number | null } | null;
  /** Answer times measured in the server (request parsed → last byte to the socket), since the last reset. */
  answers?: { count: number; p50Ms: number; p99Ms: number; maxMs: number };
  /** The decode threads' counters (absent on a server without them). */
  workers?: Record<string, { threads: number; tasks: number; failures: number }>;
}

/** 200 connections split as the page uses them: a fifth asking /api/main, the rest half node details, half LS slices. */
const MAIN_CONNECTIONS = Math.max(1, Math.round(CONNECTIONS / 5));
const DETAIL_CONNECTIONS = Math.max(1, Math.round((CONNECTIONS - MAIN_CONNECTIONS) / 2));
const SLICE_CONNECTIONS = Math.max(1, CONNECTIONS - MAIN_CONNECTIONS - DETAIL_CONNECTIONS);

function stream(viz: VizProcess, paths: string[], connections: number, amount: number): { stop: () => void; done: Promise<Stream> } {
  // Accept-Encoding gzip, as every browser sends it.
  const headers = { ...viz.headers, 'accept-encoding': 'gzip' };
  const url = viz.url.replace(/\/$/, '');
  if (RATE > 0) {
    const paced = pacedLoad({ url, paths, connections, amount, rate: RATE, headers });
    return { stop: paced.stop, done: paced.done.then((r) => ({ result: { ...r, requests: { total: r.requests } }, overOneSecond: r.overOneSecond })) };
  }
  let overOneSecond = 0;
  let finish: (r: autocannon.Result) => void = () => {};
  let fail: (e: unknown) => void = () => {};
  const result = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  // The callback form returns the instance (stop() below); the result arrives in the callback.
  const instance = autocannon({ url, connections, amount, timeout: 30, headers, requests: paths.map((p) => ({ method: 'GET' as const, path: p })) }, (error, r) => (error ? fail(error) : finish(r)));
  instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
    if (ms > 1000) overOneSecond++;
  });
  return { stop: () => instance.stop(), done: result.then((r) => ({ result: r, overOneSecond })) };
}

async function serverStats(viz: VizProcess, reset: boolean): Promise<ServerStats> {
  return (await (await viz.fetch(`${viz.url}api/server-stats${reset ? '?reset=1' : ''}`)).json()) as ServerStats;
}

/** Starts a run of the default pipeline from the page's API; its record (id, pid). */
async function startRun(viz: VizProcess): Promise<RunRecord> {
  const res = await viz.fetch(`${viz.url}api/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  if (res.status !== 202) throw new Error(`POST /api/runs answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { run: RunRecord }).run;
}

async function runStatus(viz: VizProcess, id: string): Promise<RunRecord['status']> {
  return ((await (await viz.fetch(`${viz.url}api/runs/${id}`)).json()) as RunDetails).run.status;
}

/**
 * Keeps a run executing until `stop()`: a new one starts as soon as the last ended (the load
 * slows a run, fixes speed it up: the phase must be "during a run" from start to end).
 */
function keepRunning(viz: VizProcess, first: RunRecord): { current: () => RunRecord; ids: string[]; failures: string[]; stop: () => Promise<boolean> } {
  let current = first;
  let stopped = false;
  const ids = [first.id];
  const failures: string[] = [];
  const loop = (async () => {
    for (;;) {
      await (await viz.fetch(`${viz.url}api/runs/${current.id}/events`)).text(); // until it ends
      const status = await runStatus(viz, current.id);
      if (status !== 'success') failures.push(`${current.id} ${status}`);
      if (stopped) return;
      current = await startRun(viz);
      ids.push(current.id);
    }
  })();
  return {
    current: () => current,
    ids,
    failures,
    stop: async () => {
      stopped = true;
      const running = (await runStatus(viz, current.id)) === 'running';
      await loop;
      return running;
    },
  };
}

async function load(viz: VizProcess, paths: { main: string[]; details: string[]; slices: string[] }, runs?: ReturnType<typeof keepRunning>): Promise<Phase & { stillRunning: boolean }> {
  let serverPeakMb = rssMb(viz.child.pid) ?? 0;
  let runPeakMb = 0;
  let stoppedForRss = false;
  const before = await serverStats(viz, true);
  const schedBefore = schedMs(viz.child.pid);
  const clientBefore = process.cpuUsage();
  const clientLoop = monitorEventLoopDelay({ resolution: 5 });
  clientLoop.enable();
  const share = (n: number) => Math.round((REQUESTS * n) / CONNECTIONS);
  const streams = [
    stream(viz, paths.main, MAIN_CONNECTIONS, share(MAIN_CONNECTIONS)),
    stream(viz, paths.details, DETAIL_CONNECTIONS, share(DETAIL_CONNECTIONS)),
    stream(viz, paths.slices, SLICE_CONNECTIONS, REQUESTS - share(MAIN_CONNECTIONS) - share(DETAIL_CONNECTIONS)),
  ];
  const stopAll = () => streams.forEach((s) => s.stop());
  const sampler = setInterval(() => {
    serverPeakMb = Math.max(serverPeakMb, rssMb(viz.child.pid) ?? 0);
    runPeakMb = Math.max(runPeakMb, rssMb(runs?.current().pid) ?? 0);
    if (serverPeakMb > MAX_RSS_MB && !stoppedForRss) {
      stoppedForRss = true;
      stopAll();
    }
  }, 100);
  const guard = setTimeout(stopAll, MAX_S * 1000);
  const t0 = performance.now();
  const [main, details, slices] = await Promise.all(streams.map((s) => s.done));
  const seconds = (performance.now() - t0) / 1000;
  clearTimeout(guard);
  clearInterval(sampler);
  // Read before the last run is awaited: the figures are those of the loaded phase.
  const after = await serverStats(viz, false);
  const schedAfter = schedMs(viz.child.pid);
  const mainThread = schedBefore && schedAfter ? { ranMs: schedAfter.ranMs - schedBefore.ranMs, waitedMs: schedAfter.waitedMs - schedBefore.waitedMs } : null;
  const memoryAtEnd = memoryBreakdown(viz.child.pid);
  const client = process.cpuUsage(clientBefore);
  clientLoop.disable();
  const loadAverage = os.loadavg()[0]!;
  const stillRunning = runs ? await runs.stop() : false;
  const decodes = Object.fromEntries(Object.entries(after.workers ?? {}).map(([name, w]) => [name, { tasks: w.tasks - (before.workers?.[name]?.tasks ?? 0), failures: w.failures - (before.workers?.[name]?.failures ?? 0) }]));
  return { decodes, main: main!, details: details!, slices: slices!, runs: runs?.ids ?? [], stillRunning, seconds, serverPeakMb, runPeakMb, stoppedForRss, loop: after.eventLoop, answers: after.answers, serverCpuMs: after.cpuMs - before.cpuMs, clientCpuMs: Math.round((client.user + client.system) / 1000), clientLoop: { maxMs: Math.round(clientLoop.max / 1e4) / 100, p99Ms: Math.round(clientLoop.percentile(99) / 1e4) / 100 }, heapUsedMb: after.heapUsedMb, memoryAtEnd, loadAverage, mainThread };
}

function describe(name: string, p: Phase): string {
  const total = p.main.result.requests.total + p.details.result.requests.total + p.slices.result.requests.total;
  const line = (label: string, s: Stream) => {
    const l = s.result.latency;
    return `    ${label}: ${s.result.requests.total} requests, latency p50 ${l.p50} ms, p99 ${l.p99} ms, max ${l.max} ms; over 1 s: ${s.overOneSecond}; errors ${s.result.errors} (timeouts ${s.result.timeouts}), non-2xx ${s.result.non2xx}`;
  };
  return [
    `${name}: ${total} requests in ${p.seconds.toFixed(1)} s = ${(total / p.seconds).toFixed(0)} req/s${RATE > 0 ? ` (paced: ${RATE} req/s per connection)` : `; closed loop: ${CONNECTIONS} connections at this rate wait ${((1000 * CONNECTIONS * p.seconds) / total).toFixed(0)} ms per answer on average (Little's law)`}`,
    line(`/api/main (${MAIN_CONNECTIONS} conn.)`, p.main),
    line(`node details + previews (${DETAIL_CONNECTIONS} conn.)`, p.details),
    line(`HistogramSet LS slices (${SLICE_CONNECTIONS} conn.)`, p.slices),
    `    server event loop: max delay ${p.loop?.maxMs ?? '?'} ms, p99 ${p.loop?.p99Ms ?? '?'} ms, mean ${p.loop?.meanMs ?? '?'} ms (of it the loop's own work: CPU between two 5 ms ticks max ${p.loop?.ownWorkMaxMs ?? '?'} ms, p99 ${p.loop?.ownWorkP99Ms ?? '?'} ms); server CPU ${p.serverCpuMs} ms = ${(p.serverCpuMs / Math.max(1, total)).toFixed(2)} ms/request, ${((100 * p.serverCpuMs) / (p.seconds * 1000)).toFixed(0)}% of a core; client (load generator) CPU ${((100 * p.clientCpuMs) / (p.seconds * 1000)).toFixed(0)}% of a core, its event loop max delay ${p.clientLoop.maxMs} ms (p99 ${p.clientLoop.p99Ms} ms); load average ${p.loadAverage.toFixed(1)} on ${os.cpus().length} cores`,
    `    server main thread: ran ${p.mainThread ? p.mainThread.ranMs.toFixed(0) : '?'} ms, waited for a core ${p.mainThread ? `${p.mainThread.waitedMs.toFixed(0)} ms (${((100 * p.mainThread.waitedMs) / (p.seconds * 1000)).toFixed(1)}% of the phase)` : '?'}`,
    `    answer time in the server (all routes, request parsed → last byte to the socket): ${p.answers ? `p50 ${p.answers.p50Ms} ms, p99 ${p.answers.p99Ms} ms, max ${p.answers.maxMs} ms over ${p.answers.count} answers` : '?'}`,
    `    decodes on worker threads: ${Object.entries(p.decodes).map(([name, d]) => `${name} ${d.tasks} (failed ${d.failures})`).join(', ') || 'none (the server has no decode pool)'}`,
    `    server RSS peak ${p.serverPeakMb.toFixed(0)} MB (at the end: ${p.memoryAtEnd ?? '?'}; main thread's JS heap ${p.heapUsedMb} MB)${p.runPeakMb ? `, run process RSS peak ${p.runPeakMb.toFixed(0)} MB` : ''}${p.stoppedForRss ? ` — STOPPED: server RSS passed ${MAX_RSS_MB} MB` : ''}`,
  ].join('\n');
}

/**
 * Which figure the issue's latency goals are read on. Closed loop, each connection asks again the
 * moment it has its answer: latency ≈ connections / throughput (Little's law), and throughput is
 * the 2 cores shared by autocannon, the server and the run, so p99 measures the machine's
 * saturation more than the server. Paced, 200 pages each asking 5 times a second is what users
 * do (an LS slider dragged): a late answer there is the server's (or the run's) stall.
 */
const GOAL_CLOSED = "closed loop: a saturation figure (p99 ≈ connections / throughput on 2 shared cores); the issue's latency goals are read on the paced run, LOAD_RATE=5";
const GOAL_PACED = `paced (${RATE} req/s per connection): the figure the issue's latency goals are read on (what 200 open pages ask; a late answer is a stall, not a queue)`;

/** The issue's goals (issue 15 item 10), checked on the during-run phase: each figure next to its target. */
function verdict(p: Phase, peakMb: number, setMb: number): string {
  const over = p.main.overOneSecond + p.details.overOneSecond + p.slices.overOneSecond;
  const checks: Array<[string, string, boolean]> = [
    ['/api/main p99', `${p.main.result.latency.p99} ms  (target < 50 ms)`, p.main.result.latency.p99 < 50],
    [`HistogramSet LS slices p99 (${setMb.toFixed(0)} MB set)`, `${p.slices.result.latency.p99} ms  (target < 150 ms)`, p.slices.result.latency.p99 < 150],
    ['node details + previews p99', `${p.details.result.latency.p99} ms  (target < 150 ms)`, p.details.result.latency.p99 < 150],
    ['requests over 1 s', `${over}  (target 0)`, over === 0],
    ['server RSS peak', `${peakMb.toFixed(0)} MB  (target < ${BUDGET_MB} MB)`, peakMb < BUDGET_MB],
    ['event loop max delay (own work + waiting for a core)', `${p.loop?.maxMs ?? '?'} ms  (target <= 20 ms; p99 ${p.loop?.p99Ms ?? '?'} ms)`, (p.loop?.maxMs ?? Infinity) <= 20],
    ['event loop blocked by the server (own CPU, 5 ms ticks)', `${p.loop?.ownWorkMaxMs ?? '?'} ms  (target <= 20 ms; p99 ${p.loop?.ownWorkP99Ms ?? '?'} ms)`, (p.loop?.ownWorkMaxMs ?? Infinity) <= 20],
    ['errors + non-2xx', `${[p.main, p.details, p.slices].reduce((n, s) => n + s.result.errors + s.result.non2xx, 0)}  (target 0)`, [p.main, p.details, p.slices].every((s) => s.result.errors + s.result.non2xx === 0)],
  ];
  const width = Math.max(...checks.map(([name]) => name.length));
  return [
    `  goals during the run (${CONNECTIONS} connections${RATE > 0 ? ` at ${RATE} req/s each` : ', closed loop'}; load average ${p.loadAverage.toFixed(1)} ${os.loadavg().slice(1).map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores):`,
    ...checks.map(([name, figure, ok]) => `    ${ok ? 'OK    ' : 'MISSED'} ${name.padEnd(width)}  ${figure}`),
    `    ${RATE > 0 ? GOAL_PACED : GOAL_CLOSED}`,
  ].join('\n');
}

/**
 * How bin/dqm.js runs the server: the compiled CLI, or (dist/ older than the sources, or
 * DQM_FROM_SOURCE=1) the TypeScript sources through tsx, which costs start-up time and memory.
 */
const FRAMEWORK = process.env.DQM_FROM_SOURCE !== '1' && distIsFresh(REPO) ? 'compiled (dist/)' : `TypeScript sources through tsx (${process.env.DQM_FROM_SOURCE === '1' ? 'DQM_FROM_SOURCE=1' : 'dist/ is older than the sources: `npm run build:cli` to measure the compiled CLI'})`;

async function main(): Promise<void> {
  const project = makeLoadProject(LS);
  const idleRunMs = project.dqm(['run']); // previews have data; the run's time with no server load
  // LOAD_CPU_PROF=DIR: the server writes a V8 CPU profile there when it stops (node --cpu-prof).
  const prof = process.env.LOAD_CPU_PROF;
  const viz = await startViz([], { cwd: project.dir, ...(prof ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${prof}`] } : {}) });
  try {
    const graph = (await (await viz.fetch(`${viz.url}api/main`)).json()) as GraphJson;
    const pick = (type: string, n: number) => graph.nodes.filter((x) => x.type === type).slice(0, n).map((x) => `/api/nodes/${encodeURIComponent(x.id)}`);
    const details = [...pick('task', 8), ...pick('data', 8)];
    // The LS slider on the biggest 2D set: heatmap previews and raw maps, LS spread over the run.
    const set = 'preprocessed_raw_pixel_layer_1';
    const setMb = (LS * 200 * 300 * 4) / 1e6;
    const lsList = Array.from({ length: 16 }, (_, i) => Math.floor((i * (LS - 1)) / 15));
    const slices = lsList.flatMap((ls) => [`/api/nodes/${set}?ls=${ls}`, `/api/nodes/${set}/map?ls=${ls}`]);
    const paths = { main: ['/api/main'], details, slices };
    for (const p of [...paths.main, ...details, ...slices]) await viz.fetch(`${viz.url}${p.slice(1)}`).then((r) => r.arrayBuffer()); // warm once
    const rssStart = rssMb(viz.child.pid);
    const memoryStart = memoryBreakdown(viz.child.pid);

    const idle = await load(viz, paths);

    const runStart = performance.now();
    const runs = keepRunning(viz, await startRun(viz));
    const during = await load(viz, paths, runs);
    const runS = (performance.now() - runStart) / 1000;

    console.log(
      [
        `bench:load — ${CONNECTIONS} connections on loopback: /api/main on ${MAIN_CONNECTIONS}, ${details.length} node paths in turn on ${DETAIL_CONNECTIONS} (/api/nodes/<task>, /api/nodes/<dataset> with previews), ${slices.length} LS slices of ${set} (${setMb.toFixed(0)} MB, ${LS} LS: ?ls=k and /map?ls=k) on ${SLICE_CONNECTIONS}; default pipeline (${graph.nodes.filter((n) => n.type === 'task').length} tasks); server RSS ${rssStart?.toFixed(0)} MB at start, previews warmed (${memoryStart ?? '?'})`,
        `  framework: ${FRAMEWORK}`,
        describe('  idle server', idle),
        describe(`  during runs (${during.runs.length}, back to back)`, during),
        verdict(during, Math.max(idle.serverPeakMb, during.serverPeakMb), setMb),
        `  runs: ${during.runs.length} started during the phase (${during.stillRunning ? 'one still running when the load ended' : 'the last ended before the load did'}), ${runs.failures.length ? `NOT successful: ${runs.failures.join(', ')}` : 'all successful'}; ${runS.toFixed(1)} s from the first POST to the end of the last; the same run from the CLI with no load: ${(idleRunMs / 1000).toFixed(1)} s incl. ~1 s start-up`,
      ].join('\n'),
    );
  } finally {
    await viz.stop();
    project.remove();
  }
}

await main();
