import { DatasetError } from '../errors';

/** A parquet file we cannot read as asked, or data we cannot write as parquet. */
export class ParquetError extends DatasetError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'PARQUET_ERROR', cause: options.cause });
  }
}
