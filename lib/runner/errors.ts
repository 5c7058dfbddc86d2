import { DqmError, type ErrorCode } from '../errors';
import type { RunResult } from './result';

/** The run could not start or did not finish. */
export class RunnerError extends DqmError {
  constructor(message: string, options: { code?: ErrorCode; cause?: unknown } = {}) {
    super(message, { code: options.code ?? 'RUNNER_ERROR', httpStatus: 400, cause: options.cause });
  }
}

/**
 * A node failed. The message names the node, the error and the command that resumes the run
 * (as Kedro suggests `--from-nodes`); `result` holds what ran before the failure.
 */
export class RunError extends DqmError {
  constructor(
    message: string,
    readonly nodeName: string,
    readonly resumeCommand: string,
    readonly result: RunResult,
    options: { cause?: unknown; code?: ErrorCode } = {},
  ) {
    super(message, { code: options.code ?? 'NODE_FAILED', httpStatus: 500, cause: options.cause });
  }
}
