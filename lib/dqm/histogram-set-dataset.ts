import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { AbstractDataset, DatasetError } from '../io';
import type { AnyHistogramSet, HistogramSet, HistogramSetHeader, HistogramSetLs, LsReadable } from '../data';
import { openFileBackedSet } from './hdf5/file-backed-set';
import { HDF5_SIGNATURE } from './hdf5/h5';
import { readHistogramSetH5 } from './hdf5/read-set';
import { readHistogramSetH5HeaderOffThread, readHistogramSetH5LsOffThread } from './hdf5/read-pool';
import { writeHistogramSetH5 } from './hdf5/write-set';
import { LEGACY_MAGIC, readLegacyHsetFile } from './legacy-hset';
import { HistogramError } from './errors';
import { isHistogramSetStream, type HistogramSetStream } from './stream-histogram-set';

/**
 * `dqm.HistogramSetDataset`: a HistogramSet in an HDF5 file (layout in ./hdf5/layout.ts) that
 * numpy/h5py users open directly. Saves atomically (temp file + rename); `loadLs` reads one
 * lumisection's chunk without the rest. A file in the retired `.hset` format still loads, with
 * one warning per file saying how to convert it.
 *
 * `lazy: true`: load() gives a FileBackedHistogramSet (header in memory, maps read block by block
 * by the kernels) instead of every map; an old `.hset` file still loads whole. save() also takes
 * a HistogramSetStream (data_processing's result): built straight into the file, never whole
 * in memory (stream-histogram-set.ts).
 */
export class HistogramSetDataset extends AbstractDataset<AnyHistogramSet> implements LsReadable {
  private readonly relPath: string;
  private readonly absPath: string;
  private readonly cache: boolean;
  private readonly lazy: boolean;
  /** The last set saved or loaded, while something else keeps it alive: no second copy in memory. */
  private last: { ref: WeakRef<HistogramSet>; mtimeMs: number; size: number } | undefined;

  constructor(config: Record<string, unknown>, ctx: { projectRoot: string }) {
    super();
    const filepath = config.filepath;
    if (typeof filepath !== 'string' || !filepath) {
      throw new DatasetError(`dqm.HistogramSetDataset needs a 'filepath' (got ${JSON.stringify(filepath)})`);
    }
    this.relPath = filepath;
    this.absPath = path.resolve(ctx.projectRoot, filepath);
    this.cache = config.cache !== false;
    if (config.lazy !== undefined && typeof config.lazy !== 'boolean') {
      throw new DatasetError(`dqm.HistogramSetDataset 'lazy' must be true or false (got ${JSON.stringify(config.lazy)})`, { code: 'DATASET_CONFIG' });
    }
    this.lazy = config.lazy === true;
  }

  override get filepath(): string {
    return this.relPath;
  }

  protected async doLoad(): Promise<AnyHistogramSet> {
    if (this.lazy) {
      await this.stat();
      if ((await sniff(this.absPath, 'the file')) === 'hdf5') return openFileBackedSet(this.absPath, this.relPath, 'the file');
    }
    return this.loadWhole();
  }

  private async loadWhole(): Promise<HistogramSet> {
    const stat = await this.stat();
    const cached = this.last?.ref.deref();
    if (this.cache && cached && this.last!.mtimeMs === stat.mtimeMs && this.last!.size === stat.size) return cached;
    const set = await readHistogramSetFile(this.absPath, 'the file', this.relPath);
    this.remember(set, stat);
    return set;
  }

  /** The set without its maps, for previews and stats: read on a worker thread (read-pool.ts). */
  async loadHeader(): Promise<HistogramSetHeader> {
    try {
      await this.stat();
      if ((await sniff(this.absPath, 'the file')) === 'legacy') {
        const { values: _values, kind: _kind, ...header } = await this.loadWhole();
        return header;
      }
      return await readHistogramSetH5HeaderOffThread(this.absPath, 'the file');
    } catch (error) {
      throw this.wrapLoad(error);
    }
  }

