import { DqmError, type ErrorCode } from '../errors';

/** Anything wrong while turning a pipeline into a deployment artefact (workflow, image). */
export class DeployError extends DqmError {
  constructor(message: string, options: { code?: ErrorCode; cause?: unknown } = {}) {
    super(message, { code: options.code ?? 'DEPLOY_ERROR', httpStatus: 400, cause: options.cause });
  }
}
