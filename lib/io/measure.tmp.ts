import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadConfig } from '../config';
import { DataCatalog, formatCsv, parseCsv, table } from './index';
const root = mkdtempSync(path.join(os.tmpdir(), 'dqm-m-'));
mkdirSync(path.join(root, 'conf/base'), { recursive: true });
let y = '';
for (let i = 0; i < 1000; i++) y += `ds_${i}:\n  type: pandas.CSVDataset\n  filepath: data/\${globals:dir}/ds_${i}.csv\n  layer: raw\n`;
writeFileSync(path.join(root, 'conf/base/catalog.yml'), y);
writeFileSync(path.join(root, 'conf/base/globals.yml'), 'dir: x\n');
let p = ''; for (let i = 0; i < 500; i++) p += `p${i}:\n  a: ${i}\n  b: \${p${i}.a}\n`;
writeFileSync(path.join(root, 'conf/base/parameters.yml'), p);
for (let r = 0; r < 3; r++) {
  const t0 = performance.now();
  const c = await loadConfig(root);
  const t1 = performance.now();
  const cat = DataCatalog.fromConfig(c.catalog, { projectRoot: root, sources: c.sources });
  cat.addFeedDict(c.parameters);
  const t2 = performance.now();
  console.log(`loadConfig 1000 entries + 500 params: ${(t1 - t0).toFixed(1)} ms; fromConfig+feed: ${(t2 - t1).toFixed(1)} ms`);
}
const n = 200_000;
const tb = table({ run: Int32Array.from({ length: n }, () => 316187), lumi: Int32Array.from({ length: n }, (_, i) => i), x: Float64Array.from({ length: n }, () => Math.random()) });
for (let r = 0; r < 2; r++) {
  const a = performance.now(); const s = formatCsv(tb); const b = performance.now(); parseCsv(s); const c = performance.now();
  console.log(`CSV 200k rows x 3 cols (${(s.length / 1e6).toFixed(1)} MB): format ${(b - a).toFixed(0)} ms, parse ${(c - b).toFixed(0)} ms`);
}
