import { DqmError } from '../../errors';

/** A strategy cannot be fitted or applied (empty develop set, bad parameter, shape mismatch). */
export class StrategyError extends DqmError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'STRATEGY_ERROR', httpStatus: 400, cause: options.cause });
  }
}
