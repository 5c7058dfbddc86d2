import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { largeKedroVizGraph } from '../lib/viz';
import { REPO, startViz, type VizProcess } from './viz-server.fixtures';
import { sharedPath } from '../tests/shared-data.fixtures';

export const SHARED = sharedPath('data/kedro-viz');

/**
 * A temporary copy of the default project (conf + pipelines; lib and node_modules linked) with
 * simulated data and one run, so every preview has data; then the real servers:
 * `dqm viz` on the project, and `dqm viz --load-file` on both Kedro-Viz exports.
 */
export default async function globalSetup(): Promise<() => Promise<void>> {
  fs.mkdirSync(path.join(REPO, 'e2e', 'screenshots'), { recursive: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-e2e-'));
  for (const f of ['conf', 'pipelines']) fs.cpSync(path.join(REPO, f), path.join(dir, f), { recursive: true });
  fs.copyFileSync(path.join(REPO, 'package.json'), path.join(dir, 'package.json'));
  for (const f of ['lib', 'node_modules']) fs.symlinkSync(path.join(REPO, f), path.join(dir, f));
  const dqm = (args: string[]) => {
    const r = spawnSync(process.execPath, [path.join(REPO, 'bin/dqm.js'), ...args], { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`dqm ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  };
  dqm(['simulate', '--lumisections', '40']);
  dqm(['run']);
  // Strategy predictions for the plots page: conf/base/tasks/simulated.yml expects 500 LS, so a
  // task fitted to these 40 (develop on 1-20, apply to 21-40).
  fs.writeFileSync(path.join(dir, 'conf/base/tasks/e2e.yml'), 'name: e2e\ndevelop:\n  mask: {"357000": [[1, 20]]}\napply:\n  mask: {"357000": [[21, 40]]}\n');
  dqm(['run', '--pipeline', 'strategies', '--params', 'strategies.task=e2e']);
  dqm(['run', '--pipeline', 'strategies_evaluation']);
  // the 1D ME's reference (the simulated cluster charge): the mean of the same task's develop LS
  dqm(['run', '--pipeline', 'cluster_charge', '--params', 'strategies.task=e2e']);

  const servers: VizProcess[] = [];
  const stopAll = async () => {
    await Promise.all(servers.map((s) => s.stop()));
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    const project = await startViz(['--autoreload'], { cwd: dir });
    servers.push(project);
    const demo = await startViz(['--load-file', path.join(SHARED, 'demo.mock.json')]);
    servers.push(demo);
    const spaceflights = await startViz(['--load-file', path.join(SHARED, 'spaceflights.mock.json')]);
    servers.push(spaceflights);
    // Kedro-Viz's own big test export ("largeDataset": 2,061 nodes, a 1,000-node fan-out), generated.
    const largeFile = path.join(dir, 'large-dataset.json');
    fs.writeFileSync(largeFile, JSON.stringify(largeKedroVizGraph()));
    const large = await startViz(['--load-file', largeFile]);
    servers.push(large);
    process.env.VIZ_LARGE_URL = large.url;
    process.env.VIZ_PROJECT_URL = project.url;
    process.env.VIZ_PROJECT_DIR = dir;
    process.env.VIZ_DEMO_URL = demo.url;
    process.env.VIZ_SPACEFLIGHTS_URL = spaceflights.url;
    console.log(`dqm viz cold start (spawn -> first 200 of /api/main): project ${Math.round(project.coldStartMs)} ms, demo file ${Math.round(demo.coldStartMs)} ms, spaceflights file ${Math.round(spaceflights.coldStartMs)} ms`);
  } catch (error) {
    await stopAll();
    throw error;
  }
  return stopAll;
}
