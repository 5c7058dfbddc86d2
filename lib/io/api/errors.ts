import { DatasetError } from '../errors';

/** Stable codes of the website API failures (API responses and tests rely on them). */
export type ApiErrorCode =
  | 'API_CONFIG'
  | 'API_AUTH'
  | 'API_NOT_FOUND'
  | 'API_HTTP'
  | 'API_TIMEOUT'
  | 'API_UNREACHABLE'
  | 'API_BAD_JSON'
  | 'API_BAD_PAGE'
  | 'API_BAD_RECORD';

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
