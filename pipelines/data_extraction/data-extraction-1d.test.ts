import { appendFileSync, existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseHistogram1D } from 'dqm-playground-ds/io';
import type { HistogramSet } from 'dqm-playground-ds/data';
import { Project } from 'dqm-playground-ds/session';
import { FakeWebsite } from '../../lib/io/api/fake-website.fixtures';
import { makeExtractionProject } from './extraction-project.fixtures';

const TOKEN = 'extraction-1d-token-777';
const CHARGE = 'chargeInner_PXLayer_1';
const ADC = 'adc_PXDisk_-1';

let site: FakeWebsite;
const roots: string[] = [];
beforeAll(async () => {
  site = await FakeWebsite.start({ token: TOKEN, perPage: 2, dialsPageSize: 2 });
  site.addHistograms1D(316187, [1, 2, 3], CHARGE);
  site.addHistograms1D(316188, [1, 2, 3, 4], CHARGE);
  site.addHistograms1D(316187, [1, 2, 3], ADC, 34, [0, 340]);
  site.addTask({
    id: 5,
    name: 'charge',
    training_runs: [{ run_number: 316187, date: '2018-05-12' }],
    testing_runs: [],
    training_lumisections: [],
    testing_lumisections: [
      { run: '316188', ls_number: 2, date: '2018-05-12' },
      { run: '316188', ls_number: 3, date: '2018-05-12' },
    ],
  });
});
afterAll(async () => {
  await site.close();
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

const project = (flavour: 'playground' | 'dials') => makeExtractionProject(site, TOKEN, flavour, roots);
const csvFiles = (root: string) => {
  const dir = path.join(root, 'data/01_raw/histograms_1d');
  return existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.csv')).sort() : [];
};
const params1d = (root: string, extra: Record<string, unknown>) => ({
  data_extraction: { layers: [], titles_1d: [CHARGE], histograms_1d_folder: path.join(root, 'data/01_raw/histograms_1d'), raw_folder: path.join(root, 'data/01_raw'), ...extra },
});
const source = (run: number, ls: number, title = CHARGE) => site.histograms1d.find((h) => h.run === run && h.lumisection === ls && h.title === title)!;

describe('data_extraction of 1D histograms', () => {
  it("playground: a task's LS of each title into one CSV per run, read back as 1D sets; a re-run fetches only what is missing", async () => {
    const root = project('playground');
    const runtimeParams = params1d(root, { task_id: 5, titles_1d: [CHARGE, ADC] });
    site.requests.length = 0;
    const progress: string[] = [];
    await (await Project.load({ root, runtimeParams })).run({ pipeline: 'data_extraction' }, (e) => {
      if (e.type === 'progress' && e.node === 'fetch_lumisection_histograms_1d') progress.push(`${e.done}/${e.total} ${e.unit}`);
    });
    // 316188 has no ADC histogram: listed as empty, no file
    expect(csvFiles(root)).toEqual([`${ADC}/Run_316187.csv`, `${CHARGE}/Run_316187.csv`, `${CHARGE}/Run_316188.csv`]);
    const summary = JSON.parse(readFileSync(path.join(root, 'data/01_raw/website/extraction_summary_1d.json'), 'utf8'));
    expect(summary).toEqual({
      source: 'task 5',
      runs: [316187, 316188],
      fetched: [
        { partition: `${CHARGE}/Run_316187`, lumisections: 3 },
        { partition: `${ADC}/Run_316187`, lumisections: 3 },
        { partition: `${CHARGE}/Run_316188`, lumisections: 2 },
      ],
      cached: [],
      empty: [`${ADC}/Run_316188`],
    });
    expect(progress.at(-1)).toBe('4/4 run×histogram');
    // 3 LS at 2 per page: 2 pages; the task's LS 2-3 of 316188 with an LS range filter: 1 page
    const gets = site.requestsTo('/api/lumisection_histograms_1d/');
    expect(gets.map((r) => `${r.query.title} ${r.query.lumisection__run__run_number__in} p${r.query.page ?? 1}`)).toEqual([
      `${CHARGE} 316187 p1`,
      `${CHARGE} 316187 p2`,
      `${ADC} 316187 p1`,
      `${ADC} 316187 p2`,
      `${CHARGE} 316188 p1`,
      `${ADC} 316188 p1`,
    ]);
    expect(gets[4]!.query).toMatchObject({ lumisection__ls_number__gte: '2', lumisection__ls_number__lte: '3' });
    expect(gets.every((r) => r.headers.authorization === `Token ${TOKEN}`)).toBe(true);
    expect(readFileSync(path.join(root, `data/01_raw/histograms_1d/${CHARGE}/Run_316188.csv`), 'utf8').split('\n')[0]).toBe('run,lumisection,title,data,entries,x_min,x_max,x_bin');

    // Read back through the catalog (a PartitionedDataset of dqm.WebsiteHistogramsCSVDataset): the website's numbers.
    const loaded = (await (await Project.load({ root, runtimeParams })).createCatalog().load('raw_histograms_1d')) as Record<string, () => Promise<HistogramSet>>;
    const h = await loaded[`${CHARGE}/Run_316188`]!();
    expect([h.ny, h.nx, h.x.min, h.x.max, h.title, Array.from(h.lumi)]).toEqual([1, 100, 0, 80000, CHARGE, [2, 3]]);
    expect(Array.from(h.values.subarray(0, 100))).toEqual(source(316188, 2).data);
    expect(Array.from(h.entries)).toEqual([source(316188, 2).entries, source(316188, 3).entries]);
    const adc = await loaded[`${ADC}/Run_316187`]!();
    expect([adc.nx, adc.x.max, Array.from(adc.values.subarray(2 * 34, 3 * 34))]).toEqual([34, 340, source(316187, 3, ADC).data]);

    // Re-run: nothing fetched; one file deleted -> only that (run, title) again.
    rmSync(path.join(root, `data/01_raw/histograms_1d/${CHARGE}/Run_316187.csv`));
    site.requests.length = 0;
    await (await Project.load({ root, runtimeParams })).run({ pipeline: 'data_extraction' });
    expect(site.requestsTo('/api/lumisection_histograms_1d/').map((r) => `${r.query.title} ${r.query.lumisection__run__run_number__in}`)).toEqual([
      `${CHARGE} 316187`,
      `${CHARGE} 316187`,
      `${ADC} 316188`, // empty last time: asked again
    ]);
    const again = JSON.parse(readFileSync(path.join(root, 'data/01_raw/website/extraction_summary_1d.json'), 'utf8'));
    expect(again.cached).toEqual([`${ADC}/Run_316187`, `${CHARGE}/Run_316188`]);
    expect(csvFiles(root)).toHaveLength(3);
  });

  it('end to end: fake website -> 1D cache -> data_processing + data_science on <me>.raw (a PartitionedDataset of the CSVs)', async () => {
    const root = project('playground');
    const folder = path.join(root, 'data/01_raw/histograms_1d');
    appendFileSync(
      path.join(root, 'conf/local/catalog.yml'),
      `${CHARGE}.raw:\n  type: partitions.PartitionedDataset\n  path: ${folder}/${CHARGE}\n  dataset: dqm.WebsiteHistogramsCSVDataset\n  filename_suffix: .csv\n`,
    );
    const runtimeParams = { ...params1d(root, { runs: [316187, 316188] }), layers: [], monitoring_elements: [CHARGE] };
    await (await Project.load({ root, runtimeParams })).run({ pipeline: 'data_extraction' });
    await (await Project.load({ root, runtimeParams })).run({ pipeline: 'features' });
    const [header, ...lines] = readFileSync(path.join(root, `data/04_feature/${CHARGE}/aggregated_properties.csv`), 'utf8').trim().split('\n');
    expect(header).toBe('run,lumi,entries,mean,rms,q05,q25,q50,q75,q95,rmse,chi2');
    const rows = lines.map((l) => l.split(',').map(Number));
    expect(rows.map((r) => [r[0], r[1]])).toEqual([[316187, 1], [316187, 2], [316187, 3], [316188, 1], [316188, 2], [316188, 3], [316188, 4]]);
    for (const r of rows) {
      const h = source(r[0]!, r[1]!);
      const total = h.data.reduce((a, b) => a + b, 0);
      const mean = h.data.reduce((a, c, k) => a + c * (k + 0.5) * 800, 0) / total; // 100 bins on [0, 80000]
      expect(r[2]).toBe(h.entries);
      expect(r[3]).toBeCloseTo(mean, 6);
    }
  });

  it('DIALS: th1/ cursor pages with the Bearer token and the me filter, the same CSVs', async () => {
    const root = project('dials');
    site.requests.length = 0;
    await (await Project.load({ root, runtimeParams: params1d(root, { runs: [316187] }) })).run({ pipeline: 'data_extraction', runner: 'parallel' });
    expect(csvFiles(root)).toEqual([`${CHARGE}/Run_316187.csv`]);
    const gets = site.requestsTo('/api/v1/th1/');
    expect(gets.map((r) => r.query)).toEqual([
      { me: CHARGE, run_number: '316187' },
      { me: CHARGE, run_number: '316187', cursor: '2' },
    ]);
    expect(gets.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    const text = readFileSync(path.join(root, `data/01_raw/histograms_1d/${CHARGE}/Run_316187.csv`), 'utf8').trim().split('\n');
    expect(text).toHaveLength(4);
    expect(text[3]!.startsWith(`316187,3,${CHARGE},"[${source(316187, 3).data.map((v) => `${v}.0`).join(', ')}]",${source(316187, 3).entries}.0,0.0,80000.0,100`)).toBe(true);
  });

  it('a negative count, a record of the wrong length, a duplicate LS: the run stops with the record named, nothing written', async () => {
    /** Adds LS 7 and 8 of run 999001 (ids returned), the second one spoilt by `mutate`. */
    const bad = (mutate: (h: (typeof site.histograms1d)[number]) => void): [number, number] => {
      const added = site.addHistograms1D(999001, [7, 8], 'bad_me', 4, [0, 4]);
      mutate(added[1]!);
      return [added[0]!.id, added[1]!.id];
    };
    const cases: Array<[() => string]> = [
      [() => `1D histogram id ${bad((h) => (h.data[2] = -3))[1]} (run 999001, LS 8): data[2] = -3 is not a count ≥ 0`],
      [() => `playground 1D histogram id ${bad((h) => h.data.push(1, 2, 3))[1]} (run 999001, LS 8): data has 7 values, expected x_bin = 4 (or 6 with under/overflow)`],
      [
        () => {
          const [a, b] = bad((h) => (h.lumisection = 7));
          return `1D histograms id ${a} (run 999001, LS 7) and id ${b} (run 999001, LS 7) are both run 999001, LS 7 of 'bad_me': duplicate lumisection`;
        },
      ],
    ];
    for (const [add] of cases) {
      site.histograms1d.splice(0, site.histograms1d.length, ...site.histograms1d.filter((h) => h.run !== 999001));
      const message = add();
      const root = project('playground');
      const p = params1d(root, { runs: [999001], titles_1d: ['bad_me'] });
      const error = (await (await Project.load({ root, runtimeParams: p })).run({ pipeline: 'data_extraction' }).catch((e: unknown) => e)) as Error;
      expect(error.message).toBe(`Node 'fetch_lumisection_histograms_1d' failed: ${message}. Resume the run with: dqm run --from-nodes resolve_extraction_targets --pipeline data_extraction`);
      expect(csvFiles(root)).toEqual([]);
    }
    site.histograms1d.splice(0, site.histograms1d.length, ...site.histograms1d.filter((h) => h.run !== 999001));
  });

  it('records: DIALS x_bin + 2 values lose their under/overflow; a missing field is named', () => {
    const rec = { dataset: 'd', me: CHARGE, dataset_id: 1, file_id: 1, run_number: 1, ls_number: 2, me_id: 3, x_min: 0, x_max: 4, x_bin: 4.0, entries: 10, data: [9, 1, 2, 3, 4, 9] };
    expect(parseHistogram1D(rec, 'dials').data).toEqual([1, 2, 3, 4]);
    const { me: _me, ...noMe } = rec;
    expect(() => parseHistogram1D(noMe, 'dials', 4)).toThrow("dials 1D histogram #4 (run 1, LS 2): 'me' is missing");
    expect(() => parseHistogram1D({ ...rec, data: [1, 'x', 2, 3] }, 'dials')).toThrow('dials 1D histogram #0 (run 1, LS 2): data[1] is "x", not a number');
  });
});
