/**
 * Strategy fit / apply time for 5,000 simulated lumisections of one layer (200×300 maps,
 * 1.2 GB of float32): `npx tsx bench/strategies.ts [LS] [layer]`. Fit = develop on all LS
 * (components from the evenly spaced `maxTrain` LS, out-of-fold develop scores for the threshold,
 * as in conf/base/parameters/strategies.yml); apply = score every LS. Prints ms and µs per LS.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { allRows, STRATEGIES } from '../lib/dqm';
import { aggregatedProperties, simulatedLayer, simulation } from '../lib/dqm/strategies/simulated.fixtures';

const here = path.dirname(fileURLToPath(import.meta.url));
const params = parseYaml(fs.readFileSync(path.resolve(here, '../conf/base/parameters/strategies.yml'), 'utf8')) as Record<string, Record<string, unknown>>;
const n = Number(process.argv[2] ?? 5000);
const layer = Number(process.argv[3] ?? 1);

let t = performance.now();
const plan = simulation({ seed: 1, lumisections: n, runs: 1, layers: [layer] });
const h = simulatedLayer(plan, layer);
const simMs = performance.now() - t;
t = performance.now();
const agg = aggregatedProperties(h);
const aggMs = performance.now() - t;
const rows = allRows(n);

console.log(`strategies bench: ${n} LS of layer ${layer} (${h.ny}×${h.nx}), node ${process.version}, ${os.cpus().length} cores, load ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(`  simulate ${simMs.toFixed(0)} ms, aggregated properties ${aggMs.toFixed(0)} ms`);
console.log('  strategy         fit ms   apply ms   apply µs/LS');
for (const [name, def] of Object.entries(STRATEGIES)) {
  const p = params[`strategy_${name}`] ?? {};
  t = performance.now();
  const model = def.input === 'maps' ? def.fit(h, rows, p) : def.fit(agg, rows, p);
  const fitMs = performance.now() - t;
  t = performance.now();
  if (def.input === 'maps') def.apply(model, h, rows);
  else def.apply(model, agg, rows);
  const applyMs = performance.now() - t;
  console.log(`  ${name.padEnd(16)} ${fitMs.toFixed(0).padStart(6)} ${applyMs.toFixed(0).padStart(10)} ${((applyMs * 1000) / n).toFixed(1).padStart(13)}`);
}
