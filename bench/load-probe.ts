/**
 * Diagnostic for bench:load (`tsx bench/load-probe.ts`): each path once cold and once warm,
 * sequentially, with bytes and the server's RSS, to tell a slow route from a loaded server.
 */
import type { GraphJson } from '../lib/graph';
import { makeLoadProject, rssMb } from './load-project';
import { startViz } from '../e2e/viz-server.fixtures';

const project = makeLoadProject(Number(process.env.LOAD_LS ?? 300));
project.dqm(['run']);
const viz = await startViz([], { cwd: project.dir });
try {
  const graph = (await (await viz.fetch(`${viz.url}api/main`)).json()) as GraphJson;
  const ids = ['', ...graph.nodes.filter((x) => x.type === 'task').slice(0, 8).map((x) => x.id), ...graph.nodes.filter((x) => x.type === 'data').slice(0, 8).map((x) => x.id)];
  for (const id of ids) {
    const url = id ? `${viz.url}api/nodes/${encodeURIComponent(id)}` : `${viz.url}api/main`;
    const t0 = performance.now();
    const body = await (await viz.fetch(url)).arrayBuffer();
    const t1 = performance.now();
    await (await viz.fetch(url)).arrayBuffer();
    const t2 = performance.now();
    console.log(`${(id || '/api/main').padEnd(50)} ${(t1 - t0).toFixed(0).padStart(5)} ms cold ${(t2 - t1).toFixed(0).padStart(5)} ms warm ${String(body.byteLength).padStart(8)} B  RSS ${rssMb(viz.child.pid)?.toFixed(0)} MB`);
  }
} finally {
  await viz.stop();
  project.remove();
}
