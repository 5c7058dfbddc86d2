import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { withAtomicPath } from '../atomic-write';
import { messageOf } from '../../errors';
import { AbstractDataset } from '../dataset';
import { resolveDataPath, type DatasetContext } from '../dataset-context';
import { DatasetError } from '../errors';
import { loadsIntoBuffer, type ReusableBuffer } from '../reusable-buffer';

/**
 * One partition's loader. `filepath` (project-relative) lets a node name the file in its
 * messages (e.g. "data/01_raw/pixel_layer_1/Run_1.pkl has 0 rows"); Kedro's loaders are bare
 * callables, so a node must not rely on it.
 */
export type PartitionLoader<T> = (() => Promise<T>) & {
  readonly filepath?: string;
  /** The load with the file read into a buffer of the caller's (partitions of PickleDataset): see ReusableBuffer. */
  readonly loadInto?: (buffer: ReusableBuffer) => Promise<T>;
};
/** What a PartitionedDataset loads: partition id -> a function that loads that partition. */
export type Partitions<T> = Record<string, PartitionLoader<T>>;
/** What it saves: partition id -> value, or a function producing it (computed one at a time). */
export type PartitionsToSave<T> = Record<string, T | (() => T | Promise<T>)>;

/**
 * A folder of files of one dataset type (Kedro's `partitions.PartitionedDataset`):
 * `path` (folder), `dataset` (a type name or `{type, ...config}`), `filename_suffix` (e.g.
 * `.csv`, stripped from partition ids), `overwrite` (replace all old partitions on save).
 * Loading is lazy as in Kedro: the node gets `{ id: () => Promise<data> }` and reads only what
 * it needs, so a folder of hundreds of runs does not have to fit in memory at once.
 * Partition ids are paths relative to the folder with forward slashes (`run1/layer_2`).
 */
export class PartitionedDataset<T = unknown> extends AbstractDataset<Partitions<T>> {
  private readonly folder: string;
  private readonly absFolder: string;
  private readonly suffix: string;
  private readonly overwrite: boolean;
  private readonly datasetConfig: Record<string, unknown>;
  private readonly ctx: DatasetContext;

  constructor(config: Record<string, unknown>, ctx: DatasetContext) {
    super();
    const folder = config.path ?? config.filepath;
    if (typeof folder !== 'string' || folder === '') throw new DatasetError(`PartitionedDataset needs 'path' (the folder of partitions)`);
    const dataset = config.dataset;
    if (typeof dataset === 'string') this.datasetConfig = { type: dataset };
    else if (typeof dataset === 'object' && dataset !== null && typeof (dataset as { type?: unknown }).type === 'string') {
      this.datasetConfig = { ...(dataset as Record<string, unknown>) };
    } else throw new DatasetError(`PartitionedDataset needs 'dataset': a dataset type name or a mapping with 'type'`);
    if ('filepath' in this.datasetConfig) {
      throw new DatasetError(`PartitionedDataset's 'dataset' must not set 'filepath' (each partition's path is derived from 'path' and the partition id)`);
    }
    const suffix = config.filename_suffix ?? '';
    if (typeof suffix !== 'string') throw new DatasetError(`'filename_suffix' must be a string`);
    if (!ctx.createDataset) throw new DatasetError('PartitionedDataset must be created by the DataCatalog (it needs the dataset types)');
    this.folder = folder;
    this.absFolder = resolveDataPath(ctx.projectRoot, folder);
    this.suffix = suffix;
    this.overwrite = config.overwrite === true;
    this.ctx = ctx;
    this.partition('probe'); // an unknown partition type fails when the catalog is built, not mid-run
  }

  override get filepath(): string {
    return this.folder;
  }

  /** Partition ids present in the folder, sorted. */
  async listPartitions(): Promise<string[]> {
    const files = await walk(this.absFolder, '');
    return files
      .filter((rel) => rel.endsWith(this.suffix) && !/\.tmp-\d+-[0-9a-f]+/.test(rel))
      .map((rel) => rel.slice(0, rel.length - this.suffix.length))
      .filter((id) => id !== '')
      .sort();
  }

  protected async doLoad(): Promise<Partitions<T>> {
    const ids = await this.listPartitions();
    if (ids.length === 0) {
      throw new DatasetError(`no partitions found in ${this.folder}/${this.suffix ? ` (files ending in '${this.suffix}')` : ''}`, { code: 'DATASET_FILE_NOT_FOUND', httpStatus: 404 });
    }
    const out: Partitions<T> = {};
    for (const id of ids) {
      const ds = this.partition(id);
      const into = loadsIntoBuffer<T>(ds) ? { loadInto: (buffer: ReusableBuffer) => ds.loadInto(buffer) } : {};
      out[id] = Object.assign(() => ds.load(), { filepath: ds.filepath }, into);
    }
    return out;
  }

  /**
   * Writes each partition (each file atomically). With `overwrite: true` the whole folder is
   * replaced atomically: partitions go to a temp folder swapped in at the end, so a failure
   * half-way leaves the previous partitions as they were.
   */
  protected async doSave(data: Partitions<T> | PartitionsToSave<T>): Promise<void> {
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new DatasetError(`PartitionedDataset saves a mapping of partition id -> data, got ${Array.isArray(data) ? 'a list' : typeof data}`);
    }
    for (const id of Object.keys(data)) {
      if (id === '' || id.split('/').some((part) => part === '..' || part === '' || part === '.')) {
        throw new DatasetError(`invalid partition id '${id}' (ids are relative paths inside the folder)`);
      }
    }
    const writeAll = async (folder: string) => {
      for (const [id, value] of Object.entries(data)) {
        try {
          const resolved = typeof value === 'function' ? await (value as () => T | Promise<T>)() : value;
          await this.partition(id, folder).save(resolved as T);
        } catch (error) {
          // name the partition, not the temp folder it was being written to
          const reason = error instanceof DatasetError && error.cause !== undefined ? error.cause : error;
          throw new DatasetError(`partition '${id}': ${messageOf(reason)}`, { cause: error });
        }
      }
    };
    if (this.overwrite) await withAtomicPath(this.absFolder, writeAll);
    else await writeAll(this.folder);
  }

  protected async doExists(): Promise<boolean> {
    return (await this.listPartitions()).length > 0;
  }

  protected doDescribe(): Record<string, unknown> {
    return { path: this.folder, dataset: this.datasetConfig.type, filename_suffix: this.suffix || undefined };
  }

  private partition(id: string, folder = this.folder): AbstractDataset<T> {
    const ds = this.ctx.createDataset!({ ...this.datasetConfig, filepath: `${folder}/${id}${this.suffix}` }, { credentials: this.ctx.credentials }) as AbstractDataset<T>;
    ds.name = `${this.name}[${id}]`;
    return ds;
  }
}

async function walk(root: string, rel: string): Promise<string[]> {
  const entries = await fs.readdir(rel ? path.join(root, rel) : root, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const child = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await walk(root, child)));
    else if (e.isFile()) out.push(child);
  }
  return out;
}
