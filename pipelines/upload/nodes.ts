import { z } from 'zod';
import { ApiClient, ApiError, formatIssues, parseHistogram2D } from 'dqm-playground-ds/io';
import { isTable, type Table } from 'dqm-playground-ds/data';
import { reportProgress } from 'dqm-playground-ds/progress';

/**
 * upload: send a strategy's flagged lumisections back to the DQM playground website as one
 * prediction (`POST predictions/` with task, strategy and the flagged 2D histograms' ids, the
 * fields the website's Prediction model accepts; it has no score field, so scores stay in our
 * own outputs). Idempotent: the task's existing predictions of that strategy are read first and
 * histograms already uploaded are left out; nothing new -> no POST. `dry_run` builds the same
 * payload (read-only requests only) and POSTs nothing.
 */

export const uploadParamsSchema = z.object({
  task_id: z.number().int().positive().nullable().default(null),
  /** The strategy as the website names it. */
  strategy: z.string().min(1).nullable().default(null),
  /** The predictions dataset to upload (read when the pipeline is built). */
  predictions: z.string().min(1).default('predictions'),
  dry_run: z.boolean().default(true),
  title: z.string().min(1).default('clusterposition_zphi_PXLayer_{layer}'),
  title_lookup: z.string().min(1).default('title'),
});
export type UploadParams = Omit<z.infer<typeof uploadParamsSchema>, 'task_id' | 'strategy'> & { task_id: number; strategy: string };

export interface FlaggedLumisection {
  run: number;
  lumi: number;
  layer: number;
  score: number | null;
  histogram_id: number;
}

/** Exactly what is (or, in a dry run, would be) POSTed to `predictions/`. */
export interface PredictionPayload {
  task: number;
  strategy: string;
  run_histograms: number[];
  lumisection_histograms_1d: number[];
  lumisection_histograms_2d: number[];
}

export interface UploadReport {
  dry_run: boolean;
  endpoint: string;
  posted: boolean;
  prediction_id: number | null;
  flagged: number;
  already_uploaded: number;
  new: number;
  lumisections: FlaggedLumisection[];
}

export function parseUploadParams(raw: unknown): UploadParams {
  const result = uploadParamsSchema.safeParse(raw ?? {});
  if (!result.success) {
    throw new ApiError('API_CONFIG', `Bad upload parameters: ${formatIssues(result.error.issues, 'upload', raw ?? {})}`);
  }
  const { task_id, strategy } = result.data;
  if (task_id === null || strategy === null) {
    const unset = [task_id === null ? 'upload.task_id (the website task, e.g. 3)' : '', strategy === null ? "upload.strategy (the strategy's name on the website)" : ''].filter(Boolean);
    throw new ApiError('API_CONFIG', `Set ${unset.join(' and ')}: --params upload.task_id=3,upload.strategy=pca`);
  }
  return { ...result.data, task_id, strategy };
}

/** The flagged rows of a predictions table (columns run, lumi, layer, score, flag). */
export function flaggedRows(predictions: Table): Array<{ run: number; lumi: number; layer: number; score: number | null }> {
  if (!isTable(predictions)) throw new ApiError('API_CONFIG', 'upload: the predictions input must be a table with columns run, lumi, layer, score, flag');
  const missing = ['run', 'lumi', 'layer', 'flag'].filter((c) => !(c in predictions.columns));
  if (missing.length) {
    throw new ApiError('API_CONFIG', `upload: the predictions table lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (expected run, lumi, layer, score, flag)`);
  }
  const c = predictions.columns;
  const out: Array<{ run: number; lumi: number; layer: number; score: number | null }> = [];
  for (let i = 0; i < predictions.rowCount; i++) {
    if (!isFlagged(c.flag![i])) continue;
    const score = c.score?.[i];
    out.push({ run: Number(c.run![i]), lumi: Number(c.lumi![i]), layer: layerNumber(c.layer![i]), score: typeof score === 'number' ? score : null });
  }
  return out;
}

