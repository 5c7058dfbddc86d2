/**
 * Every strategy (the four unsupervised ones and the supervised random_forest) on simulator
 * labels, 2D maps and a 1D ME (the maps' z projection), judged per label set: `simulator` (every
 * injected anomaly is bad) and `module_off` (only modules switched off). Develop on the first run
 * (unsupervised: its good LS; random_forest: all of it, with labels), apply to the second.
 * Thresholds sit below the measured values (comments) with margin.
 */
import { describe, expect, it } from 'vitest';
import { createHistogramSet, type HistogramSet, type Table } from '../../data';
import { labelsOf } from '../simulate';
import { LumiMask } from '../tasks';
import { predictionsTable } from './common';
import { histogramFeatures } from './histogram-features';
import { evaluateLabelSets } from './label-evaluation';
import { STRATEGIES } from './registry';
import { simulatedLayer, simulation } from './simulated.fixtures';

const plan = simulation({ seed: 1, lumisections: 150, runs: 2, layers: [1] });
const maps = simulatedLayer(plan, 1);
const labels = labelsOf(plan).filter((l) => l.layer === 1);

function goodMask(h: HistogramSet, bad: Set<string>): LumiMask {
  const rows = Array.from(h.run.keys()).filter((i) => !bad.has(`${h.run[i]}:${h.lumi[i]}`));
  return LumiMask.fromPairs(rows.map((i) => h.run[i]!), rows.map((i) => h.lumi[i]!));
}
const labelSets = {
  simulator: goodMask(maps, new Set(labels.map((l) => `${l.run}:${l.lumi}`))),
  module_off: goodMask(maps, new Set(labels.filter((l) => l.anomaly === 'module_off').map((l) => `${l.run}:${l.lumi}`))),
};

/** The z projection of each map: a 1D ME (ny = 1) with the same LS. */
function zProjection(h: HistogramSet): HistogramSet {
  const p = createHistogramSet({ title: 'z_projection', ny: 1, nx: h.nx, x: h.x, y: { min: 0, max: 1, label: '' } }, h.run.length);
  p.run.set(h.run);
  p.lumi.set(h.lumi);
  p.entries.set(h.entries);
  for (let i = 0; i < h.run.length; i++) {
    for (let y = 0; y < h.ny; y++) for (let x = 0; x < h.nx; x++) p.values[i * h.nx + x] = p.values[i * h.nx + x]! + h.values[(i * h.ny + y) * h.nx + x]!;
  }
  return p;
}

function evaluate(h: HistogramSet, params: Record<string, Record<string, unknown>>): Map<string, number> {
  const first = h.run[0]!;
  const dev = Int32Array.from(h.run.keys()).filter((i) => h.run[i] === first);
  const app = Int32Array.from(h.run.keys()).filter((i) => h.run[i] !== first);
  const good = dev.filter((i) => labelSets.simulator.contains(h.run[i]!, h.lumi[i]!));
  const bad = Uint8Array.from(dev, (i) => (labelSets.simulator.contains(h.run[i]!, h.lumi[i]!) ? 0 : 1));
  const features = histogramFeatures(h);
  const predictions: Record<string, Table> = {};
  for (const [name, { strategy, ...p }] of Object.entries(params)) {
    const def = STRATEGIES[(strategy as string | undefined) ?? name]!;
    if (def.input === 'table') {
      const model = def.fit(features, good, p);
      predictions[name] = predictionsTable(def.apply(model, features, app), 1, model.threshold);
    } else {
      const model = def.supervised ? def.fit(h, dev, p, bad) : def.fit(h, good, p);
      predictions[name] = predictionsTable(def.apply(model, h, app), 1, model.threshold);
    }
  }
  const m = evaluateLabelSets(predictions, labelSets);
  const auc = new Map<string, number>();
  for (let i = 0; i < m.rowCount; i++) if (m.columns.run![i] === 'all') auc.set(`${m.columns.strategy![i]}/${m.columns.label![i]}`, Number(m.columns.auc![i]));
  console.log([...auc].map(([k, v]) => `${k} ${v.toFixed(4)}`).join(', '));
  return auc;
}

describe('strategies on simulator label sets', () => {
  it('2D maps: every strategy separates the labelled LS of an unseen run', () => {
    const auc = evaluate(maps, {
      mean_distance: { rebin: [4, 4] },
      pca: { rebin: [4, 4], components: 'auto', screen: 5 },
      nmf: { rebin: [10, 10] },
      feature_zscore: {},
      random_forest: { rebin: [20, 30], nEstimators: 50, maxDepth: 6 },
    });
    // measured: mean_distance 0.9853 / 0.9400, pca 0.9851 / 0.9400, nmf 0.9958 / 0.9400,
    // feature_zscore 1.0000 / 0.9868, random_forest 1.0000 / 0.9855 (simulator / module_off)
    for (const s of ['mean_distance', 'pca', 'nmf']) {
      expect(auc.get(`${s}/simulator`)).toBeGreaterThanOrEqual(0.97);
      expect(auc.get(`${s}/module_off`)).toBeGreaterThanOrEqual(0.92);
    }
    expect(auc.get('feature_zscore/simulator')).toBeGreaterThanOrEqual(0.98);
    expect(auc.get('random_forest/simulator')).toBeGreaterThanOrEqual(0.98);
    expect(auc.get('random_forest/module_off')).toBeGreaterThanOrEqual(0.95);
  }, 120_000);

  it('1D ME (z projection): every strategy, and the KS variant, separate the labelled LS', () => {
    const auc = evaluate(zProjection(maps), {
      mean_distance: { rebin: [1, 1], reference: 'median', systematic: true, foldLayout: 'contiguous' },
      mean_distance_ks: { strategy: 'mean_distance', metric: 'ks', rebin: [1, 1], reference: 'median', foldLayout: 'contiguous' },
      pca: { rebin: [1, 1], components: 'auto', screen: 5, foldLayout: 'contiguous' },
      nmf: { rebin: [1, 1] },
      feature_zscore: {},
      random_forest: { rebin: [1, 12], nEstimators: 50, maxDepth: 6 },
    });
    // measured: mean_distance 1.0000 / 0.9400, KS 1.0000 / 1.0000, pca 0.9923 / 0.9400, nmf 0.9883 / 0.9400,
    // feature_zscore 1.0000 / 0.9868, random_forest 1.0000 / 0.9852 (simulator / module_off)
    for (const s of ['mean_distance', 'feature_zscore', 'random_forest']) expect(auc.get(`${s}/simulator`)).toBeGreaterThanOrEqual(0.98);
    expect(auc.get('pca/simulator')).toBeGreaterThanOrEqual(0.97);
    expect(auc.get('nmf/simulator')).toBeGreaterThanOrEqual(0.96);
    expect(auc.get('mean_distance_ks/simulator')).toBeGreaterThanOrEqual(0.98);
    for (const s of ['mean_distance', 'pca', 'nmf', 'feature_zscore', 'random_forest']) expect(auc.get(`${s}/module_off`)).toBeGreaterThanOrEqual(0.92);
  }, 120_000);
});
