import { DqmError } from '../errors';

/** Data that does not have the shape its type promises (columns of unequal length, ...). */
export class DataError extends DqmError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'DATA_ERROR', httpStatus: 400, cause: options.cause });
  }
}
