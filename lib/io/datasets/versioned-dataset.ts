import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { AbstractDataset } from '../dataset';
import { resolveDataPath } from '../dataset-context';
import { DatasetError } from '../errors';

/** Kedro's version string: the UTC time of the save, `YYYY-MM-DDThh.mm.ss.sssZ` (sorts by time). */
export function generateTimestamp(date: Date = new Date()): string {
  return date.toISOString().replace(/:/g, '.');
}

export const VERSION_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}\.\d{2}\.\d{2}\.\d{3}Z$/;

/**
 * `versioned: true` (Kedro): every save goes to `<filepath>/<version>/<basename>`, e.g.
 * `data/06_models/model.json/2024-05-01T10.00.00.000Z/model.json`; a load reads the latest
 * version, or the one pinned by `--load-versions name:version`. A version is never
 * overwritten. Wraps the real dataset, which is built per version by `makeDataset(filepath)`.
 */
export class VersionedDataset<T = unknown> extends AbstractDataset<T> {
  private lastSaved: string | undefined;

  constructor(
    private readonly baseFilepath: string,
    private readonly projectRoot: string,
    private readonly makeDataset: (filepath: string) => AbstractDataset<T>,
    private readonly loadVersion?: string,
    private readonly saveVersion?: string,
  ) {
    super();
  }

  override get filepath(): string {
    return this.baseFilepath;
  }

  /** Saved versions, oldest first. */
  async listVersions(): Promise<string[]> {
    const dir = resolveDataPath(this.projectRoot, this.baseFilepath);
    const names = await fs.readdir(dir).catch(() => [] as string[]);
    const out: string[] = [];
    for (const name of names.sort()) {
      if (!VERSION_PATTERN.test(name)) continue;
      const stat = await fs.stat(path.join(dir, name, path.basename(this.baseFilepath))).catch(() => undefined);
      if (stat) out.push(name);
    }
    return out;
  }

  /** The version a load reads: the pinned one, else the latest saved. */
  async resolveLoadVersion(): Promise<string> {
    const versions = await this.listVersions();
    if (this.loadVersion !== undefined) {
      if (!versions.includes(this.loadVersion)) {
        throw new DatasetError(
          `version '${this.loadVersion}' does not exist; available versions: ${versions.length ? versions.join(', ') : 'none (nothing saved yet)'}`,
          { code: 'DATASET_VERSION_NOT_FOUND', httpStatus: 404 },
        );
      }
      return this.loadVersion;
    }
    const latest = versions[versions.length - 1];
    if (latest === undefined) {
      throw new DatasetError(`no version has been saved yet under ${this.baseFilepath}/`, { code: 'DATASET_FILE_NOT_FOUND', httpStatus: 404 });
    }
    return latest;
  }

  protected async doLoad(): Promise<T> {
    return this.inner(await this.resolveLoadVersion()).load();
  }

  protected async doSave(data: T): Promise<void> {
    const version = this.saveVersion ?? generateTimestamp();
    const inner = this.inner(version);
    if (await inner.exists()) {
      throw new DatasetError(`version '${version}' already exists (${this.versionPath(version)}); a versioned dataset never overwrites a saved version`);
    }
    await inner.save(data);
    this.lastSaved = version;
  }

  protected async doExists(): Promise<boolean> {
    if (this.loadVersion !== undefined) return (await this.listVersions()).includes(this.loadVersion);
    return (await this.listVersions()).length > 0;
  }

  protected doDescribe(): Record<string, unknown> {
    const inner = this.makeDataset(this.baseFilepath);
    const { type: innerType, ...rest } = inner.describe();
    return { ...rest, dataset: innerType, filepath: this.baseFilepath, versioned: true, load_version: this.loadVersion, save_version: this.saveVersion ?? this.lastSaved };
  }

  private versionPath(version: string): string {
    return `${this.baseFilepath}/${version}/${path.basename(this.baseFilepath)}`;
  }

  private inner(version: string): AbstractDataset<T> {
    const ds = this.makeDataset(this.versionPath(version));
    ds.name = this.name;
    ds.metadata = this.metadata;
    return ds;
  }
}
