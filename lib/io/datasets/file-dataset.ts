import { promises as fs } from 'node:fs';
import { AbstractDataset } from '../dataset';
import type { ReusableBuffer } from '../reusable-buffer';
import { DatasetError } from '../errors';
import { requireString, resolveDataPath, type DatasetContext } from '../dataset-context';

/**
 * Shared by datasets that persist to one file: the configured `filepath` (shown in messages,
 * relative to the project root as written in the catalog) and its absolute `path`.
 * `exists` is "the file is there".
 */
export abstract class FileDataset<T> extends AbstractDataset<T> {
  protected readonly configuredPath: string;
  protected readonly path: string;
  protected readonly loadArgs: Record<string, unknown>;
  protected readonly saveArgs: Record<string, unknown>;

  constructor(config: Record<string, unknown>, ctx: DatasetContext, typeName: string) {
    super();
    this.configuredPath = requireString(config, 'filepath', typeName);
    this.path = resolveDataPath(ctx.projectRoot, this.configuredPath);
    this.loadArgs = { ...((config.load_args as Record<string, unknown> | undefined) ?? {}) };
    this.saveArgs = { ...((config.save_args as Record<string, unknown> | undefined) ?? {}) };
  }

  override get filepath(): string {
    return this.configuredPath;
  }

  protected async doExists(): Promise<boolean> {
    const stat = await fs.stat(this.path).catch(() => undefined);
    return stat?.isFile() ?? false;
  }

  protected doDescribe(): Record<string, unknown> {
    const out: Record<string, unknown> = { filepath: this.configuredPath };
    if (Object.keys(this.loadArgs).length) out.load_args = this.loadArgs;
    if (Object.keys(this.saveArgs).length) out.save_args = this.saveArgs;
    return out;
  }

  /** Reads the file; a missing file gets a message with the path (not a bare ENOENT). */
  protected async readBytes(into?: ReusableBuffer): Promise<Buffer> {
    try {
      return await (into ? into.readFile(this.path) : fs.readFile(this.path));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new MissingFileError(error);
      }
      throw error;
    }
  }
}

/** The dataset's file does not exist (yet): the message says which path was expected. */
export class MissingFileError extends DatasetError {
  constructor(cause?: unknown) {
    // the dataset wrapper prefixes the dataset name and its filepath
    super(`the file does not exist (run the node that produces it first, or check 'filepath' in the catalog)`, { code: 'DATASET_FILE_NOT_FOUND', httpStatus: 404, cause });
  }
}
