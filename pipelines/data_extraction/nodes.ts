import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import {
  ApiClient,
  ApiError,
  formatIssues,
  histogramListToRawTable,
  parseHistogram1D,
  parseHistogram2D,
  type Histogram1D,
  type Histogram2D,
  type QueryParams,
} from 'dqm-playground-ds/io';
import { tableFromRows, type HistogramSet, type Table } from 'dqm-playground-ds/data';
import { histogramSet1D } from './histograms-1d';
import { reportProgress } from 'dqm-playground-ds/progress';

/**
 * data_extraction: ask the DQM playground website (or DIALS) for the runs and lumisections of a
 * task and their 2D cluster-position maps, convert them to the raw format the simulator and the
 * original pickles use, and cache them in data/01_raw, one pickle per run and layer
 * (`pixel_layer_<N>/Run_<run>_0_clusterposition_PXLayer_<N>.pkl`, as `dqm simulate` writes
 * them). A partition already on disk is not fetched again: a re-run downloads only what is missing.
 */

export const extractionParamsSchema = z.object({
  /** A website task: its training/testing runs and lumisections are fetched. */
  task_id: z.number().int().positive().nullable().default(null),
  /** Runs to fetch when there is no task (all their lumisections). */
  runs: z.array(z.number().int().positive()).default([]),
  /** Pixel barrel layers whose 2D maps are fetched (`[]`: none, e.g. only 1D histograms). */
  layers: z.array(z.number().int().min(1).max(4)).default([1, 2, 3, 4]),
  /** Titles of 1D histograms to fetch (website `title`, DIALS `me`), e.g. `chargeInner_PXLayer_1`. */
  titles_1d: z.array(z.string().min(1)).default([]),
  /** Folder of the cached 1D partitions; must be `raw_histograms_1d`' path. */
  histograms_1d_folder: z.string().min(1).default('data/01_raw/histograms_1d'),
  /** The histogram's title on the website (DIALS: `me`); `{layer}` is replaced by the layer number. */
  title: z.string().min(1).default('clusterposition_zphi_PXLayer_{layer}'),
  /** The filter that selects the title: playground `title` (exact), DIALS `me`. */
  title_lookup: z.string().min(1).nullable().default(null),
  /** Extra query filters for the histogram requests (e.g. DIALS `dataset`). */
  extra_params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  /** Folder of the cached partitions; must be `raw_histograms`' path. Relative to the project root (the working directory). */
  raw_folder: z.string().min(1).default('data/01_raw'),
});
export type ExtractionParams = z.infer<typeof extractionParamsSchema>;

/** What to fetch: runs, and for each run either `null` (all lumisections) or the listed ones. */
export interface ExtractionTargets {
  source: string;
  runs: number[];
  lumisections: Record<string, number[] | null>;
}

export interface ExtractionSummary {
  source: string;
  runs: number[];
  fetched: Array<{ partition: string; lumisections: number }>;
  cached: string[];
  empty: string[];
}

export function parseExtractionParams(raw: unknown): ExtractionParams {
  const result = extractionParamsSchema.safeParse(raw ?? {});
  if (!result.success) {
    throw new ApiError('API_CONFIG', `Bad data_extraction parameters: ${formatIssues(result.error.issues, 'data_extraction', raw ?? {})}`);
  }
  return result.data;
}

/**
 * `pixel_layer_1/Run_316187_0_clusterposition_PXLayer_1`: the simulator's layout and the original
 * pickles' naming, so `raw_pixel_layer_N` (data/01_raw/pixel_layer_N/*.pkl) reads both.
 */
export function partitionId(run: number, layer: number): string {
  return `pixel_layer_${layer}/Run_${run}_0_clusterposition_PXLayer_${layer}`;
}

/**
 * The runs and lumisections to fetch: the task's `training_runs`/`testing_runs` (all LS) and
 * `training_lumisections`/`testing_lumisections` (just those LS), or the `runs` parameter.
 */
