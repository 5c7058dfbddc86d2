import { existsSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, readPandasPickle } from 'dqm-playground-ds/io';
import { FakeWebsite } from '../../lib/io/api/fake-website.fixtures';
import { Project } from 'dqm-playground-ds/session';
import { makeExtractionProject, pickles } from './extraction-project.fixtures';
import { resolveExtractionTargets } from './nodes';

const TOKEN = 'extraction-token-4242';
const title = (layer: number) => `clusterposition_zphi_PXLayer_${layer}`;

let site: FakeWebsite;
beforeAll(async () => {
  site = await FakeWebsite.start({ token: TOKEN, perPage: 2 });
  for (const layer of [1, 2]) {
    site.addHistograms(316187, [1, 2, 3], title(layer));
    site.addHistograms(316188, [1, 2, 3, 4], title(layer));
  }
  site.addTask({
    id: 3,
    name: 'PXLayer maps',
    training_runs: [{ run_number: 316187, date: '2018-05-12' }],
    testing_runs: [],
    training_lumisections: [],
    testing_lumisections: [
      { run: '316188', ls_number: 2, date: '2018-05-12' },
      { run: '316188', ls_number: 3, date: '2018-05-12' },
    ],
  });
});
const roots: string[] = [];
afterAll(async () => {
  await site.close();
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

const extractionProject = (flavour: 'playground' | 'dials') => makeExtractionProject(site, TOKEN, flavour, roots);

describe('data_extraction pipeline (fake playground website)', () => {
  it('fetches a task\'s runs and lumisections into one pickle per run and layer; a re-run fetches nothing new', async () => {
    const root = extractionProject('playground');
    const params = { data_extraction: { task_id: 3, layers: [1, 2], raw_folder: path.join(root, 'data/01_raw') } };
    const project = await Project.load({ root, runtimeParams: params });
    const events: string[] = [];
    await project.run({ pipeline: 'data_extraction' }, (e) => {
      if (e.type === 'progress') events.push(`${e.node} ${e.done}/${e.total} ${e.unit}`);
    });

    expect(pickles(root)).toEqual([
      'pixel_layer_1/Run_316187_0_clusterposition_PXLayer_1.pkl',
      'pixel_layer_1/Run_316188_0_clusterposition_PXLayer_1.pkl',
      'pixel_layer_2/Run_316187_0_clusterposition_PXLayer_2.pkl',
      'pixel_layer_2/Run_316188_0_clusterposition_PXLayer_2.pkl',
    ]);
    const t = readPandasPickle(readFileSync(path.join(root, 'data/01_raw/pixel_layer_2/Run_316188_0_clusterposition_PXLayer_2.pkl')));
    expect(Object.keys(t.columns)).toEqual(['run', 'lumi', 'map']);
    expect(Array.from(t.columns.run!, Number)).toEqual([316188, 316188]);
    expect(Array.from(t.columns.lumi!, Number)).toEqual([2, 3]); // only the task's LS of that run
    const map = JSON.parse((t.columns.map as string[])[0]!) as number[];
    expect(map).toHaveLength(202 * 302);
    const source = site.histograms2d.find((h) => h.run === 316188 && h.lumisection === 2 && h.title === title(2))!;
    expect(map[1 * 302 + 1]).toBe(source.data[0]![0]);
    expect(map[200 * 302 + 300]).toBe(source.data[199]![299]);
    expect(map.slice(0, 302).every((v) => v === 0)).toBe(true);

    const summary = JSON.parse(readFileSync(path.join(root, 'data/01_raw/website/extraction_summary.json'), 'utf8'));
    expect(summary).toMatchObject({ source: 'task 3', runs: [316187, 316188], cached: [], empty: [] });
    expect(summary.fetched).toEqual([
      { partition: 'pixel_layer_1/Run_316187_0_clusterposition_PXLayer_1', lumisections: 3 },
      { partition: 'pixel_layer_2/Run_316187_0_clusterposition_PXLayer_2', lumisections: 3 },
      { partition: 'pixel_layer_1/Run_316188_0_clusterposition_PXLayer_1', lumisections: 2 },
      { partition: 'pixel_layer_2/Run_316188_0_clusterposition_PXLayer_2', lumisections: 2 },
    ]);
    expect(readFileSync(path.join(root, 'data/01_raw/website/runs.csv'), 'utf8').split('\n')[0]).toBe('run_number,date');
    expect(events).toContain('fetch_lumisection_histograms 4/4 run×layer');
    // 316187 has 3 LS with 2 per page: 2 pages per layer; 316188 LS 2-3: 1 page per layer
    const first = site.requestsTo('/api/lumisection_histograms_2d/');
    expect(first).toHaveLength(6);
    expect(first.every((r) => r.headers.authorization === `Token ${TOKEN}`)).toBe(true);

    // Re-run: every partition is cached, no histogram is requested again.
    site.requests.length = 0;
    const rerun = await Project.load({ root, runtimeParams: params });
    await rerun.run({ pipeline: 'data_extraction' });
    expect(site.requestsTo('/api/lumisection_histograms_2d/')).toHaveLength(0);
    const again = JSON.parse(readFileSync(path.join(root, 'data/01_raw/website/extraction_summary.json'), 'utf8'));
    expect(again.fetched).toEqual([]);
    expect(again.cached).toHaveLength(4);

    // One partition deleted -> only that one is fetched again.
    rmSync(path.join(root, 'data/01_raw/pixel_layer_2/Run_316187_0_clusterposition_PXLayer_2.pkl'));
    site.requests.length = 0;
    await (await Project.load({ root, runtimeParams: params })).run({ pipeline: 'data_extraction' });
    const refetch = site.requestsTo('/api/lumisection_histograms_2d/');
    expect(refetch.map((r) => `${r.query.title} ${r.query.lumisection__run__run_number__in} p${r.query.page ?? 1}`)).toEqual([
      `${title(2)} 316187 p1`,
      `${title(2)} 316187 p2`,
    ]);
    expect(pickles(root)).toHaveLength(4);
  });

  it('end to end: fake website -> data_extraction -> data_processing + data_science -> layer_1.aggregated_properties', async () => {
    const root = extractionProject('playground');
    const runtimeParams = { layers: [1, 2], data_extraction: { task_id: 3, layers: [1, 2], raw_folder: path.join(root, 'data/01_raw') } };
    await (await Project.load({ root, runtimeParams })).run({ pipeline: 'data_extraction' });
    await (await Project.load({ root, runtimeParams })).run({ pipeline: 'features' });

    const csv = readFileSync(path.join(root, 'data/04_feature/layer_1/aggregated_properties.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe('run,lumi,entries,mean,std,center_phi,center_z,rmse,mean_diff');
    const rows = csv.slice(1).map((line) => line.split(',').map(Number));
    expect(rows.map((r) => [r[0], r[1]])).toEqual([[316187, 1], [316187, 2], [316187, 3], [316188, 2], [316188, 3]]);
    // Independent check against the website's own data: entries, and mean/std over the full 202×302 map.
    for (const r of rows) {
      const h = site.histograms2d.find((x) => x.run === r[0] && x.lumisection === r[1] && x.title === title(1))!;
      const values = h.data.flat();
      const n = 202 * 302;
      const sum = values.reduce((a, b) => a + b, 0);
      const mean = sum / n;
      const variance = (values.reduce((a, v) => a + (v - mean) ** 2, 0) + (n - values.length) * mean ** 2) / n;
      expect(r[2]).toBe(h.entries);
      expect(r[3]).toBeCloseTo(mean, 10);
      expect(r[4]).toBeCloseTo(Math.sqrt(variance), 10);
    }
  });

  it('DIALS flavour (parallel runner): explicit runs, th2 cursor pages with Bearer token, same pickles', async () => {
    const root = extractionProject('dials');
    const params = { data_extraction: { runs: [316187], layers: [1], raw_folder: path.join(root, 'data/01_raw') } };
    site.requests.length = 0;
    // The parallel runner keeps these main_thread nodes (the client cannot cross threads) in this thread.
    await (await Project.load({ root, runtimeParams: params })).run({ pipeline: 'data_extraction', runner: 'parallel' });
    expect(pickles(root)).toEqual(['pixel_layer_1/Run_316187_0_clusterposition_PXLayer_1.pkl']);
    const gets = site.requestsTo('/api/v1/th2/');
    expect(gets).toHaveLength(1);
    expect(gets[0]!.query).toEqual({ me: title(1), run_number: '316187' });
    expect(gets[0]!.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const t = readPandasPickle(readFileSync(path.join(root, 'data/01_raw/pixel_layer_1/Run_316187_0_clusterposition_PXLayer_1.pkl')));
    expect(Array.from(t.columns.lumi!, Number)).toEqual([1, 2, 3]);
  });

  it('a failing website stops the run with the node, the clear error and no half-written pickle', async () => {
    const root = extractionProject('playground');
    site.inject({ path: '/api/lumisection_histograms_2d/', status: 401 });
    const project = await Project.load({ root, runtimeParams: { data_extraction: { runs: [316187], layers: [1], raw_folder: path.join(root, 'data/01_raw') } } });
    const error = (await project.run({ pipeline: 'data_extraction' }).catch((e: unknown) => e)) as Error;
    expect(error.message).toContain(
      `HTTP 401: token missing or invalid for ${site.playgroundUrl}lumisection_histograms_2d/?title=clusterposition_zphi_PXLayer_1&lumisection__run__run_number__in=316187 (credentials 'dqm_playground')`,
    );
    expect(error.message).not.toContain(TOKEN);
    expect(existsSync(path.join(root, 'data/01_raw')) ? pickles(root) : []).toEqual([]);
  });

  it('parameters: nothing to extract, and a task on DIALS, are clear errors', async () => {
    const client = new ApiClient({ url: site.playgroundUrl });
    await expect(resolveExtractionTargets(client, {})).rejects.toThrow(
      'Nothing to extract: set data_extraction.task_id (a website task) or data_extraction.runs (a list of run numbers)',
    );
    await expect(resolveExtractionTargets(client, { runs: ['x'] })).rejects.toThrow("Bad data_extraction parameters: 'data_extraction.runs.0': Invalid input: expected number, received string");
    await expect(resolveExtractionTargets(new ApiClient({ url: site.dialsUrl, flavour: 'dials' }), { task_id: 3 })).rejects.toThrow(
      'data_extraction.task_id needs the playground website: DIALS has no tasks (use data_extraction.runs)',
    );
  });
});
