import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readDqmioCsv, readHistogramSetFile, writeSimulation } from '../../dqm';
import { Project } from '../../session';
import { NoPlotsService, PlotsService } from './plots-service';
import { pearson } from './pearson';

const REPO = path.resolve(__dirname, '../../..');

/**
 * A copy of the DQM project (conf + pipelines, lib linked) on 40 simulated LS of layers 1-2, run
 * through `Project` like `dqm run`; the strategies use a task fitted to those 40 LS.
 */
async function makeDqmProject(): Promise<string> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-plots-'));
  for (const f of ['conf', 'pipelines']) fs.cpSync(path.join(REPO, f), path.join(root, f), { recursive: true });
  fs.copyFileSync(path.join(REPO, 'package.json'), path.join(root, 'package.json'));
  fs.symlinkSync(path.join(REPO, 'lib'), path.join(root, 'lib'));
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(root, 'node_modules'));
  fs.writeFileSync(path.join(root, 'conf/base/tasks/plots_test.yml'), 'name: plots_test\ndevelop:\n  mask: {"357000": [[1, 20]]}\napply:\n  mask: {"357000": [[21, 40]]}\n');
  await writeSimulation({ seed: 1, lumisections: 40, runs: 1, layers: [1, 2], firstRun: 357000, chunkSize: 1000, anomalies: true }, path.join(root, 'data/01_raw'));
  return root;
}

const PARAMS = { layers: [1, 2], 'strategies.task': 'plots_test' };
const load = (root: string) => Project.load({ root, runtimeParams: PARAMS });
async function service(root: string): Promise<PlotsService> {
  const project = await load(root);
  return new PlotsService({ project, catalog: project.createCatalog() });
}
/** The error a promise rejects with, as the API shows it. */
async function failure(p: Promise<unknown>): Promise<{ code: string; httpStatus: number; message: string }> {
  try {
    await p;
  } catch (error) {
    return error as { code: string; httpStatus: number; message: string };
  }
  throw new Error('expected a failure');
}
const METRICS = 'data/08_reporting/strategies/metrics.csv';
/** Rows of a simple CSV (no quoted commas) as text by column. */
function csvRows(file: string): Array<Record<string, string>> {
  const [head, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const names = head!.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, k) => [names[k]!, v.replace(/^"(.*)"$/, '$1')])));
}
function csvColumn(file: string, column: string): number[] {
  const [head, ...lines] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const k = head!.split(',').indexOf(column);
  return lines.map((l) => Number(l.split(',')[k]));
}

let root: string;

beforeAll(async () => {
  root = await makeDqmProject();
  await (await load(root)).run({});
});

describe('PlotsService before the strategies ran', () => {
  it('lists the layers and features and says how to get scores', async () => {
    const s = await service(root);
    const summary = await s.summary();
    expect(summary.layers).toEqual([1, 2]);
    expect(summary.strategies).toEqual([]);
    expect(summary.runs).toEqual([357000]);
    expect(summary.variables.map((v) => v.id)).toEqual(['entries', 'mean', 'std', 'center_phi', 'center_z', 'rmse', 'mean_diff']);
    expect(summary.variables[1]).toEqual({ id: 'mean', kind: 'feature', label: 'Mean occupancy (clusters / bin)' });
    expect(summary.notes).toEqual(['No strategy predictions yet: run `dqm run --pipeline strategies` to plot anomaly scores']);
    expect(summary.cmsLabel).toBe('Simulation');
    expect(summary.comparison).toEqual([]);
  });

  it('a time series has one point per LS, as in the aggregated properties file', async () => {
    const s = await service(root);
    const series = await s.series('1', 'mean');
    expect(series.runs).toHaveLength(1);
    const run = series.runs[0]!;
    expect(run.run).toBe(357000);
    expect(run.lumi).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(run.value).toEqual(csvColumn(path.join(root, 'data/04_feature/layer_1/aggregated_properties.csv'), 'mean'));
    expect(run.flaggedBy.every((f) => f.length === 0)).toBe(true);
  });
});

