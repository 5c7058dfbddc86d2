import { writeFileAtomic } from '../atomic-write';
import { formatCsv, parseCsv, type CsvOptions } from '../csv';
import type { DatasetContext } from '../dataset-context';
import { DatasetError } from '../errors';
import { isTable, type Table } from '../../data';
import { FileDataset } from './file-dataset';

/**
 * A Table in a CSV file (Kedro's `pandas.CSVDataset`). `load_args`/`save_args`: `sep` (or
 * `delimiter`), `header` (false: no header row). pandas' `index` is accepted and ignored: a
 * Table has no index (Kedro's default is `index: False` too).
 */
export class CSVDataset extends FileDataset<Table> {
  constructor(config: Record<string, unknown>, ctx: DatasetContext) {
    super(config, ctx, 'CSVDataset');
  }

  protected async doLoad(): Promise<Table> {
    return parseCsv((await this.readBytes()).toString('utf8'), csvOptions(this.loadArgs));
  }

  protected async doSave(data: Table): Promise<void> {
    if (!isTable(data)) throw new DatasetError(`CSVDataset saves a Table (see lib/data/table.ts), got ${data === null ? 'null' : typeof data}`);
    await writeFileAtomic(this.path, () => formatCsv(data, csvOptions(this.saveArgs)));
  }
}

function csvOptions(args: Record<string, unknown>): CsvOptions {
  const sep = args.sep ?? args.delimiter;
  if (sep !== undefined && (typeof sep !== 'string' || sep === '')) throw new DatasetError(`'sep' must be a non-empty string, got ${JSON.stringify(sep)}`);
  const header = args.header;
  return { sep: sep as string | undefined, header: header === false || header === null ? false : true };
}
