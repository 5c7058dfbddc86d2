import * as path from 'node:path';
import type { AbstractDataset } from './dataset';
import { DatasetError } from './errors';

/** Which version a versioned dataset reads and writes (Kedro's `Version(load, save)`). */
export interface DatasetVersion {
  load?: string;
  save?: string;
}

/**
 * What the catalog gives every dataset constructor besides its own config: where the project
 * is (relative filepaths resolve against it), its resolved credentials (never put back into
 * the config, so that `describe()` cannot print them), and a way to build nested datasets
 * (PartitionedDataset's partitions) by type name without importing the type registry.
 */
export interface DatasetContext {
  projectRoot: string;
  credentials?: unknown;
  version?: DatasetVersion;
  createDataset?: (config: Record<string, unknown>, ctx?: Partial<DatasetContext>) => AbstractDataset;
}

export type DatasetConstructor<T = unknown> = new (config: Record<string, unknown>, ctx: DatasetContext) => AbstractDataset<T>;

/** A catalog path (relative to the project root, or absolute, or `file://...`) as an absolute path. */
export function resolveDataPath(projectRoot: string, filepath: string): string {
  const local = filepath.startsWith('file://') ? filepath.slice('file://'.length) : filepath;
  return path.isAbsolute(local) ? local : path.resolve(projectRoot, local);
}

/** A config value that must be a non-empty string, with the dataset's own words if not. */
export function requireString(config: Record<string, unknown>, key: string, datasetType: string): string {
  const value = config[key];
  if (typeof value !== 'string' || value === '') {
    throw new DatasetError(`${datasetType} needs '${key}' (a non-empty string), got ${value === undefined ? 'nothing' : JSON.stringify(value)}`);
  }
  return value;
}

/** A config value that must be a mapping (or absent: empty mapping). */
export function optionalMapping(config: Record<string, unknown>, key: string): Record<string, unknown> {
  const value = config[key];
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new DatasetError(`'${key}' must be a mapping, got ${JSON.stringify(value)}`);
  return value as Record<string, unknown>;
}
