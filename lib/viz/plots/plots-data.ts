import fs from 'node:fs';
import path from 'node:path';
import { loadInMemory } from '../load-in-memory';
import { isHistogramSet, type HistogramSet, isTable, type Table } from '../../data';
import { developOf, type DevelopMask } from '../develop-mask';
import { VizError, VizNotFoundError } from '../errors';
import { catalogFacts, ValueCache } from '../node-details';
import type { VizCatalog, VizProject } from '../project-types';

/** The project as the plots page reads it: datasets through the catalog, never client paths. */
export interface PlotsSource {
  project: VizProject;
  catalog: VizCatalog | undefined;
}

/** Names of the datasets the plots page reads (the DQM project's catalog conventions). */
export const datasetNames = {
  aggregated: (layer: number) => `layer_${layer}.aggregated_properties`,
  maps: (layer: number) => `preprocessed_raw_pixel_layer_${layer}`,
  meanImage: (layer: number) => `layer_${layer}.mean_image`,
  predictions: (strategy: string) => `${strategy}.predictions`,
  metrics: 'strategies_evaluation.metrics',
  labels: 'anomaly_labels',
  task: 'strategies.task',
} as const;

/** The LS panel's histogram sets when `params:plots.histograms` says nothing: the pixel maps. */
const DEFAULT_HISTOGRAMS = [{ dataset: 'preprocessed_raw_pixel_layer_{layer}', label: 'Cluster position (z, φ)' }];

const PREDICTIONS = /^(strategy_[A-Za-z0-9_]+)\.predictions$/;

/**
 * Loads the plots page's datasets through the project's catalog, keeping values between
 * requests until their file changes (a new run rewrites them; the next request sees it).
 */
export class PlotsData {
  // Tables are small; map sets are big (500 LS × 60,000 bins × 4 B = 120 MB), so keep few.
  private readonly tables = new ValueCache(24);
  private readonly maps = new ValueCache(2);
  private readonly images = new ValueCache(8);

  constructor(private readonly source: PlotsSource) {}

  get project(): VizProject {
    return this.source.project;
  }

  /** `params:layers` of the project (default 1-4), as the DQM pipelines read it. */
  configuredLayers(): number[] {
    const raw = this.project.parameters.layers ?? [1, 2, 3, 4];
    const list = (Array.isArray(raw) ? raw : [raw]).filter((l): l is number => Number.isInteger(l));
    return [...new Set(list)].sort((a, b) => a - b);
  }

  /**
   * The histogram sets (any ME, 1D or 2D) the LS panel may show: `params:plots.histograms`, a
   * list of `{dataset, label}` with `{layer}` in the dataset name; the pixel maps by default.
   */
  configuredHistograms(): Array<{ dataset: string; label: string }> {
    const raw = (this.project.parameters.plots as { histograms?: unknown } | undefined)?.histograms;
    if (raw === undefined || raw === null) return DEFAULT_HISTOGRAMS;
    const list = Array.isArray(raw) ? raw : [];
    const ok = list.every((h) => typeof h === 'object' && h !== null && typeof (h as { dataset?: unknown }).dataset === 'string');
    if (!Array.isArray(raw) || !ok) {
      throw new VizError(`Parameter 'plots.histograms' must be a list of {dataset, label} (dataset names with {layer}), got ${JSON.stringify(raw)}`, { code: 'BAD_PARAMETER', httpStatus: 500 });
    }
    return (list as Array<{ dataset: string; label?: unknown }>).map((h) => ({ dataset: h.dataset, label: typeof h.label === 'string' ? h.label : h.dataset }));
  }

  /** Strategy namespaces that have a predictions entry in the catalog (`strategy_pca`, ...). */
  configuredStrategies(): string[] {
    const names = Object.keys(this.project.config?.catalog ?? {});
    return names.flatMap((n) => PREDICTIONS.exec(n)?.[1] ?? []).sort();
  }

  /** The dataset's file, when the catalog names one and it is on disk. */
  fileOf(name: string): { file: string; stamp: string } | null {
    if (!this.source.catalog?.has(name)) return null;
    const facts = catalogFacts(this.project, this.source.catalog, name);
    if (!facts?.filepath) return null;
    const file = path.resolve(this.project.root, facts.filepath);
    try {
      const st = fs.statSync(file);
      return { file, stamp: `${st.mtimeMs}:${st.size}` };
    } catch {
      return null;
    }
  }

  exists(name: string): boolean {
    return this.fileOf(name) !== null;
  }

  async table(name: string): Promise<Table> {
    const value = await this.load(this.tables, name);
    if (!isTable(value)) throw new VizError(`Dataset '${name}' is not a table (the plots page reads its columns)`, { code: 'BAD_DATASET' });
    return value;
  }

  /** The task's develop mask (the 1D references' LS), when the strategies' task file is on disk. */
  async develop(): Promise<DevelopMask | null> {
    return this.exists(datasetNames.task) ? developOf(await this.value(datasetNames.task)) : null;
  }

  /** Any small value (a task file's JSON), through the tables' cache. */
  async value(name: string): Promise<unknown> {
    return this.load(this.tables, name);
  }

  async histograms(name: string, big = true): Promise<HistogramSet> {
    const value = await this.load(big ? this.maps : this.images, name);
    if (!isHistogramSet(value)) throw new VizError(`Dataset '${name}' is not a histogram set`, { code: 'BAD_DATASET' });
    return value;
  }

  private async load(cache: ValueCache, name: string): Promise<unknown> {
    const f = this.fileOf(name);
    if (!f) throw new VizNotFoundError(`Dataset '${name}' is not produced yet: ${howToProduce(name)}`, 'NOT_PRODUCED');
    try {
      return await cache.get(name, f.stamp, () => loadInMemory(this.source.catalog!, name));
    } catch (error) {
      throw new VizError(`Could not load dataset '${name}': ${error instanceof Error ? error.message : String(error)}`, { code: 'LOAD_FAILED', httpStatus: 500, cause: error });
    }
  }
}

/** The command that writes a dataset the plots page reads. */
export function howToProduce(name: string): string {
  if (name === datasetNames.metrics) return 'run `dqm run --pipeline strategies_evaluation` (needs the simulator labels)';
  if (name === datasetNames.labels) return 'run `dqm simulate`';
  if (PREDICTIONS.test(name)) return 'run `dqm run --pipeline strategies`';
  return 'run `dqm run`';
}

/** A column as numbers (null where missing or not numeric). */
export function numberColumn(t: Table, name: string): Array<number | null> {
  const col = t.columns[name];
  if (!col) return new Array<number | null>(t.rowCount).fill(null);
  const out = new Array<number | null>(col.length);
  for (let i = 0; i < col.length; i++) {
    const v = col[i];
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    out[i] = Number.isFinite(n) ? n : null;
  }
  return out;
}

/** A column as text ('' where missing). */
export function textColumn(t: Table, name: string): string[] {
  const col = t.columns[name];
  if (!col) return new Array<string>(t.rowCount).fill('');
  return Array.from(col as ArrayLike<unknown>, (v) => (v === null || v === undefined ? '' : String(v)));
}
