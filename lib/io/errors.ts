import { DqmError, type ErrorCode } from '../errors';

/** Loading, saving or configuring a dataset failed. The message names the dataset. */
export class DatasetError extends DqmError {
  constructor(message: string, options: { code?: ErrorCode; httpStatus?: number; cause?: unknown } = {}) {
    super(message, { code: options.code ?? 'DATASET_ERROR', httpStatus: options.httpStatus ?? 500, cause: options.cause });
  }
}

/** A catalog entry or a dataset name that does not exist. */
export class DatasetNotFoundError extends DatasetError {
  constructor(message: string) {
    super(message, { code: 'DATASET_NOT_FOUND', httpStatus: 404 });
  }
}
