/**
 * `npm run bench:load`: how the dashboard answers while a default-pipeline run executes.
 * A temp copy of the default project (simulated data), the real `dqm viz` server, and 200
 * concurrent connections on loopback asking `/api/main` and `/api/nodes/<id>` (tasks and
 * datasets, previews included), bounded in count and time: first with an idle server
 * (baseline), then while a run started with POST /api/runs executes in its child process.
 * Prints p50/p99 latency, requests/s, errors and the RSS of the server and of the run.
 * Env: LOAD_LS (lumisections simulated, default 300), LOAD_REQUESTS (per phase, default 2000),
 * LOAD_CONNECTIONS (default 200), LOAD_MAX_S (per phase, default 45), LOAD_MAX_RSS_MB (the
 * load stops if the server grows beyond it, default 1024: the machine is shared). The server
 * must stay under 500 MB RSS; the verdict is printed. The server runs with an access token
 * (as `dqm viz` by default): every request sends `Authorization: Token …`.
 */
import os from 'node:os';
import autocannon from 'autocannon';
import type { RunDetails, RunRecord } from '../lib/services';
import type { GraphJson } from '../lib/graph';
import { makeLoadProject, rssMb } from './load-project';
import { startViz, type VizProcess } from '../e2e/viz-server.fixtures';

const LS = Number(process.env.LOAD_LS ?? 300);
const REQUESTS = Number(process.env.LOAD_REQUESTS ?? 2000);
const CONNECTIONS = Number(process.env.LOAD_CONNECTIONS ?? 200);
const MAX_S = Number(process.env.LOAD_MAX_S ?? 45);
const MAX_RSS_MB = Number(process.env.LOAD_MAX_RSS_MB ?? 1024);
/** The issue's budget for the server process (issue 9). */
const BUDGET_MB = 500;

/** One autocannon instance's figures, and how many of its answers took over 1 s. */
interface Stream {
  result: autocannon.Result;
  overOneSecond: number;
}

interface Phase {
  main: Stream;
  previews: Stream;
  seconds: number;
  serverPeakMb: number;
  runPeakMb: number;
  stoppedForRss: boolean;
  /** The server's own event-loop delay over the phase (GET /api/server-stats, monitorEventLoopDelay). */
  loop: ServerStats['eventLoop'];
  /** CPU time the server spent during the phase, and the machine's load average at its end (the 2 cores are shared). */
  serverCpuMs: number;
  loadAverage: number;
}

interface ServerStats {
  rssMb: number;
  cpuMs: number;
  eventLoop: { maxMs: number; p99Ms: number; meanMs: number; sinceMs: number } | null;
}

/** 200 connections split as the page uses them: a fifth asking /api/main, the rest node details and previews. */
const MAIN_CONNECTIONS = Math.max(1, Math.round(CONNECTIONS / 5));

function stream(viz: VizProcess, paths: string[], connections: number, amount: number): { instance: autocannon.Instance; done: Promise<Stream> } {
  let overOneSecond = 0;
  let finish: (r: autocannon.Result) => void = () => {};
  let fail: (e: unknown) => void = () => {};
  const result = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  // The callback form returns the instance (stop() below); the result arrives in the callback.
  // Accept-Encoding gzip, as every browser sends it.
  const instance = autocannon(
    { url: viz.url.replace(/\/$/, ''), connections, amount, timeout: 30, headers: { ...viz.headers, 'accept-encoding': 'gzip' }, requests: paths.map((p) => ({ method: 'GET' as const, path: p })) },
    (error, r) => (error ? fail(error) : finish(r)),
  );
  instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
    if (ms > 1000) overOneSecond++;
  });
  return { instance, done: result.then((r) => ({ result: r, overOneSecond })) };
}

async function serverStats(viz: VizProcess, reset: boolean): Promise<ServerStats> {
  return (await (await viz.fetch(`${viz.url}api/server-stats${reset ? '?reset=1' : ''}`)).json()) as ServerStats;
}

async function load(viz: VizProcess, mainPaths: string[], previewPaths: string[], runPid?: number | null): Promise<Phase> {
  let serverPeakMb = rssMb(viz.child.pid) ?? 0;
  let runPeakMb = 0;
  let stoppedForRss = false;
  const before = await serverStats(viz, true);
  const share = Math.round((REQUESTS * MAIN_CONNECTIONS) / CONNECTIONS);
  const streams = [stream(viz, mainPaths, MAIN_CONNECTIONS, share), stream(viz, previewPaths, CONNECTIONS - MAIN_CONNECTIONS, REQUESTS - share)];
  const stopAll = () => streams.forEach((s) => s.instance.stop());
  const sampler = setInterval(() => {
    serverPeakMb = Math.max(serverPeakMb, rssMb(viz.child.pid) ?? 0);
    runPeakMb = Math.max(runPeakMb, rssMb(runPid) ?? 0);
    if (serverPeakMb > MAX_RSS_MB && !stoppedForRss) {
      stoppedForRss = true;
      stopAll();
    }
  }, 100);
  const guard = setTimeout(stopAll, MAX_S * 1000);
  const t0 = performance.now();
  const [main, previews] = await Promise.all(streams.map((s) => s.done));
  const seconds = (performance.now() - t0) / 1000;
  clearTimeout(guard);
  clearInterval(sampler);
  const after = await serverStats(viz, false);
  return { main: main!, previews: previews!, seconds, serverPeakMb, runPeakMb, stoppedForRss, loop: after.eventLoop, serverCpuMs: after.cpuMs - before.cpuMs, loadAverage: os.loadavg()[0]! };
}

