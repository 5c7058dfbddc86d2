/**
 * What the runner needs from a catalog. `DataCatalog` (lib/io) satisfies it; the runner depends
 * on this shape only, so it stays independent of how datasets are configured.
 */
export interface RunnerCatalog {
  load(name: string): Promise<unknown>;
  save(name: string, data: unknown): Promise<void>;
  has(name: string): boolean;
  release(name: string): void | Promise<void>;
  getDataset(name: string): RunnerDataset;
  listDatasets(): string[];
}

export interface RunnerDataset {
  readonly persisted: boolean;
  readonly filepath?: string | undefined;
  exists(): Promise<boolean>;
}

/** True if the dataset outlives the run (a catalog entry that writes somewhere). Parameters count as persisted. */
export function isPersisted(catalog: RunnerCatalog, dataset: string): boolean {
  if (dataset === 'parameters' || dataset.startsWith('params:')) return true;
  return catalog.has(dataset) && catalog.getDataset(dataset).persisted;
}
