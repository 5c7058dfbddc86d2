import { DatasetError } from '../errors';
import type { DatasetContext } from '../dataset-context';
import { pandasPickleChunks, readPandasPickle } from '../pickle';
import { writeChunksAtomic } from '../pickle/write-chunks';
import { isTable, type Table } from '../../data';
import { FileDataset } from './file-dataset';
import type { LoadsIntoBuffer, ReusableBuffer } from '../reusable-buffer';

/**
 * pickle.load/dump keyword arguments Kedro passes through that change nothing for DataFrames,
 * and ours: `text_as_bytes: true` loads long ASCII texts as Uint8Array views into the file
 * (no JS strings; the DQM raw maps are parsed straight from those bytes).
 */
const LOAD_ARGS = ['encoding', 'errors', 'fix_imports', 'text_as_bytes'];
const SAVE_ARGS = ['protocol', 'fix_imports'];

/**
 * Kedro's `pickle.PickleDataset` for what the DQM project pickles: pandas DataFrames.
 * Loads a DataFrame pickle (protocols 2-5) into a Table and saves a Table as the protocol-5
 * pickle pandas writes (see lib/io/pickle), atomically. `backend` other than `pickle` and
 * pickled objects that are not DataFrames are errors that say so.
 */
export class PickleDataset extends FileDataset<Table> implements LoadsIntoBuffer<Table> {
  constructor(config: Record<string, unknown>, ctx: DatasetContext) {
    super(config, ctx, 'PickleDataset');
    const backend = config.backend ?? 'pickle';
    if (backend !== 'pickle') {
      throw new DatasetError(`PickleDataset backend '${String(backend)}' is not supported (only 'pickle': pandas DataFrame pickles)`);
    }
    checkArgs(this.loadArgs, LOAD_ARGS, 'load_args');
    checkArgs(this.saveArgs, SAVE_ARGS, 'save_args');
    const asBytes = this.loadArgs.text_as_bytes;
    if (asBytes !== undefined && typeof asBytes !== 'boolean') {
      throw new DatasetError(`PickleDataset load_args.text_as_bytes must be true or false, got ${JSON.stringify(asBytes)}`);
    }
    const protocol = this.saveArgs.protocol;
    if (protocol !== undefined && protocol !== 5 && protocol !== -1) {
      throw new DatasetError(`PickleDataset save_args.protocol ${JSON.stringify(protocol)} is not supported: it writes protocol 5 (Python >= 3.8, pandas >= 1.0)`);
    }
  }

  protected async doLoad(): Promise<Table> {
    return this.decode(await this.readBytes());
  }

  /**
   * load(), the file read into `buffer`. With text_as_bytes the table's texts are views of
   * those bytes: valid until the buffer's next read (the raw-map partitions, read one after
   * the other: lib/dqm/raw-partitions.ts).
   */
  loadInto(buffer: ReusableBuffer): Promise<Table> {
    return this.loading(async () => this.decode(await this.readBytes(buffer)));
  }

  private decode(bytes: Buffer): Table {
    return readPandasPickle(bytes, { textAsBytes: this.loadArgs.text_as_bytes === true });
  }

  protected async doSave(data: Table): Promise<void> {
    if (!isTable(data)) {
      throw new DatasetError(`PickleDataset saves a Table (a pandas DataFrame), got ${describeValue(data)}`);
    }
    await writeChunksAtomic(this.path, pandasPickleChunks(data));
  }

  protected override doDescribe(): Record<string, unknown> {
    return { ...super.doDescribe(), format: 'pandas DataFrame pickle' };
  }
}

function checkArgs(args: Record<string, unknown>, allowed: string[], which: string): void {
  for (const key of Object.keys(args)) {
    if (!allowed.includes(key)) {
      throw new DatasetError(`PickleDataset ${which} '${key}' is not supported (supported: ${allowed.join(', ')})`);
    }
  }
}

export function describeValue(data: unknown): string {
  if (data === null) return 'null';
  if (typeof data !== 'object') return `a ${typeof data}`;
  const kind = (data as { kind?: unknown }).kind;
  if (typeof kind === 'string') return `a ${kind}`;
  return Array.isArray(data) ? 'an array' : `a ${data.constructor?.name ?? 'object'}`;
}
