import { spawn } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunError, type RunEvent } from '../runner';
import { Project } from '../session';
import { REPO, SLOW_REGISTRY, tempProjects } from '../session/temp-project.fixtures';
import { recordCliRun, recordRun } from './record-run';
import { RunStore } from './run-store';

const project = tempProjects();

describe('recordCliRun', () => {
  it('records a CLI run in the project store, passing events and result through', async () => {
    const root = project();
    const p = await Project.load({ root });
    const seen: RunEvent[] = [];
    const result = await recordCliRun(p, { pipeline: 'main', tags: ['prep'], runId: 'cli-1' }, (e) => seen.push(e), { params: { factor: 2, token: 'x' } });
    expect(result.status).toBe('success');
    expect(p.hooks).toEqual([]); // the recorder's hook is removed after the run
    const store = RunStore.open(root);
    const d = store.getRunDetails('cli-1');
    expect(d.run).toMatchObject({ pipeline: 'main', env: 'local', status: 'success', startedBy: 'cli', params: { factor: 2, token: '***' }, selection: { tags: ['prep'] } });
    expect(d.nodes.map((n) => [n.node, n.status])).toEqual([
      ['scale', 'done'],
    ]);
    expect(store.events('cli-1').map((e) => e.type).filter((t) => t !== 'log')).toEqual(seen.map((e) => e.type));
    // The node's progress, as lines of its log (at most one a second, and the last).
    expect(store.logs('cli-1', 'scale').map((l) => [l.stream, l.text])).toEqual([
      ['progress', '1/4 numbers'],
      ['progress', '4/4 numbers'],
    ]);
    store.close();
  });

  it('records sizes and rows of saved datasets, and skipped nodes', async () => {
    const root = project();
    const p = await Project.load({ root });
    await recordRun(p, { runId: 'a' });
    const again = await recordRun(p, { runId: 'b', onlyMissingOutputs: true });
    expect(again.status).toBe('success');
    const store = RunStore.open(root);
    const a = store.getRunDetails('a');
    expect(a.datasets.find((d) => d.dataset === 'report')).toMatchObject({ sizeBytes: statSync(path.join(root, 'data/08_reporting/report.json')).size, rows: null });
    expect(a.datasets.find((d) => d.dataset === 'scaled')).toMatchObject({ sizeBytes: null, rows: 4 });
    expect(store.getRunDetails('b').nodes.map((n) => n.status)).toEqual(['skipped', 'skipped', 'skipped', 'skipped']);
    store.close();
  });

  it('records a failed node and a run that could not start', async () => {
    const root = project();
    const p = await Project.load({ root });
    const error = await recordRun(p, { pipeline: 'failing', runId: 'f' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunError);
    const missing = await recordRun(p, { nodeNames: ['total_of'], runId: 'm' }).catch((e: Error) => e);
    const store = RunStore.open(root);
    expect(store.getRunDetails('f').nodes.find((n) => n.node === 'explode')).toMatchObject({
      status: 'failed',
      error: { message: 'boom: the detector is on fire' },
      resumeCommand: 'dqm run --from-nodes explode --pipeline failing',
    });
    expect(store.getRun('m')).toMatchObject({ status: 'failed', error: (missing as Error).message });
    expect(store.events('m').map((e) => e.type)).toEqual(['run_aborted']);
    store.close();
  });

  it('records a `dqm run` interrupted by Ctrl+C as cancelled', async () => {
    const root = project({ 'pipelines/registry.ts': SLOW_REGISTRY });
    const child = spawn(process.execPath, [path.join(REPO, 'bin/dqm.js'), 'run', '--pipeline', 'slow'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('wait_long started') && resolve());
      child.once('exit', (code) => reject(new Error(`dqm run exited early with ${code}`)));
    });
    child.kill('SIGINT');
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(130);
    const store = RunStore.open(root);
    const [run] = store.listRuns();
    expect(run).toMatchObject({ pipeline: 'slow', status: 'cancelled', error: 'interrupted (SIGINT)', startedBy: 'cli' });
    expect(store.getRunDetails(run!.id).nodes.filter((n) => n.status !== 'done')).toMatchObject([{ node: 'wait_long', status: 'failed', error: { message: 'interrupted (SIGINT)' } }]);
    store.close();
  });
});