export async function resolveExtractionTargets(client: ApiClient, rawParams: unknown): Promise<ExtractionTargets> {
  const params = parseExtractionParams(rawParams);
  if (params.layers.length === 0 && params.titles_1d.length === 0) {
    throw new ApiError('API_CONFIG', 'Nothing to fetch: data_extraction.layers (2D maps) and data_extraction.titles_1d (1D histograms) are both empty');
  }
  const lumisections = new Map<number, Set<number> | null>();
  const addRun = (run: number) => lumisections.set(run, null);
  const addLs = (run: number, ls: number) => {
    const cur = lumisections.get(run);
    if (cur === null) return; // the whole run is wanted already
    (cur ?? lumisections.set(run, new Set()).get(run)!).add(ls);
  };
  let source: string;
  if (params.task_id !== null) {
    if (client.flavour !== 'playground') throw new ApiError('API_CONFIG', `data_extraction.task_id needs the playground website: DIALS has no tasks (use data_extraction.runs)`);
    const task = taskSchema.safeParse(await client.get(`tasks/${params.task_id}/`));
    if (!task.success) {
      throw new ApiError('API_BAD_RECORD', `task ${params.task_id} from ${client.url(`tasks/${params.task_id}/`)}: ${task.error.issues.map((i) => `'${i.path.join('.')}': ${i.message}`).join('; ')}`);
    }
    for (const r of [...task.data.training_runs, ...task.data.testing_runs]) addRun(r);
    for (const l of [...task.data.training_lumisections, ...task.data.testing_lumisections]) addLs(l.run, l.ls);
    source = `task ${params.task_id}`;
  } else {
    if (params.runs.length === 0) throw new ApiError('API_CONFIG', 'Nothing to extract: set data_extraction.task_id (a website task) or data_extraction.runs (a list of run numbers)');
    for (const r of params.runs) addRun(r);
    source = `runs ${params.runs.join(', ')}`;
  }
  const runs = [...lumisections.keys()].sort((a, b) => a - b);
  const ls: Record<string, number[] | null> = {};
  for (const r of runs) {
    const set = lumisections.get(r);
    ls[String(r)] = set ? [...set].sort((a, b) => a - b) : null;
  }
  return { source, runs, lumisections: ls };
}

/** The runs' records (run number, date, ...) as a table. */
export async function fetchRuns(client: ApiClient, targets: ExtractionTargets): Promise<Table> {
  if (targets.runs.length === 0) return tableFromRows([]);
  if (client.flavour === 'dials') {
    const rows: Array<Record<string, unknown>> = [];
    for (const run of targets.runs) rows.push(...flatRecords(await client.list('run/', { run_number: run })));
    return tableFromRows(rows);
  }
  return tableFromRows(flatRecords(await client.list('runs/', { run_number__in: targets.runs })));
}

/** The lumisections' records of those runs as a table. */
export async function fetchLumisections(client: ApiClient, targets: ExtractionTargets): Promise<Table> {
  const rows: Array<Record<string, unknown>> = [];
  for (const run of targets.runs) {
    const records = client.flavour === 'dials' ? await client.list('lumisection/', { run_number: run }) : await client.list('lumisections/', { run__run_number__in: run });
    rows.push(...flatRecords(records));
  }
  return tableFromRows(rows);
}

/** One partition to fetch: the (run, histogram title) it holds and its id in its folder. */
interface PartitionJob {
  run: number;
  title: string;
  id: string;
}

/**
 * The shared loop of both dimensions: every job whose partition is not cached yet is fetched
 * (one request series per run and title, through the same paging and retries) and converted;
 * the summary lists what was fetched, found cached, or not on the server. One progress line per
 * partition instead of per page.
 */