function describe(name: string, p: Phase): string {
  const total = p.main.result.requests.total + p.previews.result.requests.total;
  const line = (label: string, s: Stream) => {
    const l = s.result.latency;
    return `    ${label}: ${s.result.requests.total} requests, latency p50 ${l.p50} ms, p99 ${l.p99} ms, max ${l.max} ms; over 1 s: ${s.overOneSecond}; errors ${s.result.errors} (timeouts ${s.result.timeouts}), non-2xx ${s.result.non2xx}`;
  };
  return [
    `${name}: ${total} requests in ${p.seconds.toFixed(1)} s = ${(total / p.seconds).toFixed(0)} req/s`,
    line(`/api/main (${MAIN_CONNECTIONS} conn.)`, p.main),
    line(`node details + previews (${CONNECTIONS - MAIN_CONNECTIONS} conn.)`, p.previews),
    `    server event loop: max delay ${p.loop?.maxMs ?? '?'} ms, p99 ${p.loop?.p99Ms ?? '?'} ms, mean ${p.loop?.meanMs ?? '?'} ms; server CPU ${p.serverCpuMs} ms = ${(p.serverCpuMs / Math.max(1, total)).toFixed(2)} ms/request, ${((100 * p.serverCpuMs) / (p.seconds * 1000)).toFixed(0)}% of a core; load average ${p.loadAverage.toFixed(1)} on ${os.cpus().length} cores`,
    `    server RSS peak ${p.serverPeakMb.toFixed(0)} MB${p.runPeakMb ? `, run process RSS peak ${p.runPeakMb.toFixed(0)} MB` : ''}${p.stoppedForRss ? ` — STOPPED: server RSS passed ${MAX_RSS_MB} MB` : ''}`,
  ].join('\n');
}

/** The issue's goals, checked on the during-run phase. */
function verdict(p: Phase, peakMb: number): string {
  const checks: Array<[string, boolean]> = [
    [`/api/main p99 ${p.main.result.latency.p99} ms < 50`, p.main.result.latency.p99 < 50],
    [`previews p99 ${p.previews.result.latency.p99} ms < 150`, p.previews.result.latency.p99 < 150],
    [`requests over 1 s: ${p.main.overOneSecond + p.previews.overOneSecond} = 0`, p.main.overOneSecond + p.previews.overOneSecond === 0],
    [`server RSS peak ${peakMb.toFixed(0)} MB < ${BUDGET_MB}`, peakMb < BUDGET_MB],
    [`event loop max delay ${p.loop?.maxMs ?? '?'} ms <= 20`, (p.loop?.maxMs ?? Infinity) <= 20],
  ];
  return `  goals during the run: ${checks.map(([t, ok]) => `${t} ${ok ? 'OK' : 'MISSED'}`).join('; ')}`;
}

async function main(): Promise<void> {
  const project = makeLoadProject(LS);
  const idleRunMs = project.dqm(['run']); // previews have data; the run's time with no server load
  const viz = await startViz([], { cwd: project.dir });
  try {
    const graph = (await (await viz.fetch(`${viz.url}api/main`)).json()) as GraphJson;
    const pick = (type: string, n: number) => graph.nodes.filter((x) => x.type === type).slice(0, n).map((x) => `/api/nodes/${encodeURIComponent(x.id)}`);
    const previewPaths = [...pick('task', 8), ...pick('data', 8)];
    const mainPaths = ['/api/main'];
    const paths = [...mainPaths, ...previewPaths];
    for (const p of paths) await viz.fetch(`${viz.url}${p.slice(1)}`).then((r) => r.arrayBuffer()); // warm once
    const rssStart = rssMb(viz.child.pid);

    const idle = await load(viz, mainPaths, previewPaths);

    const res = await viz.fetch(`${viz.url}api/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    if (res.status !== 202) throw new Error(`POST /api/runs answered ${res.status}: ${await res.text()}`);
    const { run } = (await res.json()) as { run: RunRecord };
    const runStart = performance.now();
    const during = await load(viz, mainPaths, previewPaths, run.pid);
    const stillRunning = ((await (await viz.fetch(`${viz.url}api/runs/${run.id}`)).json()) as RunDetails).run.status === 'running';
    await (await viz.fetch(`${viz.url}api/runs/${run.id}/events`)).text(); // until the run ends
    const runS = (performance.now() - runStart) / 1000;
    const details = (await (await viz.fetch(`${viz.url}api/runs/${run.id}`)).json()) as RunDetails;

    console.log(
      [
        `bench:load — ${CONNECTIONS} connections on loopback, /api/main on ${MAIN_CONNECTIONS} and ${previewPaths.length} node paths in turn on ${CONNECTIONS - MAIN_CONNECTIONS} (/api/nodes/<task>, /api/nodes/<dataset> with previews); default pipeline (${graph.nodes.filter((n) => n.type === 'task').length} tasks), ${LS} LS; server RSS ${rssStart?.toFixed(0)} MB at start`,
        describe('  idle server', idle),
        describe(`  during run ${run.id}`, during),
        `  server RSS budget ${BUDGET_MB} MB: ${Math.max(idle.serverPeakMb, during.serverPeakMb) < BUDGET_MB ? 'OK' : 'EXCEEDED'} (peak ${Math.max(idle.serverPeakMb, during.serverPeakMb).toFixed(0)} MB)`,
        verdict(during, Math.max(idle.serverPeakMb, during.serverPeakMb)),
        `  run: ${details.run.status}, ${runS.toFixed(1)} s from POST to end (${stillRunning ? 'still running when the load ended' : 'ended before the load did'}); the same run from the CLI with no load: ${(idleRunMs / 1000).toFixed(1)} s incl. ~1 s start-up`,
      ].join('\n'),
    );
  } finally {
    await viz.stop();
    project.remove();
  }
}

await main();
