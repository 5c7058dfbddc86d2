/**
 * The cluster_charge pipeline on `dqm simulate` output, through the project's catalog: the 1D ME
 * is read from the DQMIO CSV, its reference is the mean of the task's develop LS.
 */
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDqmioCsv, readHistogramSetFile, writeSimulation } from 'dqm-playground-ds/dqm';
import { Project } from 'dqm-playground-ds/session';
import { REPO } from '../../lib/dqm/real-run.fixtures';

async function project(task: unknown) {
  const root = mkdtempSync(path.join(os.tmpdir(), 'dqm-charge-project-'));
  cpSync(path.join(REPO, 'conf'), path.join(root, 'conf'), { recursive: true });
  mkdirSync(path.join(root, 'pipelines'));
  writeFileSync(path.join(root, 'pipelines/registry.ts'), `export { registerPipelines } from '${path.join(REPO, 'pipelines/registry.ts')}';\n`);
  writeFileSync(path.join(root, 'pipelines/settings.ts'), 'export const hooks = [];\n');
  await writeSimulation({ seed: 5, lumisections: 12, layers: [1, 2] }, path.join(root, 'data/01_raw'));
  return { root, project: await Project.load({ root, runtimeParams: { layers: [1, 2], 'strategies.task': task } }) };
}

const TASK = { name: 'early', develop: { mask: { '357000': [[1, 6]] } }, apply: { mask: { '357000': [[7, 12]] } } };

describe('the cluster_charge pipeline', () => {
  it('writes each layer\'s reference: the mean of the develop LS at unit entries', async () => {
    const { root, project: p } = await project(TASK);
    expect((await p.run({ pipeline: 'cluster_charge' })).status).toBe('success');
    const raw = readDqmioCsv(path.join(root, 'data/01_raw/cluster_charge/chargeInner_PXLayer.csv'), { hname: 'chargeInner_PXLayer_2' });
    const ref = await readHistogramSetFile(path.join(root, 'data/06_models/cluster_charge/layer_2_reference.hset'));
    expect([ref.ny, ref.nx, ref.run.length, ref.normalisation]).toEqual([1, 100, 1, 'entries']);
    expect(ref.title).toBe('chargeInner_PXLayer_2 · reference (mean of 6 develop LS)');
    for (const b of [10, 22, 60]) {
      let want = 0;
      for (let i = 0; i < 6; i++) want += raw.values[i * 100 + b]! / raw.entries[i]! / 6;
      expect(ref.values[b]).toBeCloseTo(want, 6);
    }
  });

  it('a task whose develop LS are not in the data is a clear error', async () => {
    const { project: p } = await project({ ...TASK, develop: { mask: { '1': [[1, 5]] } } });
    await expect(p.run({ pipeline: 'cluster_charge' })).rejects.toThrow(
      "Node 'cluster_charge.layer_1.reference_histogram' failed: Task 'early': the develop set selects no lumisection of chargeInner_PXLayer_1 (12 LS). Resume the run with: dqm run --from-nodes cluster_charge.layer_1.reference_histogram,cluster_charge.layer_2.reference_histogram --pipeline cluster_charge",
    );
  });
});