/** Builds the prediction for the website and, unless `dry_run`, POSTs it. Returns the payload and a report. */
export async function uploadPredictions(
  client: ApiClient,
  predictions: Table,
  rawParams: unknown,
): Promise<{ upload_payload: PredictionPayload; upload_report: UploadReport }> {
  const params = parseUploadParams(rawParams);
  if (client.flavour !== 'playground') throw new ApiError('API_CONFIG', 'upload needs the playground website (predictions/ endpoint); DIALS has none');
  const flagged = flaggedRows(predictions);
  const lumisections = await resolveHistogramIds(client, flagged, params);
  const existing = await uploadedHistogramIds(client, params);
  const fresh = [...new Set(lumisections.map((l) => l.histogram_id))].filter((id) => !existing.has(id)).sort((a, b) => a - b);
  const payload: PredictionPayload = { task: params.task_id, strategy: params.strategy, run_histograms: [], lumisection_histograms_1d: [], lumisection_histograms_2d: fresh };
  const report: UploadReport = {
    dry_run: params.dry_run,
    endpoint: client.url('predictions/'),
    posted: false,
    prediction_id: null,
    flagged: lumisections.length,
    already_uploaded: lumisections.length - fresh.length,
    new: fresh.length,
    lumisections,
  };
  if (!params.dry_run && fresh.length > 0) {
    const created = (await client.post('predictions/', payload)) as { id?: unknown } | null;
    report.posted = true;
    report.prediction_id = typeof created?.id === 'number' ? created.id : null;
  }
  return { upload_payload: payload, upload_report: report };
}

/** The website ids of the flagged lumisections' 2D histograms (one query per run and layer). */
async function resolveHistogramIds(
  client: ApiClient,
  flagged: ReturnType<typeof flaggedRows>,
  params: UploadParams,
): Promise<FlaggedLumisection[]> {
  const groups = new Map<string, typeof flagged>();
  for (const f of flagged) {
    const key = `${f.run}:${f.layer}`;
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(f);
  }
  const out: FlaggedLumisection[] = [];
  const missing: string[] = [];
  let done = 0;
  for (const rows of groups.values()) {
    const { run, layer } = rows[0]!;
    const lumis = rows.map((r) => r.lumi);
    const records = await client.list('lumisection_histograms_2d/', {
      [params.title_lookup]: params.title.replaceAll('{layer}', String(layer)),
      lumisection__run__run_number__in: run,
      lumisection__ls_number__gte: Math.min(...lumis),
      lumisection__ls_number__lte: Math.max(...lumis),
    });
    const idByLumi = new Map<number, number>();
    records.forEach((r, i) => {
      const h = parseHistogram2D(r, 'playground', i);
      if (h.run === run && h.histogramId !== undefined) idByLumi.set(h.lumi, h.histogramId);
    });
    for (const r of rows) {
      const id = idByLumi.get(r.lumi);
      if (id === undefined) missing.push(`run ${r.run} LS ${r.lumi} layer ${r.layer}`);
      else out.push({ ...r, histogram_id: id });
    }
    reportProgress(++done, groups.size, 'run×layer');
  }
  if (missing.length) {
    const shown = missing.slice(0, 5).join(', ');
    throw new ApiError(
      'API_NOT_FOUND',
      `upload: ${missing.length} flagged lumisection${missing.length > 1 ? 's have' : ' has'} no 2D histogram on ${client.url('lumisection_histograms_2d/')}: ${shown}${missing.length > 5 ? ', ...' : ''} (only lumisections of runs on the website can be uploaded; check upload.title)`,
    );
  }
  return out.sort((a, b) => a.run - b.run || a.layer - b.layer || a.lumi - b.lumi);
}

/** Histogram ids the task's predictions of this strategy already hold (ids or nested objects). */
async function uploadedHistogramIds(client: ApiClient, params: UploadParams): Promise<Set<number>> {
  const records = await client.list('predictions/', { task: params.task_id, strategy: params.strategy });
  const ids = new Set<number>();
  for (const p of records) {
    // Filter again here: a server that ignores the query filters must not make us skip real uploads.
    if (Number(p.task) !== params.task_id || strategyName(p.strategy) !== params.strategy) continue;
    const list = Array.isArray(p.lumisection_histograms_2d) ? p.lumisection_histograms_2d : [];
    for (const h of list) {
      const id = typeof h === 'number' ? h : Number((h as { id?: unknown })?.id);
      if (Number.isInteger(id)) ids.add(id);
    }
  }
  return ids;
}

/** The strategy of a prediction as a string: a name, an id, or a nested `{name}`/`{id}`. */
function strategyName(s: unknown): string {
  if (s && typeof s === 'object') return String((s as { name?: unknown; id?: unknown }).name ?? (s as { id?: unknown }).id);
  return String(s);
}

function isFlagged(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') return ['bad', 'true', '1', 'yes', 'anomalous'].includes(v.trim().toLowerCase());
  return false;
}

function layerNumber(v: unknown): number {
  const n = typeof v === 'number' ? v : Number(/(\d+)\s*$/.exec(String(v))?.[1]);
  if (!Number.isInteger(n)) throw new ApiError('API_CONFIG', `upload: layer '${String(v)}' is not a layer number (expected 1-4 or 'layer_N')`);
  return n;
}