  /** One lumisection (index `ls` in file order) and the set's header: one chunk read, not the file, on a worker thread. */
  async loadLs(ls: number): Promise<HistogramSetLs> {
    try {
      await this.stat();
      if ((await sniff(this.absPath, 'the file')) === 'legacy') {
        const { values, kind: _kind, ...header } = await this.loadWhole();
        if (!Number.isInteger(ls) || ls < 0 || ls >= header.run.length) {
          throw new DatasetError(`LS index ${ls} is out of range: the file has ${header.run.length} lumisections`, { code: 'BAD_LS' });
        }
        const size = header.ny * header.nx;
        return { header, ls, map: values.slice(ls * size, (ls + 1) * size) };
      }
      return await readHistogramSetH5LsOffThread(this.absPath, ls, 'the file');
    } catch (error) {
      throw this.wrapLoad(error);
    }
  }

  /**
   * Also takes a stream, parsed into the file here: its errors about the raw input (bad map,
   * no lumisection) are the node's, shown as they are, as when the node built the set itself.
   */
  override async save(data: AnyHistogramSet | HistogramSetStream): Promise<void> {
    if (!isHistogramSetStream(data)) return super.save(data);
    try {
      await data.writeTo(this.absPath, this.relPath);
    } catch (error) {
      throw error instanceof HistogramError ? error : this.wrap('saving data to', error);
    }
    this.last = undefined;
  }

  protected async doSave(data: AnyHistogramSet): Promise<void> {
    if (data.kind === 'block-histogram-set') {
      throw new DatasetError(`cannot save a file-backed set (${data.title}) to ${this.relPath}; materialise() it first`, { code: 'BAD_DATASET' });
    }
    await writeHistogramSetH5(this.absPath, data, this.relPath);
    this.remember(data, await fs.stat(this.absPath));
  }

  protected async doExists(): Promise<boolean> {
    return fs.stat(this.absPath).then(() => true, () => false);
  }

  protected doDescribe(): Record<string, unknown> {
    return { filepath: this.relPath, ...(this.lazy ? { lazy: true } : {}) };
  }

  private async stat(): Promise<{ mtimeMs: number; size: number }> {
    return fs.stat(this.absPath).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') throw new DatasetError(`file not found: ${this.relPath}`, { code: 'DATASET_NOT_FOUND', cause: error });
      throw error;
    });
  }

  /** The same message shape as load()'s, for loadLs (not part of the base wrapper). */
  private wrapLoad(error: unknown): DatasetError {
    const message = error instanceof Error ? error.message : String(error);
    if (error instanceof DatasetError && message.includes(`'${this.name}'`)) return error;
    const code = error instanceof DatasetError ? error.code : undefined;
    return new DatasetError(`Failed while loading data from dataset '${this.name}' (${this.relPath}): ${message}`, { code, cause: error });
  }

  private remember(set: HistogramSet, stat: { mtimeMs: number; size: number }): void {
    this.last = this.cache ? { ref: new WeakRef(set), mtimeMs: stat.mtimeMs, size: stat.size } : undefined;
  }
}

/** Writes a set as HDF5, atomically. */
export function writeHistogramSetFile(file: string, h: HistogramSet): Promise<void> {
  return writeHistogramSetH5(file, h);
}

/** Reads a set from HDF5, or from the retired `.hset` format with a warning naming `warnAs`. */
export async function readHistogramSetFile(file: string, shown = file, warnAs = shown): Promise<HistogramSet> {
  if ((await sniff(file, shown)) === 'legacy') {
    warnLegacy(warnAs);
    return readLegacyHsetFile(file, shown);
  }
  return readHistogramSetH5(file, shown);
}

/** Which format the file is in, from its first bytes; a clear error for anything else. */
async function sniff(file: string, shown: string): Promise<'hdf5' | 'legacy'> {
  const fh = await fs.open(file, 'r');
  const head = Buffer.alloc(8);
  try {
    await fh.read(head, 0, 8, 0);
  } finally {
    await fh.close();
  }
  if (head.equals(HDF5_SIGNATURE)) return 'hdf5';
  if (head.toString('latin1') === LEGACY_MAGIC) return 'legacy';
  throw new DatasetError(`${shown} is not a histogram set: it is neither HDF5 nor the old .hset format (it starts with ${JSON.stringify(head.toString('latin1').replace(/[^\x20-\x7e]/g, '.'))})`, { code: 'CORRUPT_FILE' });
}

const warned = new Set<string>();

/** One line per file and process: the run goes on, the user learns how to move to HDF5. */
function warnLegacy(shown: string): void {
  if (warned.has(shown)) return;
  warned.add(shown);
  process.emitWarning(`${shown} is in the old .hset format; convert it to HDF5 with \`dqm convert ${shown}\` (or re-run the node that writes it).`, 'DqmFormatWarning');
}
