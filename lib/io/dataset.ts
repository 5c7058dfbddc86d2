import { messageOf } from '../errors';
import { DatasetError } from './errors';

/** Catalog metadata kept for the dashboard: `layer` and any custom `metadata:` keys. */
export interface DatasetMetadata {
  layer?: string;
  [key: string]: unknown;
}

/**
 * The one wrapper every dataset shares (Kedro's AbstractDataset): the public load/save/exists
 * call the subclass's small doLoad/doSave/doExists and turn any failure into a DatasetError
 * that names the dataset. One dataset class per file in ./datasets.
 */
export abstract class AbstractDataset<T = unknown> {
  /** The catalog entry name; set by the catalog, used in every message. */
  name = '<unnamed>';
  metadata: DatasetMetadata = {};

  async load(): Promise<T> {
    return this.loading(() => this.doLoad());
  }

  async save(data: T): Promise<void> {
    if (data === undefined) {
      throw new DatasetError(`Saving 'undefined' to dataset '${this.name}' is not allowed (did the node return a value?)`);
    }
    try {
      await this.doSave(data);
    } catch (error) {
      throw this.wrap('saving data to', error);
    }
  }

  async exists(): Promise<boolean> {
    try {
      return await this.doExists();
    } catch (error) {
      throw this.wrap('checking whether data exists in', error);
    }
  }

  /** What the dataset is, for messages, `dqm catalog list` and the dashboard (never credentials). */
  describe(): Record<string, unknown> {
    return { type: this.constructor.name, ...this.doDescribe() };
  }

  /** The file or folder it persists to, relative to the project root, if it persists at all. */
  get filepath(): string | undefined {
    return undefined;
  }

  /** Drops any data held in memory (MemoryDataset); a no-op for datasets that persist. */
  release(): void {}

  /** False for datasets whose data lives only in memory for the run. */
  get persisted(): boolean {
    return true;
  }

  protected abstract doLoad(): Promise<T>;
  protected abstract doSave(data: T): Promise<void>;
  protected abstract doExists(): Promise<boolean>;
  protected abstract doDescribe(): Record<string, unknown>;

  /** A load of a subclass's own (e.g. PickleDataset.loadInto), its failure worded as load's. */
  protected async loading<R>(load: () => Promise<R>): Promise<R> {
    try {
      return await load();
    } catch (error) {
      throw this.wrap('loading data from', error);
    }
  }

  protected wrap(action: string, error: unknown): DatasetError {
    if (error instanceof DatasetError && error.message.includes(`'${this.name}'`)) return error;
    const message = messageOf(error);
    // a reader's message that starts with the file (`data/x.csv: line 4 ...`) need not repeat it
    const where = this.filepath && !message.startsWith(`${this.filepath}:`) ? ` (${this.filepath})` : '';
    const code = error instanceof DatasetError ? error.code : undefined;
    return new DatasetError(`Failed while ${action} dataset '${this.name}'${where}: ${message}`, { code, cause: error });
  }
}
