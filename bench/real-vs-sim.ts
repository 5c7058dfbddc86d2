/**
 * docs/real-vs-simulated.png for the README: one real lumisection of Run 316187 next to one
 * simulated lumisection with the same entries, for layers 1 (bottom) and 2 (top); real on the
 * left, simulated on the right, each layer on its own colour scale, z columns 70-229 shown.
 * Run: npx tsx bench/real-vs-sim.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildHistogramSet, pixelMapShape, Prng, MapGenerator, planSimulation } from '../lib/dqm';
import { mapOf } from '../lib/data';
import { readPandasPickle, heatmapToPng } from '../lib/io';
import { sharedPath } from '../tests/shared-data.fixtures';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const X0 = 70;
const W = 160;
const GAP = 6;
const LUMI = 107;

const plan = planSimulation({ seed: 1, lumisections: 1, layers: [1, 2], anomalies: false });
const ny = 2 * 200 + GAP;
const nx = 2 * W + GAP;
const grid = new Float32Array(ny * nx).fill(Number.NaN);
for (const layer of [1, 2] as const) {
  const file = sharedPath(`data/run316187/Run_316187_0_clusterposition_PXLayer_${layer}.pkl`);
  const real = await buildHistogramSet(readPandasPickle(readFileSync(file)), { dataset: `raw_pixel_layer_${layer}`, shape: pixelMapShape(layer) });
  const i = Array.from(real.lumi).indexOf(LUMI);
  const gen = new MapGenerator(plan.models.get(layer)!, new Prng(layer));
  const sim = gen.sample(real.entries[i]!);
  const realMap = mapOf(real, i);
  // Both maps of a layer share the colour range: normalise to the real map's 99.5th percentile.
  const sorted = Float32Array.from(realMap).sort();
  const top = sorted[Math.floor(sorted.length * 0.995)]!;
  const y0 = (layer - 1) * (200 + GAP);
  for (let y = 0; y < 200; y++) {
    for (let x = 0; x < W; x++) {
      grid[(y0 + y) * nx + x] = Math.min(1, realMap[y * 300 + X0 + x]! / top);
      grid[(y0 + y) * nx + W + GAP + x] = Math.min(1, sim[y * 300 + X0 + x]! / top);
    }
  }
  console.log(`layer ${layer}: real LS ${LUMI} has ${real.entries[i]} entries; simulated map ${sim.reduce((a, b) => a + b, 0)}`);
}
const png = heatmapToPng(grid, ny, nx, { scale: 2, min: 0, max: 1, colorscale: 'viridis' });
mkdirSync(path.join(REPO, 'docs'), { recursive: true });
writeFileSync(path.join(REPO, 'docs/real-vs-simulated.png'), png);
console.log(`wrote docs/real-vs-simulated.png (${nx * 2}×${ny * 2} px): left real Run 316187 LS ${LUMI}, right simulated; bottom layer 1, top layer 2`);