describe('PlotsService with strategies and their evaluation', () => {
  beforeAll(async () => {
    const project = await load(root);
    await project.run({ pipeline: 'strategies' });
    await project.run({ pipeline: 'strategies_evaluation' });
  });

  it('summarises the strategies with AUC, efficiency and flagged counts', async () => {
    const summary = await (await service(root)).summary();
    expect(summary.strategies).toEqual(['strategy_feature_zscore', 'strategy_mean_distance', 'strategy_nmf', 'strategy_pca']);
    expect(summary.variables.find((v) => v.id === 'strategy_pca')).toEqual({ id: 'strategy_pca', kind: 'score', label: 'pca anomaly score (χ²/ndf)' });
    expect(summary.notes).toEqual([]);
    const pca = summary.comparison.filter((r) => r.strategy === 'strategy_pca');
    expect([...new Set(pca.map((r) => r.layer))]).toEqual(['all', '1', '2']);
    const flags = csvColumn(path.join(root, 'data/07_model_output/strategy_pca/predictions.csv'), 'flag');
    expect(pca[0]).toMatchObject({ labelSet: 'simulator', anomalyType: 'any', scored: 40, flagged: flags.filter((f) => f === 1).length, dataset: 'strategy_pca.predictions', pipeline: 'strategies' });
    // one row per label set and anomaly type, figures as the evaluation wrote them
    const metrics = csvRows(path.join(root, METRICS)).filter((m) => m.strategy === 'pca');
    expect(pca.map((r) => `${r.layer}:${r.anomalyType}`).sort()).toEqual(metrics.map((m) => `${m.layer}:${m.anomaly_type}`).sort());
    for (const m of metrics) {
      const row = pca.find((r) => r.layer === m.layer && r.anomalyType === m.anomaly_type)!;
      // NaN (no good LS of the type) is written empty and sent as null
      const n = (v: string | undefined) => (v === '' || v === 'NaN' ? null : Number(v));
      expect([row.auc, row.efficiency, row.fpr, row.nBad, row.nGood]).toEqual([n(m.auc), n(m.efficiency), n(m.fpr), n(m.n_anomalous), n(m.n_good)]);
    }
    expect(pca.filter((r) => r.layer === 'all').map((r) => r.anomalyType)[0]).toBe('any');
    expect(summary.labelSets).toEqual(['simulator']);
    expect(summary.histograms).toEqual([
      { dataset: 'preprocessed_raw_pixel_layer_{layer}', label: 'Cluster position (z, φ)', layers: [1, 2] },
      { dataset: 'raw_cluster_charge_layer_{layer}', label: 'Cluster charge (1D)', layers: [1, 2] },
    ]);
  });

  it('a score series carries its working point and the labelled-bad LS of its layer as bands', async () => {
    const s = await service(root);
    const series = await s.series('1', 'strategy_pca');
    const p = csvRows(path.join(root, 'data/07_model_output/strategy_pca/predictions.csv')).filter((r) => r.layer === '1');
    expect(series.threshold).toBe(Number(p[0]!.threshold));
    const flagged = p.filter((r) => r.flag === '1').map((r) => Number(r.score));
    for (const f of flagged) expect(f).toBeGreaterThan(series.threshold!);
    // bands cover exactly the LS labelled on layer 1, by type
    const want = new Set(csvRows(path.join(root, 'data/01_raw/labels.csv')).filter((l) => l.layer === '1').map((l) => `${l.lumi}:${l.anomaly}`));
    const got = new Set(series.bands.flatMap((b) => Array.from({ length: b.to - b.from + 1 }, (_, k) => `${b.from + k}:${b.type}`)));
    expect(want.size).toBeGreaterThan(0);
    expect(got).toEqual(want);
    expect(series.bands.every((b) => b.labelSet === 'simulator' && b.run === 357000)).toBe(true);
    // a feature has no working point
    expect((await s.series('1', 'mean')).threshold).toBeNull();
  });

  it('a task file with label sets: each set shades the LS outside its GOOD mask', async () => {
    const file = path.join(root, 'data/05_model_input/strategies/task.json');
    const before = fs.readFileSync(file, 'utf8');
    try {
      fs.writeFileSync(file, JSON.stringify({ ...JSON.parse(before), label_sets: { golden: { '357000': [[1, 30], [33, 40]] } } }));
      const s = await service(root);
      expect((await s.summary()).labelSets).toEqual(['simulator', 'golden']);
      const golden = (await s.series('2', 'mean')).bands.filter((b) => b.labelSet === 'golden');
      expect(golden).toEqual([{ run: 357000, from: 31, to: 32, labelSet: 'golden', type: 'bad' }]);
    } finally {
      fs.writeFileSync(file, before);
    }
  });

  it('one LS of a 1D ME: its histogram and the mean of the develop LS as reference', async () => {
    const s = await service(root);
    const d = await s.ls('357000', '25', '1', 'raw_cluster_charge_layer_1');
    const charge = readDqmioCsv(path.join(root, 'data/01_raw/cluster_charge/chargeInner_PXLayer.csv'), { hname: 'chargeInner_PXLayer_1' });
    expect([d.dims, d.dataset, d.map.length, d.map[0]!.length, d.entries]).toEqual([1, 'raw_cluster_charge_layer_1', 1, 100, charge.entries[24]]);
    expect(d.map[0]!.slice(10, 30)).toEqual(Array.from(charge.values.subarray(24 * 100 + 10, 24 * 100 + 30)));
    // the task plots_test develops on LS 1-20
    expect(d.referenceNote).toBe("mean of 20 develop LS (task 'plots_test')");
    const b = 25;
    let ref = 0;
    for (let i = 0; i < 20; i++) ref += charge.values[i * 100 + b]! / charge.entries[i]! / 20;
    expect(Math.abs(d.reference![0]![b]! / ref - 1)).toBeLessThan(1e-3);
    expect(d.scores).toHaveLength(4);
    expect(await failure(s.ls('357000', '25', '1', 'layer_1.mean_image'))).toMatchObject({
      httpStatus: 400,
      code: 'UNKNOWN_HISTOGRAM',
      message: "Query parameter 'dataset' must be a histogram set of layer 1 (preprocessed_raw_pixel_layer_1, raw_cluster_charge_layer_1), got 'layer_1.mean_image'",
    });
  });

  it('a score series covers the apply LS only and marks the flagged ones', async () => {
    const s = await service(root);
    const series = await s.series('1', 'strategy_mean_distance');
    const run = series.runs[0]!;
    expect(run.lumi).toEqual(Array.from({ length: 20 }, (_, i) => i + 21));
    const file = path.join(root, 'data/07_model_output/strategy_mean_distance/predictions.csv');
    const layer = csvColumn(file, 'layer');
    const want = csvColumn(file, 'flag').filter((_, i) => layer[i] === 1);
    expect(run.flaggedBy.map((f) => (f.length ? 1 : 0))).toEqual(want);
    // feature series mark the LS any strategy flags
    const mean = await s.series('1', 'mean');
    expect(mean.runs[0]!.flaggedBy.some((f) => f.length > 0)).toBe(true);
  });

  it('correlates two variables (Pearson) and builds the symmetric matrix', async () => {
    const s = await service(root);
    const c = await s.correlation('2', 'mean', 'entries');
    const file = path.join(root, 'data/04_feature/layer_2/aggregated_properties.csv');
    expect(c.points.x).toEqual(csvColumn(file, 'mean'));
    expect(c.pearson).toBeCloseTo(pearson(csvColumn(file, 'mean'), csvColumn(file, 'entries'))!, 12);
    const m = c.matrix;
    expect(m.variables).toContain('strategy_pca');
    for (let i = 0; i < m.variables.length; i++) {
      expect(m.r[i]![i]).toBe(1);
      for (let j = 0; j < m.variables.length; j++) expect(m.r[i]![j]).toBe(m.r[j]![i]);
    }
    // a score against a feature: only the 20 scored LS
    expect((await s.correlation('2', 'strategy_pca', 'mean')).points.x).toHaveLength(20);
  });

  it('one LS: its map, the normalised reference and residual, each strategy score, neighbours', async () => {
    const s = await service(root);
    const d = await s.ls('357000', '25', '1');
    expect([d.index, d.count, d.prev, d.next]).toEqual([24, 40, { run: 357000, lumi: 24 }, { run: 357000, lumi: 26 }]);
    expect([d.map.length, d.map[0]!.length]).toEqual([200, 300]);
    const maps = await readHistogramSetFile(path.join(root, 'data/02_intermediate/preprocessed_raw_pixel_layer_1.h5'));
    const mean = await readHistogramSetFile(path.join(root, 'data/06_models/layer_1/mean_image.h5'));
    const k = 24 * 200 * 300 + 100 * 300 + 150;
    expect(d.map[100]![150]).toBeCloseTo(maps.values[k]!, 3);
    const ref = mean.values[100 * 300 + 150]! / mean.entries[0]!;
    // sent with 4 significant digits
    expect(Math.abs(d.reference![100]![150]! / ref - 1)).toBeLessThan(1e-3);
    const residual = maps.values[k]! / maps.entries[24]! - ref;
    expect(Math.abs(d.residual![100]![150]! / residual - 1)).toBeLessThan(1e-3);
    expect(d.scores.map((x) => x.strategy)).toEqual(['strategy_feature_zscore', 'strategy_mean_distance', 'strategy_nmf', 'strategy_pca']);
    expect(d.scores.every((x) => typeof x.score === 'number' && typeof x.flag === 'boolean')).toBe(true);
    expect(Object.keys(d.features)).toContain('rmse');
    // a develop LS has no score
    expect((await s.ls('357000', '1', '1')).scores.every((x) => x.score === null && x.flag === null)).toBe(true);
    expect((await s.ls('357000', '1', '1')).prev).toBeNull();
  });

  it('answers bad queries with clear 400/404 errors', async () => {
    const s = await service(root);
    expect(await failure(s.series('7', 'mean'))).toMatchObject({ httpStatus: 400, code: 'BAD_LAYER', message: "Layer 7 is not processed by this project: parameter 'layers' is [1, 2]" });
    expect(await failure(s.series(null, 'mean'))).toMatchObject({ httpStatus: 400, message: "Query parameter 'layer' must be a pixel barrel layer (1, 2), got ''" });
    expect(await failure(s.series('1', 'meen'))).toMatchObject({
      httpStatus: 400,
      code: 'UNKNOWN_VARIABLE',
      message: "Query parameter 'variable' must be one of entries, mean, std, center_phi, center_z, rmse, mean_diff, strategy_feature_zscore, strategy_mean_distance, strategy_nmf, strategy_pca; got 'meen'",
    });
    expect(await failure(s.correlation('1', 'mean', null))).toMatchObject({ httpStatus: 400, message: expect.stringMatching(/^Query parameter 'y' must be one of entries/) });
    expect(await failure(s.ls('357000', '99', '1'))).toMatchObject({ httpStatus: 404, code: 'LS_NOT_FOUND', message: 'Layer 1 has no lumisection 99 of run 357000 (runs: 357000; 40 LS)' });
    expect(await failure(s.ls('abc', '1', '1'))).toMatchObject({ httpStatus: 400, code: 'BAD_RUN', message: "Query parameter 'run' must be a non-negative integer, got 'abc'" });
    expect(await failure(s.ls('357000', '-1', '1'))).toMatchObject({ httpStatus: 400, code: 'BAD_LUMI', message: "Query parameter 'lumi' must be a non-negative integer, got '-1'" });
    expect(await failure(new NoPlotsService('graph.json').summary())).toMatchObject({
      httpStatus: 404,
      code: 'NO_PROJECT',
      message: 'The plots page needs a project with data; this dashboard serves the graph file graph.json. Start `dqm viz` in the project folder',
    });
  });

  it('says which dataset is missing and the command that makes it', async () => {
    fs.rmSync(path.join(root, 'data/04_feature/layer_2/aggregated_properties.csv'));
    const s = await service(root);
    expect((await s.summary()).notes).toEqual(['Layer 2: layer_2.aggregated_properties is not produced yet (run `dqm run`)']);
    expect(await failure(s.series('2', 'mean'))).toMatchObject({ httpStatus: 404, code: 'NOT_PRODUCED', message: "Dataset 'layer_2.aggregated_properties' is not produced yet: run `dqm run`" });
  });
});

describe('pearson', () => {
  it('is 1, -1 or the textbook value; null without spread or points; skips missing pairs', () => {
    expect(pearson([1, 2, 3], [2, 4, 6])).toBe(1);
    expect(pearson([1, 2, 3], [3, 2, 1])).toBe(-1);
    expect(pearson([1, 2, 3, 4], [1, 3, 2, 4])).toBeCloseTo(0.8, 12);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNull();
    expect(pearson([1], [1])).toBeNull();
    expect(pearson([1, 2, null, 3], [2, 4, 100, 6])).toBe(1);
  });
});
