import { DatasetError } from '../errors';

/**
 * A pickle we cannot read or a value we cannot write as one. The message says what is wrong
 * and where (byte offset, column); the dataset wrapper adds the dataset name and file.
 */
export class PickleError extends DatasetError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'PICKLE_ERROR', cause: options.cause });
  }
}
