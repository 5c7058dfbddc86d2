import { DqmError, type ErrorCode } from '../errors';

/** The run store could not be opened, migrated or written. */
export class RunStoreError extends DqmError {
  constructor(message: string, options: { code?: ErrorCode; cause?: unknown } = {}) {
    super(message, { code: options.code ?? 'RUN_STORE_ERROR', httpStatus: 500, cause: options.cause });
  }
}

/** No run with that id in the store. */
export class RunNotFoundError extends DqmError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'RUN_NOT_FOUND', httpStatus: 404, cause: options.cause });
  }
}

/** A second run was asked for while one is running in the same project. */
export class RunConflictError extends DqmError {
  constructor(
    message: string,
    readonly runningId: string,
    options: { cause?: unknown } = {},
  ) {
    super(message, { code: 'RUN_CONFLICT', httpStatus: 409, cause: options.cause });
  }
}

/** A run request (API body, options) that cannot be run as given. */
export class RunRequestError extends DqmError {
  constructor(message: string, options: { code?: ErrorCode; cause?: unknown } = {}) {
    super(message, { code: options.code ?? 'BAD_RUN_REQUEST', httpStatus: 400, cause: options.cause });
  }
}
