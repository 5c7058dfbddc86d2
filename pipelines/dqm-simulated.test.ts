/**
 * The project as shipped (conf/base + conf/ci, the registry) on simulated data: `dqm simulate`
 * output in data/01_raw is read through the PartitionedDataset factories, and every dataset of
 * the default pipeline is written where the catalog says, in its format.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeSimulation, readHistogramSetFile } from 'dqm-playground-ds/dqm';
import { Project } from 'dqm-playground-ds/session';
import { REPO } from '../lib/dqm/real-run.fixtures';
import { parseRuntimeParams } from 'dqm-playground-ds/config';

describe('the default pipeline on simulated data with the ci environment', () => {
  it('runs every node and writes every dataset of layers 1 and 2', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'dqm-sim-project-'));
    cpSync(path.join(REPO, 'conf'), path.join(root, 'conf'), { recursive: true });
    mkdirSync(path.join(root, 'pipelines'));
    writeFileSync(path.join(root, 'pipelines/registry.ts'), `export { registerPipelines } from '${path.join(REPO, 'pipelines/registry.ts')}';\n`);
    writeFileSync(path.join(root, 'pipelines/settings.ts'), 'export const hooks = [];\n');
    await writeSimulation({ seed: 4, lumisections: 12, layers: [1, 2], chunkSize: 5 }, path.join(root, 'data/01_raw'));
    const project = await Project.load({ root, env: 'ci', runtimeParams: parseRuntimeParams('data_visualization.png=true') });
    // 10 nodes per layer, and the 1D cluster-charge reference per layer (cluster_charge.in_default)
    expect(project.getPipeline().nodes).toHaveLength(2 * 10 + 2);
    const progress: number[] = [];
    const result = await project.run({}, (e) => e.type === 'progress' && e.node === 'preprocess_raw_pixel_layer_1_node' && progress.push(e.done));
    expect(result.status).toBe('success');
    expect(progress[progress.length - 1]).toBe(12);
    for (const l of [1, 2]) {
      for (const f of ['03_primary/layer_L/summary_statistics.parquet', '03_primary/layer_L/geometrical_properties.parquet', '04_feature/layer_L/images_rmse.parquet', '06_models/layer_L/mean_image.h5', '08_reporting/layer_L/correlations.json', '08_reporting/layer_L/mean_image.png']) {
        expect(existsSync(path.join(root, 'data', f.replace('L', String(l)))), f).toBe(true);
      }
      const set = await readHistogramSetFile(path.join(root, `data/02_intermediate/preprocessed_raw_pixel_layer_${l}.h5`));
      expect(Array.from(set.lumi)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
      const csv = readFileSync(path.join(root, `data/04_feature/layer_${l}/aggregated_properties.csv`), 'utf8').trim().split('\n');
      expect(csv).toHaveLength(13);
      const fig = JSON.parse(readFileSync(path.join(root, `data/08_reporting/layer_${l}/time_series.json`), 'utf8'));
      expect(fig.layout.annotations[0].text).toBe('<b>CMS</b> <i>Simulation</i>');
    }
    // The README's "open the results in Python" snippets, run as printed, on these outputs
    // (Debian's python has h5py and pandas; its pandas cannot read Parquet, checked in lib/io/parquet).
    const snippets = [...readFileSync(path.join(REPO, 'README.md'), 'utf8').matchAll(/```python\n([\s\S]*?)```/g)].map((m) => m[1]!);
    for (const needle of ['import h5py', 'pd.read_csv']) {
      const code = snippets.find((c) => c.includes(needle));
      expect(code, `README has a python snippet with ${needle}`).toBeDefined();
      const r = spawnSync('/usr/bin/python3', ['-c', `${code}\nprint("ok")`], { cwd: root, encoding: 'utf8' });
      expect(r.stderr, code).toBe('');
      expect(r.stdout.trim().split('\n').at(-1)).toBe('ok');
    }
  });
});
