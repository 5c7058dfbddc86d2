import { isParameter, type Pipeline } from '../pipeline';
import type { DataCatalog } from '../io';

/** The type of a dataset no entry or pattern defines (Kedro's `{default}` runtime pattern). */
export const DEFAULT_DATASET_TYPE = 'MemoryDataset';
export const DEFAULT_PATTERN = '{default}';

/** Dataset type (as written in the catalog) -> dataset names, sorted. */
export type DatasetsByType = Record<string, string[]>;

/** Kedro 1.0's `describe_datasets` for one pipeline. */
export interface PipelineDatasets {
  /** Explicit catalog entries the pipeline uses. */
  datasets: DatasetsByType;
  /** Datasets a factory pattern resolves. */
  factories: DatasetsByType;
  /** Datasets nothing defines: memory datasets for the run. */
  defaults: DatasetsByType;
}

/** `dqm catalog describe-datasets`: each pipeline's datasets (parameters left out), grouped by how they are defined and by type. */
export function describeDatasets(catalog: DataCatalog, pipelines: Record<string, Pipeline>): Record<string, PipelineDatasets> {
  const explicit = new Set(catalog.listDatasets());
  // built as Maps and turned into objects with fromEntries: names like `__proto__` stay plain keys
  return Object.fromEntries(
    Object.entries(pipelines).map(([name, pipeline]) => {
      const groups = { datasets: new Map<string, string[]>(), factories: new Map<string, string[]>(), defaults: new Map<string, string[]>() };
      for (const d of [...pipeline.datasets()].filter((d) => !isParameter(d)).sort()) {
        const group = explicit.has(d) ? groups.datasets : catalog.matchFactory(d) ? groups.factories : groups.defaults;
        const type = group === groups.defaults ? DEFAULT_DATASET_TYPE : String(catalog.describe(d).type);
        group.set(type, [...(group.get(type) ?? []), d]);
      }
      return [name, { datasets: Object.fromEntries(groups.datasets), factories: Object.fromEntries(groups.factories), defaults: Object.fromEntries(groups.defaults) }];
    }),
  );
}

/** `dqm catalog list-patterns`: the factory patterns in matching order, then the default one. */
export function listPatterns(catalog: DataCatalog): string[] {
  const patterns = catalog.listPatterns();
  return patterns.includes(DEFAULT_PATTERN) ? patterns : [...patterns, DEFAULT_PATTERN];
}

/**
 * `dqm catalog resolve-patterns`: every explicit entry, and every dataset of the pipelines as
 * the catalog would build it (factory placeholders filled in; `{type: MemoryDataset}` if nothing
 * defines it), by name.
 */
export function resolvePatterns(catalog: DataCatalog, pipelines: Pipeline[]): Record<string, Record<string, unknown>> {
  const out = new Map<string, Record<string, unknown>>();
  for (const name of catalog.listDatasets()) {
    const config = catalog.resolvedConfig(name);
    if (config) out.set(name, config);
  }
  const used = new Set(pipelines.flatMap((p) => [...p.datasets()]));
  for (const name of [...used].filter((d) => !isParameter(d) && !out.has(d)).sort()) {
    out.set(name, catalog.resolvedConfig(name) ?? { type: DEFAULT_DATASET_TYPE });
  }
  return Object.fromEntries(out);
}
