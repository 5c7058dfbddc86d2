import { didYouMean, suggestion } from '../errors';
import type { AbstractDataset } from './dataset';
import type { DatasetConstructor, DatasetContext } from './dataset-context';
import { DatasetError } from './errors';
import { apiEntrySchema } from './api/options';
import { APIDataset } from './datasets/api-dataset';
import { CSVDataset } from './datasets/csv-dataset';
import { ImageDataset } from './datasets/image-dataset';
import { JSONDataset } from './datasets/json-dataset';
import { LazyDataset } from './datasets/lazy-dataset';
import { MemoryDataset } from './datasets/memory-dataset';
import { ParquetDataset } from './datasets/parquet-dataset';
import { PartitionedDataset } from './datasets/partitioned-dataset';
import { PickleDataset } from './datasets/pickle-dataset';
import { PlotlyDataset } from './datasets/plotly-dataset';
import { TextDataset } from './datasets/text-dataset';

/** `keys`: the entry keys the type takes (besides CATALOG_KEYS); undefined: any (a plugin that did not say). */
type Registered = ({ ctor: DatasetConstructor } | { loader: () => Promise<DatasetConstructor> }) & { keys?: readonly string[] };

/** Keys the catalog reads for every entry, whatever its type. */
export const CATALOG_KEYS: readonly string[] = ['type', 'layer', 'metadata', 'credentials', 'versioned'];
/** Keys of a dataset stored in one file (`fs_args`: Kedro's fsspec options, accepted and unused on local disk). */
export const FILE_DATASET_KEYS: readonly string[] = ['filepath', 'load_args', 'save_args', 'fs_args'];

/** Canonical type name -> class (or a loader importing it on first use). */
const registry = new Map<string, Registered>();

/**
 * The name under which a catalog `type:` is looked up. Kedro spellings map to ours:
 * package prefixes (`kedro_datasets.`, `kedro.extras.datasets.`, `kedro.io.`, our `io.`) are
 * dropped and `DataSet` (kedro-datasets < 2.0) becomes `Dataset`, so `pickle.PickleDataSet`,
 * `kedro_datasets.pickle.PickleDataset` and `pickle.PickleDataset` are the same type.
 */
export function canonicalTypeName(typeName: string): string {
  return typeName
    .trim()
    .replace(/^(kedro_datasets\.|kedro\.extras\.datasets\.|kedro\.io\.|io\.)/, '')
    .replace(/DataSet$/, 'Dataset');
}

/** Registers a dataset class under a type name (any spelling: it is canonicalised). */
export function registerDatasetType(typeName: string, ctor: DatasetConstructor, keys?: readonly string[]): void {
  registry.set(canonicalTypeName(typeName), { ctor, keys });
}

/** Registers a type whose class is imported on first use (see LazyDataset). */
export function registerLazyDatasetType(typeName: string, loader: () => Promise<DatasetConstructor>, keys?: readonly string[]): void {
  registry.set(canonicalTypeName(typeName), { loader, keys });
}

export function isKnownDatasetType(typeName: string): boolean {
  return registry.has(canonicalTypeName(typeName));
}

/** Every supported type name (canonical spelling), sorted. */
export function supportedDatasetTypes(): string[] {
  return [...registry.keys()].sort();
}

/**
 * Builds a dataset of a registered type. An unknown type throws a DatasetError naming it,
 * with the closest supported names; `where` says which catalog entry asked for it.
 */
export function createDataset(typeName: string, config: Record<string, unknown>, ctx: DatasetContext, where = `Dataset type '${typeName}'`): AbstractDataset {
  const found = registry.get(canonicalTypeName(typeName));
  if (!found) throw unknownTypeError(typeName, where);
  if (found.keys) checkKeys(typeName, config, found.keys, where);
  if ('ctor' in found) return new found.ctor(config, ctx);
  return new LazyDataset(typeName, found.loader, config, ctx);
}

/**
 * Kedro fails on an unexpected dataset argument (`__init__() got an unexpected keyword
 * argument 'versoned'`); a key we silently ignored would leave `versoned: true` unversioned.
 */
function checkKeys(typeName: string, config: Record<string, unknown>, keys: readonly string[], where: string): void {
  const allowed = [...new Set([...CATALOG_KEYS, ...keys])].sort();
  const unknown = Object.keys(config).filter((k) => !allowed.includes(k));
  if (!unknown.length) return;
  const each = unknown.map((k) => `'${k}'${suggestion(k, allowed).replace(/^ Did you mean (.*)\?$/, ' (did you mean $1?)')}`);
  throw new DatasetError(`${where} has unknown key${unknown.length > 1 ? 's' : ''} ${each.join(', ')} for type '${typeName}'. Keys it takes: ${allowed.join(', ')}`, { code: 'DATASET_CONFIG' });
}

export function unknownTypeError(typeName: string, where: string): DatasetError {
  const supported = supportedDatasetTypes();
  const close = didYouMean(canonicalTypeName(typeName), supported);
  const hint = close.length ? ` Did you mean ${close.map((c) => `'${c}'`).join(' or ')}?` : '';
  return new DatasetError(`${where} has unknown type '${typeName}'. Supported types: ${supported.join(', ')}.${hint}`, { code: 'DATASET_TYPE_UNKNOWN' });
}

// Ours and Kedro's names for the same classes, with the keys each takes.
for (const name of ['MemoryDataset']) registerDatasetType(name, MemoryDataset as DatasetConstructor, ['data', 'copy_mode']);
for (const name of ['JSONDataset', 'json.JSONDataset', 'tracking.JSONDataset', 'tracking.MetricsDataset']) registerDatasetType(name, JSONDataset as DatasetConstructor, FILE_DATASET_KEYS);
for (const name of ['TextDataset', 'text.TextDataset']) registerDatasetType(name, TextDataset, FILE_DATASET_KEYS);
for (const name of ['CSVDataset', 'pandas.CSVDataset']) registerDatasetType(name, CSVDataset, FILE_DATASET_KEYS);
for (const name of ['PlotlyDataset', 'plotly.JSONDataset', 'plotly.PlotlyDataset']) registerDatasetType(name, PlotlyDataset as DatasetConstructor, FILE_DATASET_KEYS);
for (const name of ['PartitionedDataset', 'partitions.PartitionedDataset']) registerDatasetType(name, PartitionedDataset as DatasetConstructor, ['path', 'filepath', 'dataset', 'filename_suffix', 'overwrite', 'fs_args']);
for (const name of ['PickleDataset', 'pickle.PickleDataset']) registerDatasetType(name, PickleDataset, [...FILE_DATASET_KEYS, 'backend']);
for (const name of ['ParquetDataset', 'pandas.ParquetDataset']) registerDatasetType(name, ParquetDataset as DatasetConstructor, FILE_DATASET_KEYS);
// Kedro's MatplotlibWriter saves figures as images; our nodes render PNGs (lib/io/png) instead
for (const name of ['ImageDataset', 'pillow.ImageDataset', 'matplotlib.MatplotlibWriter']) registerDatasetType(name, ImageDataset as DatasetConstructor, FILE_DATASET_KEYS);
for (const name of ['APIDataset', 'api.APIDataset']) registerDatasetType(name, APIDataset as DatasetConstructor, Object.keys(apiEntrySchema.shape));
// Types of other modules register themselves when imported: lib/dqm adds dqm.HistogramSetDataset.
