import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import { ApiClient, ApiError, formatIssues, histogramListToRawTable, parseHistogram2D, type Histogram2D, type QueryParams } from 'dqm-playground-ds/io';
import { tableFromRows, type Table } from 'dqm-playground-ds/data';
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
  layers: z.array(z.number().int().min(1).max(4)).min(1).default([1, 2, 3, 4]),
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
  const out: Record<string, Table> = {};
  const summary: ExtractionSummary = { source: targets.source, runs: targets.runs, fetched: [], cached: [], empty: [] };
  const jobs = targets.runs.flatMap((run) => params.layers.map((layer) => ({ run, layer, id: partitionId(run, layer) })));
  const pageProgress = client.onProgress;
  client.onProgress = undefined; // one progress line per (run, layer) instead of per page
  try {
    for (const [i, job] of jobs.entries()) {
      if (cached.has(job.id)) summary.cached.push(job.id);
      else {
        const wanted = targets.lumisections[String(job.run)] ?? null;
        const histograms = await fetchRunLayer(client, params, job.run, job.layer, wanted);
        if (histograms.length === 0) summary.empty.push(job.id);
        else {
          out[job.id] = histogramListToRawTable(histograms);
          summary.fetched.push({ partition: job.id, lumisections: histograms.length });
        }
      }
      reportProgress(i + 1, jobs.length, 'run×layer');
    }
  } finally {
    client.onProgress = pageProgress;
  }
  return { raw_histograms: out, extraction_summary: summary };
}

async function fetchRunLayer(client: ApiClient, params: ExtractionParams, run: number, layer: number, wanted: number[] | null): Promise<Histogram2D[]> {
  const title = params.title.replaceAll('{layer}', String(layer));
  const dials = client.flavour === 'dials';
  const query: Record<string, QueryParams[string]> = { ...params.extra_params, [params.title_lookup ?? (dials ? 'me' : 'title')]: title };
  if (dials) query.run_number = run;
  else query.lumisection__run__run_number__in = run;
  if (wanted?.length) {
    query[dials ? 'ls_number__gte' : 'lumisection__ls_number__gte'] = wanted[0]!;
    query[dials ? 'ls_number__lte' : 'lumisection__ls_number__lte'] = wanted[wanted.length - 1]!;
  }
  const endpoint = dials ? 'th2/' : 'lumisection_histograms_2d/';
  const records = await client.list(endpoint, query);
  const keep = wanted ? new Set(wanted) : undefined;
  const out: Histogram2D[] = [];
  records.forEach((record, i) => {
    const h = parseHistogram2D(record, client.flavour, i);
    // A server that ignores an unknown filter answers with everything: refuse rather than cache the wrong maps.
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