async function fetchMissingPartitions<H, T>(
  client: ApiClient,
  targets: ExtractionTargets,
  jobs: PartitionJob[],
  cached: Set<string>,
  fetchOne: (job: PartitionJob, wanted: number[] | null) => Promise<H[]>,
  convert: (histograms: H[], job: PartitionJob) => T,
  unit: string,
): Promise<{ partitions: Record<string, T>; summary: ExtractionSummary }> {
  const partitions: Record<string, T> = {};
  const summary: ExtractionSummary = { source: targets.source, runs: targets.runs, fetched: [], cached: [], empty: [] };
  const pageProgress = client.onProgress;
  client.onProgress = undefined;
  try {
    for (const [i, job] of jobs.entries()) {
      if (cached.has(job.id)) summary.cached.push(job.id);
      else {
        const histograms = await fetchOne(job, targets.lumisections[String(job.run)] ?? null);
        if (histograms.length === 0) summary.empty.push(job.id);
        else {
          partitions[job.id] = convert(histograms, job);
          summary.fetched.push({ partition: job.id, lumisections: histograms.length });
        }
      }
      reportProgress(i + 1, jobs.length, unit);
    }
  } finally {
    client.onProgress = pageProgress;
  }
  return { partitions, summary };
}

/**
 * The 2D maps of every (run, layer) not cached yet, as raw tables keyed by partition id (saved by
 * `raw_histograms`, a PartitionedDataset of pickles), plus a summary of what was fetched.
 */
export async function fetchLumisectionHistograms(
  client: ApiClient,
  targets: ExtractionTargets,
  rawParams: unknown,
): Promise<{ raw_histograms: Record<string, Table>; extraction_summary: ExtractionSummary }> {
  const params = parseExtractionParams(rawParams);
  const cached = new Set(await cachedPartitions(params.raw_folder));
  const jobs = targets.runs.flatMap((run) => params.layers.map((layer) => ({ run, title: params.title.replaceAll('{layer}', String(layer)), id: partitionId(run, layer) })));
  const { partitions, summary } = await fetchMissingPartitions(
    client,
    targets,
    jobs,
    cached,
    (job, wanted) => fetchRunHistograms(client, params, '2D', job.run, job.title, wanted),
    (hs) => histogramListToRawTable(hs),
    'run×layer',
  );
  return { raw_histograms: partitions, extraction_summary: summary };
}

/**
 * The 1D histograms (`data_extraction.titles_1d`: cluster charge, ADC, ...) of every (run, title)
 * not cached yet, as HistogramSets keyed by `<title>/Run_<run>` (saved by `raw_histograms_1d`, a
 * PartitionedDataset of the website's CSV export layout, which dqm.WebsiteHistogramsCSVDataset
 * reads back), plus a summary. Same targets, paging, retries, caching and messages as the maps.
 */
export async function fetchLumisectionHistograms1D(
  client: ApiClient,
  targets: ExtractionTargets,
  rawParams: unknown,
): Promise<{ raw_histograms_1d: Record<string, HistogramSet>; extraction_summary_1d: ExtractionSummary }> {
  const params = parseExtractionParams(rawParams);
  const cached = new Set(await cachedPartitions1D(params.histograms_1d_folder));
  const jobs = targets.runs.flatMap((run) => params.titles_1d.map((title) => ({ run, title, id: partitionId1D(run, title) })));
  const { partitions, summary } = await fetchMissingPartitions(
    client,
    targets,
    jobs,
    cached,
    (job, wanted) => fetchRunHistograms(client, params, '1D', job.run, job.title, wanted),
    (hs, job) => histogramSet1D(hs, { format: client.flavour === 'dials' ? 'dials' : 'website', url: client.url(ENDPOINTS['1D'][client.flavour]) }, job.id),
    'run×histogram',
  );
  return { raw_histograms_1d: partitions, extraction_summary_1d: summary };
}

/** `chargeInner_PXLayer_1/Run_297047`: one CSV per 1D title and run in `histograms_1d_folder`. */
export function partitionId1D(run: number, title: string): string {
  return `${title}/Run_${run}`;
}

const ENDPOINTS = {
  '1D': { playground: 'lumisection_histograms_1d/', dials: 'th1/' },
  '2D': { playground: 'lumisection_histograms_2d/', dials: 'th2/' },
} as const;

const PARSERS = { '1D': parseHistogram1D, '2D': parseHistogram2D } as const;
type Parsed = { '1D': Histogram1D; '2D': Histogram2D };

