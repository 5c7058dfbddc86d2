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

interface Phase {
  result: autocannon.Result;
  seconds: number;
  serverPeakMb: number;
  runPeakMb: number;
  stoppedForRss: boolean;
}

async function load(viz: VizProcess, paths: string[], runPid?: number | null): Promise<Phase> {
  let serverPeakMb = rssMb(viz.child.pid) ?? 0;
  let runPeakMb = 0;
  let stoppedForRss = false;
  let finish: (r: autocannon.Result) => void = () => {};
  let fail: (e: unknown) => void = () => {};
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = resolve;
    fail = reject;
  });
  // The callback form returns the instance (stop() below); the result arrives in the callback.
  const instance = autocannon(
    {
      url: viz.url.replace(/\/$/, ''),
      connections: CONNECTIONS,
      amount: REQUESTS,
      timeout: 30,
      headers: viz.headers,
      requests: paths.map((p) => ({ method: 'GET' as const, path: p })),
    },
    (error, result) => (error ? fail(error) : finish(result)),
  );
  const sampler = setInterval(() => {
    serverPeakMb = Math.max(serverPeakMb, rssMb(viz.child.pid) ?? 0);
    runPeakMb = Math.max(runPeakMb, rssMb(runPid) ?? 0);
    if (serverPeakMb > MAX_RSS_MB && !stoppedForRss) {
      stoppedForRss = true;
      instance.stop();
    }
  }, 100);
  const guard = setTimeout(() => instance.stop(), MAX_S * 1000);
  const t0 = performance.now();
  const result = await done;
  clearTimeout(guard);
  clearInterval(sampler);
  return { result, seconds: (performance.now() - t0) / 1000, serverPeakMb, runPeakMb, stoppedForRss };
}

function describe(name: string, p: Phase): string {
  const l = p.result.latency;
  return [
    `${name}: ${p.result.requests.total} requests in ${p.seconds.toFixed(1)} s = ${(p.result.requests.total / p.seconds).toFixed(0)} req/s`,
    `    latency p50 ${l.p50} ms, p90 ${l.p90} ms, p99 ${l.p99} ms, max ${l.max} ms; errors ${p.result.errors} (timeouts ${p.result.timeouts}), non-2xx ${p.result.non2xx}`,
    `    server RSS peak ${p.serverPeakMb.toFixed(0)} MB${p.runPeakMb ? `, run process RSS peak ${p.runPeakMb.toFixed(0)} MB` : ''}${p.stoppedForRss ? ` — STOPPED: server RSS passed ${MAX_RSS_MB} MB` : ''}`,
  ].join('\n');
}

async function main(): Promise<void> {
  const project = makeLoadProject(LS);
  const idleRunMs = project.dqm(['run']); // previews have data; the run's time with no server load
  const viz = await startViz([], { cwd: project.dir });
  try {
    const graph = (await (await viz.fetch(`${viz.url}api/main`)).json()) as GraphJson;
    const pick = (type: string, n: number) => graph.nodes.filter((x) => x.type === type).slice(0, n).map((x) => `/api/nodes/${encodeURIComponent(x.id)}`);
    const paths = ['/api/main', ...pick('task', 8), '/api/main', ...pick('data', 8)];
    for (const p of paths) await viz.fetch(`${viz.url}${p.slice(1)}`).then((r) => r.arrayBuffer()); // warm once
    const rssStart = rssMb(viz.child.pid);

    const idle = await load(viz, paths);

    const res = await viz.fetch(`${viz.url}api/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    if (res.status !== 202) throw new Error(`POST /api/runs answered ${res.status}: ${await res.text()}`);
    const { run } = (await res.json()) as { run: RunRecord };
    const runStart = performance.now();
    const during = await load(viz, paths, run.pid);
    const stillRunning = ((await (await viz.fetch(`${viz.url}api/runs/${run.id}`)).json()) as RunDetails).run.status === 'running';
    await (await viz.fetch(`${viz.url}api/runs/${run.id}/events`)).text(); // until the run ends
    const runS = (performance.now() - runStart) / 1000;
    const details = (await (await viz.fetch(`${viz.url}api/runs/${run.id}`)).json()) as RunDetails;

    console.log(
      [
        `bench:load — ${CONNECTIONS} connections on loopback, ${paths.length} paths in turn (/api/main, /api/nodes/<task>, /api/nodes/<dataset> with previews); default pipeline (${graph.nodes.filter((n) => n.type === 'task').length} tasks), ${LS} LS; server RSS ${rssStart?.toFixed(0)} MB at start`,
        describe('  idle server', idle),
        describe(`  during run ${run.id}`, during),
        `  server RSS budget ${BUDGET_MB} MB: ${Math.max(idle.serverPeakMb, during.serverPeakMb) < BUDGET_MB ? 'OK' : 'EXCEEDED'} (peak ${Math.max(idle.serverPeakMb, during.serverPeakMb).toFixed(0)} MB)`,
        `  run: ${details.run.status}, ${runS.toFixed(1)} s from POST to end (${stillRunning ? 'still running when the load ended' : 'ended before the load did'}); the same run from the CLI with no load: ${(idleRunMs / 1000).toFixed(1)} s incl. ~1 s start-up`,
      ].join('\n'),
    );
  } finally {
    await viz.stop();
    project.remove();
  }
}

await main();
