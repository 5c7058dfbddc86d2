import { writeFileAtomic } from '../atomic-write';
import type { DatasetContext } from '../dataset-context';
import { DatasetError } from '../errors';
import { parquetKinds, readParquet, writeParquet, type ParquetCodec, type ParquetKindName, type ParquetWriteOptions } from '../parquet';
import { FileDataset } from './file-dataset';

const CODECS: Record<string, ParquetCodec> = { snappy: 'SNAPPY', gzip: 'GZIP', none: 'UNCOMPRESSED', uncompressed: 'UNCOMPRESSED', null: 'UNCOMPRESSED' };

/** pandas/pyarrow arguments Kedro catalogs carry that change nothing here. */
const IGNORED_SAVE_ARGS = ['index', 'engine'];
const IGNORED_LOAD_ARGS = ['engine'];

/**
 * Kedro's `pandas.ParquetDataset`: a Table (one parquet column per Table column) or a value of
 * a kind another module registered (lib/dqm: HistogramSets); what a file holds is in its
 * `dqm.kind` metadata, so load returns the same kind that was saved. load_args: `columns`
 * (tables), `kind` ('table' or a registered kind: fail clearly if the file holds another).
 * save_args: `compression` ('snappy', 'gzip' or 'none'; default snappy for tables, the kind's
 * own otherwise), `row_group_size`. Writes are atomic.
 */
export class ParquetDataset extends FileDataset<unknown> {
  private readonly columns: string[] | undefined;
  private readonly kind: ParquetKindName | undefined;
  private readonly writeOptions: ParquetWriteOptions;

  constructor(config: Record<string, unknown>, ctx: DatasetContext) {
    super(config, ctx, 'ParquetDataset');
    const { columns, kind, ...otherLoad } = this.loadArgs;
    unsupported(otherLoad, IGNORED_LOAD_ARGS, 'load_args', ['columns', 'kind']);
    if (columns !== undefined && !(Array.isArray(columns) && columns.every((c) => typeof c === 'string'))) {
      throw new DatasetError(`ParquetDataset load_args.columns must be a list of column names, got ${JSON.stringify(columns)}`);
    }
    if (kind !== undefined && !parquetKinds().includes(kind as string)) {
      throw new DatasetError(`ParquetDataset load_args.kind must be ${parquetKinds().map((k) => `'${k}'`).join(' or ')}, got ${JSON.stringify(kind)}`);
    }
    this.columns = columns as string[] | undefined;
    this.kind = kind as ParquetKindName | undefined;

    const { compression, row_group_size: rowGroupSize, ...otherSave } = this.saveArgs;
    unsupported(otherSave, IGNORED_SAVE_ARGS, 'save_args', ['compression', 'row_group_size']);
    const codec = compression === undefined ? undefined : CODECS[String(compression).toLowerCase()];
    if (compression !== undefined && !codec) {
      throw new DatasetError(`ParquetDataset save_args.compression '${String(compression)}' is not supported (use 'snappy', 'gzip' or 'none')`);
    }
    if (rowGroupSize !== undefined && !(Number.isInteger(rowGroupSize) && (rowGroupSize as number) > 0)) {
      throw new DatasetError(`ParquetDataset save_args.row_group_size must be a positive integer, got ${JSON.stringify(rowGroupSize)}`);
    }
    this.writeOptions = { codec, rowGroupSize: rowGroupSize as number | undefined };
  }

  protected async doLoad(): Promise<unknown> {
    return readParquet(await this.readBytes(), { columns: this.columns, expect: this.kind });
  }

  protected async doSave(data: unknown): Promise<void> {
    // a thunk: if encoding fails, the old file stays as it was
    await writeFileAtomic(this.path, () => writeParquet(data, this.writeOptions));
  }
}

function unsupported(args: Record<string, unknown>, ignored: string[], which: string, supported: string[]): void {
  for (const key of Object.keys(args)) {
    if (!ignored.includes(key)) {
      throw new DatasetError(`ParquetDataset ${which} '${key}' is not supported (supported: ${[...supported, ...ignored].join(', ')})`);
    }
  }
}
