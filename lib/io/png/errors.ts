import { DatasetError } from '../errors';

/** Bytes that are not a PNG, or pixels that cannot become one. */
export class PngError extends DatasetError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'PNG_ERROR', cause: options.cause });
  }
}
