import { DqmError, type ErrorCode } from '../errors';

/** The project cannot be loaded or a name asked for does not exist in it. */
export class ProjectError extends DqmError {
  constructor(message: string, options: { code?: ErrorCode; cause?: unknown } = {}) {
    super(message, { code: options.code ?? 'PROJECT_ERROR', httpStatus: 400, cause: options.cause });
  }
}
