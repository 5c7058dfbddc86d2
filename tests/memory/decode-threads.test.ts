import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO, startViz, type VizProcess } from '../../e2e/viz-server.fixtures';
import { rssMb } from '../../bench/load-project';

// The real `dqm viz`, run from the TypeScript sources (DQM_FROM_SOURCE=1: the path a developer's
// edited checkout takes, where tsx loads the framework), on a temp copy of the default project
// with simulated data. The server's memory (issue 15 item 10: < 500 MB) depends on what starts
// when: the HDF5 read thread (its own V8 isolate and h5wasm heap) only for a set's preview.
let dir: string;
let viz: VizProcess;
type Stats = { workers: Record<string, { threads: number; tasks: number; failures: number }> };

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-decode-threads-'));
  for (const f of ['conf', 'pipelines']) fs.cpSync(path.join(REPO, f), path.join(dir, f), { recursive: true });
  fs.copyFileSync(path.join(REPO, 'package.json'), path.join(dir, 'package.json'));
  for (const f of ['lib', 'node_modules']) fs.symlinkSync(path.join(REPO, f), path.join(dir, f));
  for (const args of [['simulate', '--lumisections', '12'], ['run', '--pipeline', 'data_processing']]) {
    const r = spawnSync(process.execPath, [path.join(REPO, 'bin/dqm.js'), ...args], { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`dqm ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  }
  viz = await startViz([], { cwd: dir, env: { DQM_FROM_SOURCE: '1', DQM_DECODE_THREADS: '1' } });
});

afterAll(async () => {
  await viz?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const hdf5Threads = async () => ((await (await viz.fetch('api/server-stats')).json()) as Stats).workers['hdf5-read']?.threads ?? 0;

describe('decode threads start when a preview needs one, and stay bounded', () => {
  it('no HDF5 read thread for the graph, a task, or a raw pickle preview; one for a set preview, however many ask', async () => {
    for (const p of ['api/main', 'api/nodes/preprocess_raw_pixel_layer_1_node?pipeline=data_processing', 'api/nodes/raw_pixel_layer_1?pipeline=data_processing']) {
      const res = await viz.fetch(p);
      expect(res.status, `${p}: ${res.status === 200 ? '' : await res.text()}`).toBe(200);
    }
    expect(await hdf5Threads()).toBe(0);

    const before = rssMb(viz.child.pid)!;
    const answers = await Promise.all([0, 1, 2, 3, 4, 5].map((ls) => viz.fetch(`api/nodes/preprocessed_raw_pixel_layer_1/map?ls=${ls}&pipeline=data_processing`)));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(await hdf5Threads()).toBe(1); // DQM_DECODE_THREADS=1: six requests queue on one thread
    // The thread costs its isolate and h5wasm's heap (~60 MB). Through tsx's loader h5wasm's
    // glue cost ~600 MB more (lib/io/package-esm-hooks.mjs): a bound far from both.
    expect(rssMb(viz.child.pid)! - before).toBeLessThan(300);
  });
});