/**
 * Every histogram of `title` in `run` (only the `wanted` LS, if listed) from the dimension's
 * endpoint, checked record by record; a record of another run or title means the server ignored
 * a filter, and is refused rather than cached.
 */
async function fetchRunHistograms<D extends '1D' | '2D'>(client: ApiClient, params: ExtractionParams, dim: D, run: number, title: string, wanted: number[] | null): Promise<Array<Parsed[D]>> {
  const dials = client.flavour === 'dials';
  const query: Record<string, QueryParams[string]> = { ...params.extra_params, [params.title_lookup ?? (dials ? 'me' : 'title')]: title };
  if (dials) query.run_number = run;
  else query.lumisection__run__run_number__in = run;
  if (wanted?.length) {
    query[dials ? 'ls_number__gte' : 'lumisection__ls_number__gte'] = wanted[0]!;
    query[dials ? 'ls_number__lte' : 'lumisection__ls_number__lte'] = wanted[wanted.length - 1]!;
  }
  const endpoint = ENDPOINTS[dim][client.flavour];
  const records = await client.list(endpoint, query);
  const keep = wanted ? new Set(wanted) : undefined;
  const parse = PARSERS[dim] as (record: unknown, flavour: typeof client.flavour, index: number) => Parsed[D];
  const out: Array<Parsed[D]> = [];
  records.forEach((record, i) => {
    const h = parse(record, client.flavour, i);
    if (h.run !== run || (params.title_lookup === null && h.title !== title)) {
      throw new ApiError(
        'API_BAD_RECORD',
        `${client.url(endpoint, query)} returned histogram ${h.label} '${h.title}' of run ${h.run}, but run ${run} and title '${title}' were asked for: the server ignored a filter (check data_extraction.title_lookup)`,
      );
    }
    if (!keep || keep.has(h.lumi)) out.push(h);
  });
  return out;
}

/** Partition ids (`pixel_layer_N/<file name without .pkl>`) already in the raw folder. */
export async function cachedPartitions(folder: string): Promise<string[]> {
  const abs = path.resolve(folder);
  const out: string[] = [];
  const layers = await fs.readdir(abs, { withFileTypes: true }).catch(() => []);
  for (const dir of layers) {
    if (!dir.isDirectory() || !/^pixel_layer_\d+$/.test(dir.name)) continue;
    const names = await fs.readdir(path.join(abs, dir.name)).catch(() => [] as string[]);
    for (const n of names) if (n.endsWith('.pkl') && !n.includes('.tmp-')) out.push(`${dir.name}/${n.slice(0, -'.pkl'.length)}`);
  }
  return out.sort();
}

/** Partition ids (`<title>/Run_<run>`) already in the 1D folder. */
export async function cachedPartitions1D(folder: string): Promise<string[]> {
  const abs = path.resolve(folder);
  const files = await fs.readdir(abs, { recursive: true }).catch(() => [] as string[]);
  return files
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => /\/Run_\d+\.csv$/.test(f) && !f.includes('.tmp-'))
    .map((f) => f.slice(0, -'.csv'.length))
    .sort();
}

/** Nested values (DIALS nests some) as JSON text, so every record is a flat CSV row. */
function flatRecords(records: Array<Record<string, unknown>>): Array<Record<string, unknown>> {
  return records.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v !== null && typeof v === 'object' ? JSON.stringify(v) : v])));
}

const runNumber = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);
/** Task runs come as numbers or `{run_number}`; task lumisections as `{run, ls_number}`. */
const taskRun = z.union([runNumber, z.looseObject({ run_number: runNumber }).transform((r) => r.run_number)]);
const taskLs = z.looseObject({ run: z.union([runNumber, z.looseObject({ run_number: runNumber }).transform((r) => r.run_number)]), ls_number: z.number().int() }).transform((l) => ({ run: l.run, ls: l.ls_number }));
const taskSchema = z.looseObject({
  training_runs: z.array(taskRun).default([]),
  testing_runs: z.array(taskRun).default([]),
  training_lumisections: z.array(taskLs).default([]),
  testing_lumisections: z.array(taskLs).default([]),
});
