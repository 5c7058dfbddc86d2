import type { ErrorCode } from '../../errors';
import { DatasetError } from '../errors';

/** Stable codes of the website API failures (in lib/errors' ErrorCode catalogue). */
export type ApiErrorCode = Extract<ErrorCode, `API_${string}`>;

const STATUS: Record<ApiErrorCode, number> = {
  API_CONFIG: 400,
  API_AUTH: 401,
  API_NOT_FOUND: 404,
  API_HTTP: 502,
  API_TIMEOUT: 504,
  API_UNREACHABLE: 502,
  API_BAD_JSON: 502,
  API_BAD_PAGE: 502,
  API_BAD_RECORD: 422,
};

/**
 * Talking to the DQM playground website (or DIALS) failed. A DatasetError, so the catalog and the
 * runner report it like any other dataset failure; the message never contains a token.
 */
export class ApiError extends DatasetError {
  readonly apiCode: ApiErrorCode;
  constructor(code: ApiErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, { code, httpStatus: STATUS[code], cause: options.cause });
    this.apiCode = code;
  }
}
