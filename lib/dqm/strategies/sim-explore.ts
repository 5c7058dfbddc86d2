// scratch exploration (deleted later)
import { allRows, applyFeatureZscore, applyMeanDistance, applyNmf, applyPca, evaluatePredictions, fitFeatureZscore, fitMeanDistance, fitNmf, fitPca, predictionsTable, concatTables } from './index';
import { aggregatedProperties, labelsTable, simulatedLayer, simulation } from './simulated.fixtures';
import { tableToRows, type Table } from '../../io/table';
import { LumiMask } from '../tasks';

import { labelsOf } from '../simulate';
const plan = simulation({ seed: Number(process.env.SEED ?? 1), lumisections: Number(process.env.NLS ?? 500), runs: 1, layers: (process.env.LAYERS ?? '1,2,3,4').split(',').map(Number) });
const labels = labelsTable(plan);
console.log('labels', labels.rowCount);
const firstOff = Math.min(...plan.anomalies.filter((a) => a.kind === 'module_off').map((a) => a.from));
const bad = new Set(labelsOf(plan).map((l) => l.lumi));
const dev: number[] = [], app: number[] = [];
for (let ls = 1; ls <= plan.options.lumisections; ls++) (ls < firstOff && !bad.has(ls) ? dev : app).push(ls);
const develop = LumiMask.fromPairs(dev.map(() => 357000), dev);
const apply = LumiMask.fromPairs(app.map(() => 357000), app);
console.log('develop', develop.describe(), 'apply', apply.describe());
const preds: Record<string, Table[]> = {};
const configs: Record<string, any> = JSON.parse(process.env.CONF ?? '{}');
for (const layer of plan.options.layers) {
  let t0 = Date.now();
  const h = simulatedLayer(plan, layer);
  const agg = aggregatedProperties(h);
  console.log('layer', layer, 'sim', Date.now() - t0, 'ms');
  const dev = develop.select(h.run, h.lumi), app = apply.select(h.run, h.lumi);
  const strategies: Record<string, [any, any, any]> = {
    md_chi2_4: [fitMeanDistance, applyMeanDistance, { metric: 'chi2', rebin: [4, 4] }],
    md_rmse: [fitMeanDistance, applyMeanDistance, { metric: 'rmse', rebin: [4, 4] }],
    pca_chi2: [fitPca, applyPca, { metric: 'chi2' }],
    pca_rmse: [fitPca, applyPca, { metric: 'rmse' }],
    nmf_chi2: [fitNmf, applyNmf, { metric: 'chi2' }],
    ...configs,
  };
  if (process.env.ONLY) for (const k of Object.keys(strategies)) if (!process.env.ONLY.split(',').includes(k)) delete strategies[k];
  for (const [name, [fit, ap, p]] of Object.entries(strategies)) {
    t0 = Date.now();
    const m = fit(h, dev, p);
    const t1 = Date.now();
    const s = ap(m, h, app);
    (preds[name] ??= []).push(predictionsTable(s, layer, m.threshold));
    console.log(`  ${name} fit ${t1 - t0} ms apply ${Date.now() - t1} ms`);
  }
  const m = fitFeatureZscore(agg, develop.select(agg.columns.run as Int32Array, agg.columns.lumi as Int32Array), {});
  const s = applyFeatureZscore(m, agg, app);
  (preds.feature_zscore ??= []).push(predictionsTable(s, layer, m.threshold));
}
const byName = Object.fromEntries(Object.entries(preds).map(([k, v]) => [k, concatTables(v)]));
const ev = tableToRows(evaluatePredictions(byName, labels));
for (const r of ev) if (r.layer === 'all' || process.env.ALL) console.log(String(r.strategy).padEnd(16), String(r.layer).padEnd(4), String(r.anomaly_type).padEnd(15), `n=${r.n_anomalous}/${r.n_good}`.padEnd(12), 'auc', (r.auc as number).toFixed(4), 'eff', (r.efficiency as number).toFixed(3), 'fpr', (r.fpr as number).toFixed(3));
