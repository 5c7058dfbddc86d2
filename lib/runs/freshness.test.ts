import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Project } from '../session';
import { tempProjects } from '../session/temp-project.fixtures';
import { datasetFreshness } from './freshness';
import { partitionMatrix } from './partition-matrix';
import { addRun, PARTITIONS_FILES } from './partitions.fixtures';
import { recordRun } from './record-run';
import { RunStore } from './run-store';

const project = tempProjects();

async function run(root: string, params?: Record<string, unknown>, fresh = false): Promise<Project> {
  const p = await Project.load({ root, runtimeParams: params, fresh });
  await recordRun(p, {}, { params }).catch(() => undefined);
  return p;
}

const states = (m: ReturnType<typeof partitionMatrix>) => m.rows.map((r) => [r.run, ...m.columns.map((c) => r.cells[c.dataset]?.state ?? null)]);

describe('staleness and the run x layer view', () => {
  it('starts missing, then shows every CMS run of every layer processed with its LS', async () => {
    const root = project(PARTITIONS_FILES);
    const before = await Project.load({ root });
    const store = RunStore.open(root);
    expect(datasetFreshness(before, store).processed_layer_1).toMatchObject({ state: 'missing', reasons: ["not written yet: run node 'process_layer_1'"] });
    expect(states(partitionMatrix(before, store))).toEqual([
      ['100001', 'missing', 'missing'],
      ['100002', 'missing', 'missing'],
    ]);
    const p = await run(root);
    const m = partitionMatrix(p, store);
    expect(m.columns).toEqual([
      { dataset: 'raw_layer_1', label: 'layer 1', consumers: ['process_layer_1'], outputs: ['processed_layer_1', 'summary_layer_1'] },
      { dataset: 'raw_layer_2', label: 'layer 2', consumers: ['process_layer_2'], outputs: ['processed_layer_2', 'summary_layer_2'] },
    ]);
    expect(states(m)).toEqual([
      ['100001', 'processed', 'processed'],
      ['100002', 'processed', 'processed'],
    ]);
    expect(m.rows[0]!.cells.raw_layer_1).toEqual({ state: 'processed', partitions: ['Run_100001.json'], ls: { first: 1, last: 3, count: 3 }, reasons: [], plotsUrl: '/plots?layer=1&run=100001&lumi=1' });
    expect(Object.values(datasetFreshness(p, store)).map((f) => f.state)).toEqual(['fresh', 'fresh', 'fresh', 'fresh', 'fresh', 'fresh']);
    store.close();
  });

  it('marks a new run missing in its layer only, and the layer outputs stale because their input changed', async () => {
    const root = project(PARTITIONS_FILES);
    const p = await run(root);
    addRun(root, 1, 100003, [5, 6]);
    const store = RunStore.open(root);
    expect(states(partitionMatrix(p, store))).toEqual([
      ['100001', 'processed', 'processed'],
      ['100002', 'processed', 'processed'],
      ['100003', 'missing', null],
    ]);
    const f = datasetFreshness(p, store);
    expect(f.processed_layer_1).toMatchObject({ state: 'stale', reasons: ["input 'raw_layer_1' changed (1 file added)"] });
    expect(f.summary_layer_1).toMatchObject({ state: 'stale', reasons: ["upstream 'processed_layer_1' is stale"] });
    expect(f.processed_layer_2!.state).toBe('fresh');
    // Processing what is missing (from the layer's node) makes it whole again.
    await recordRun(p, { fromNodes: ['process_layer_1'] });
    expect(states(partitionMatrix(p, store)).at(-1)).toEqual(['100003', 'processed', null]);
    store.close();
  });

  it('marks outputs stale when a parameter they read or the code that writes them changes', async () => {
    const root = project(PARTITIONS_FILES);
    await run(root);
    const store = RunStore.open(root);
    const changed = await Project.load({ root, runtimeParams: { scale: 2 } });
    expect(datasetFreshness(changed, store).processed_layer_2).toMatchObject({ state: 'stale', reasons: ["parameter 'scale' changed"] });
    expect(partitionMatrix(changed, store).rows[0]!.cells.raw_layer_2).toMatchObject({
      state: 'stale',
      reasons: ["'processed_layer_2' is stale: parameter 'scale' changed", "'summary_layer_2' is stale: upstream 'processed_layer_2' is stale"],
    });

    const registry = path.join(root, 'pipelines/registry.ts');
    writeFileSync(registry, readFileSync(registry, 'utf8').replace('return { lumisections: t.rowCount };', 'return { lumisections: t.rowCount, version: 2 };'));
    const edited = await Project.load({ root, fresh: true });
    expect(datasetFreshness(edited, store).summary_layer_1).toMatchObject({ state: 'stale', reasons: ["code of node 'summarise_layer_1' changed"] });
    expect(datasetFreshness(edited, store).processed_layer_1!.state).toBe('fresh');
    store.close();
  });

  it('shows a layer whose processing failed after its outputs were written as failed, with the error', async () => {
    const root = project(PARTITIONS_FILES);
    await run(root);
    const p = await run(root, { fail_layer: 2 });
    const store = RunStore.open(root);
    const m = partitionMatrix(p, store);
    // Layer 1 was reprocessed in that run, but the run stopped before its summary was.
    expect(states(m)).toEqual([
      ['100001', 'stale', 'failed'],
      ['100002', 'stale', 'failed'],
    ]);
    expect(m.rows[0]!.cells.raw_layer_1!.reasons).toEqual(["'summary_layer_1' is stale: input 'processed_layer_1' changed"]);
    expect(m.rows[0]!.cells.raw_layer_2!.reasons[0]).toMatch(/^node 'process_layer_2' failed in run \S+: layer 2: corrupt partition$/);
    store.close();
  });

  it('says which input is missing', async () => {
    const root = project(PARTITIONS_FILES);
    rmSync(path.join(root, 'data/01_raw/layer_2'), { recursive: true });
    const p = await Project.load({ root });
    const store = RunStore.open(root);
    expect(datasetFreshness(p, store).raw_layer_2).toMatchObject({ state: 'missing', reasons: ['no data at data/01_raw/layer_2'] });
    store.close();
  });
});
