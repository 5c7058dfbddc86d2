import { DqmError, type ErrorCode } from '../errors';

/** The dashboard could not build, load or serve a graph as asked. */
export class VizError extends DqmError {
  constructor(message: string, options: { code?: ErrorCode; httpStatus?: number; cause?: unknown } = {}) {
    super(message, { code: options.code ?? 'VIZ_ERROR', httpStatus: options.httpStatus ?? 400, cause: options.cause });
  }
}

/** A node or pipeline id the graph does not have (404 in the API). */
export class VizNotFoundError extends VizError {
  constructor(message: string, code: ErrorCode = 'NOT_FOUND') {
    super(message, { code, httpStatus: 404 });
  }
}
