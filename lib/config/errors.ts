import { DqmError } from '../errors';

/** Bad configuration: the message names the file (relative to the project root) and the key. */
export class ConfigError extends DqmError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'CONFIG_ERROR', httpStatus: 400, cause: options.cause });
  }
}
