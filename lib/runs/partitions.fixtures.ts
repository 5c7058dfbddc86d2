/**
 * The named "per-run partitions" project state, shared by the run-store tests and the browser
 * tests: two layers, each a folder of one JSON file per CMS run (as the DQM raw pickles are),
 * processed per layer into a table of (run, lumi), then summarised.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export const PARTITIONS_CATALOG = `raw_layer_{n}:
  type: partitions.PartitionedDataset
  path: data/01_raw/layer_{n}
  dataset: json.JSONDataset
  filename_suffix: .json
  layer: raw
processed_layer_{n}:
  type: json.JSONDataset
  filepath: data/02_intermediate/processed_layer_{n}.json
  layer: intermediate
summary_layer_{n}:
  type: json.JSONDataset
  filepath: data/08_reporting/summary_layer_{n}.json
  layer: reporting
`;

export const PARTITIONS_PARAMETERS = 'scale: 1\nfail_layer: 0\n';

export const PARTITIONS_REGISTRY = `import { node, Pipeline } from 'dqm-playground-ds/pipeline';
import { reportProgress } from 'dqm-playground-ds/progress';

type Part = { run: number; lumi: number[] };

function processLayer(layer: number) {
  return { [\`process_layer_\${layer}\`]: async (parts: Record<string, () => Promise<Part>>, scale: number, failLayer: number) => {
    if (failLayer === layer) throw new Error(\`layer \${layer}: corrupt partition\`);
    const run: number[] = [];
    const lumi: number[] = [];
    const ids = Object.keys(parts).sort();
    for (const [i, id] of ids.entries()) {
      const p = await parts[id]!();
      for (const l of p.lumi) {
        run.push(p.run);
        lumi.push(l * scale);
      }
      reportProgress(i + 1, ids.length, 'runs');
    }
    return { kind: 'table', columns: { run, lumi }, rowCount: run.length };
  } }[\`process_layer_\${layer}\`]!;
}

export function summarise(t: { rowCount: number }) {
  return { lumisections: t.rowCount };
}

export function registerPipelines() {
  const nodes = [1, 2].flatMap((n) => [
    node(processLayer(n), [\`raw_layer_\${n}\`, 'params:scale', 'params:fail_layer'], \`processed_layer_\${n}\`, { name: \`process_layer_\${n}\` }),
    node(summarise, \`processed_layer_\${n}\`, \`summary_layer_\${n}\`, { name: \`summarise_layer_\${n}\` }),
  ]);
  const all = new Pipeline(nodes);
  return { __default__: all };
}
`;

export const PARTITIONS_FILES: Record<string, string> = {
  'conf/base/catalog.yml': PARTITIONS_CATALOG,
  'conf/base/parameters.yml': PARTITIONS_PARAMETERS,
  'pipelines/registry.ts': PARTITIONS_REGISTRY,
  'data/01_raw/layer_1/Run_100001.json': '{"run": 100001, "lumi": [1, 2, 3]}',
  'data/01_raw/layer_1/Run_100002.json': '{"run": 100002, "lumi": [1, 2]}',
  'data/01_raw/layer_2/Run_100001.json': '{"run": 100001, "lumi": [1, 2, 3]}',
  'data/01_raw/layer_2/Run_100002.json': '{"run": 100002, "lumi": [1, 2]}',
};

/** A new CMS run arrives in one layer's folder. */
export function addRun(root: string, layer: number, run: number, lumis: number[]): void {
  const file = path.join(root, `data/01_raw/layer_${layer}/Run_${run}.json`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ run, lumi: lumis }));
}
