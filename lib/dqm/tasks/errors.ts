import { DqmError } from '../../errors';

/** A lumi mask (Golden JSON or `run,lumisection` CSV) is malformed. The message names file, run and range. */
export class LumiMaskError extends DqmError {
  readonly file: string;
  readonly run: string | undefined;
  constructor(message: string, where: { file: string; run?: string }, options: { cause?: unknown } = {}) {
    super(message, { code: 'LUMI_MASK_ERROR', httpStatus: 400, cause: options.cause });
    this.file = where.file;
    this.run = where.run;
  }
}

/** A task file (`conf/base/tasks/*.yml|json`) is malformed or selects nothing. The message names file and key. */
export class TaskError extends DqmError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'TASK_ERROR', httpStatus: 400, cause: options.cause });
  }
}
