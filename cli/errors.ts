import { DqmError, type ErrorCode } from '../lib/errors';

/** A command-line argument that cannot be used as given. */
export class CliError extends DqmError {
  constructor(message: string, options: { code?: ErrorCode; cause?: unknown } = {}) {
    super(message, { code: options.code ?? 'CLI_ERROR', httpStatus: 400, cause: options.cause });
  }
}
