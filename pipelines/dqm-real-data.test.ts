/**
 * The whole data_processing + data_science + data_visualization pipeline on the two real
 * Run 316187 pickles, run by the framework (Project + sequential runner) in a temp project whose
 * catalog points raw_pixel_layer_1/2 at the shared files; every feature is checked against the
 * pure-Python reference.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from 'dqm-playground-ds/io';
import { Project } from 'dqm-playground-ds/session';
import { close, pythonReference, realPickle, REPO } from '../lib/dqm/real-run.fixtures';
import { AGGREGATED_COLUMNS } from './data_science/nodes';

function tempProject(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'dqm-real-'));
  mkdirSync(path.join(root, 'conf/base/parameters'), { recursive: true });
  mkdirSync(path.join(root, 'conf/local'), { recursive: true });
  mkdirSync(path.join(root, 'pipelines'), { recursive: true });
  // The project's own catalog, with the raw inputs replaced by the real pickles (plain pickles).
  const catalog = readFileSync(path.join(REPO, 'conf/base/catalog.yml'), 'utf8').replace(/raw_pixel_layer_\{n\}:\n(  .*\n)+/, '');
  const raw = [1, 2].map((l) => `raw_pixel_layer_${l}:\n  type: pickle.PickleDataSet\n  filepath: ${realPickle(l as 1 | 2)}\n  layer: raw\n`).join('');
  writeFileSync(path.join(root, 'conf/base/catalog.yml'), raw + catalog);
  writeFileSync(path.join(root, 'conf/base/parameters.yml'), 'layers: [1, 2]\n');
  for (const f of ['data_processing.yml', 'data_visualization.yml']) {
    writeFileSync(path.join(root, 'conf/base/parameters', f), readFileSync(path.join(REPO, 'conf/base/parameters', f)));
  }
  writeFileSync(path.join(root, 'pipelines/registry.ts'), `export { registerPipelines } from '${path.join(REPO, 'pipelines/registry.ts')}';\n`);
  writeFileSync(path.join(root, 'pipelines/settings.ts'), 'export const hooks = [];\n');
  return root;
}

describe('the DQM pipelines on the real Run 316187 pickles', () => {
  it('computes every feature of layers 1 and 2 as the independent reference', async () => {
    const root = tempProject();
    const project = await Project.load({ root });
    const order: string[] = [];
    const result = await project.run({}, (e) => e.type === 'node_started' && order.push(e.node));
    expect(result.status).toBe('success');
    // Layer 1's features and plots come before layer 2's maps are parsed (bounded memory).
    expect(order.indexOf('layer_1.plot_time_series_node')).toBeLessThan(order.indexOf('preprocess_raw_pixel_layer_2_node'));
    for (const layer of [1, 2] as const) {
      const ref = pythonReference(realPickle(layer));
      const csv = readFileSync(path.join(root, `data/04_feature/layer_${layer}/aggregated_properties.csv`), 'utf8');
      const lines = csv.trim().split('\n');
      expect(lines[0]).toBe(AGGREGATED_COLUMNS.join(','));
      const t = parseCsv(csv);
      expect(t.rowCount).toBe(16);
      ref.rows.forEach((row, i) => {
        for (const col of AGGREGATED_COLUMNS) {
          const got = Number(t.columns[col]![i]);
          const want = row[col];
          expect(close(got, want, col === 'mean_diff' ? 1e-6 : 1e-9), `layer ${layer} LS ${row.lumi} ${col}: ${got} vs ${want}`).toBe(true);
        }
      });
      const fig = JSON.parse(readFileSync(path.join(root, `data/08_reporting/layer_${layer}/time_series.json`), 'utf8'));
      expect(fig.data).toHaveLength(7);
      expect(fig.layout.annotations.map((a: { text: string }) => a.text)).toEqual(['<b>CMS</b> <i>Preliminary</i>', `Run 316187 · Pixel barrel layer ${layer}`]);
      const heat = JSON.parse(readFileSync(path.join(root, `data/08_reporting/layer_${layer}/mean_image.json`), 'utf8'));
      expect(heat.data[0].z).toHaveLength(200);
      expect(heat.data[0].z[100]).toHaveLength(300);
    }
  });
});
