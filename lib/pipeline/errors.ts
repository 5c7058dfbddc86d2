import { DqmError, type ErrorCode } from '../errors';

/** A node or pipeline that cannot be built or filtered as asked. */
export class PipelineError extends DqmError {
  constructor(message: string, options: { code?: ErrorCode; cause?: unknown } = {}) {
    super(message, { code: options.code ?? 'PIPELINE_ERROR', httpStatus: 400, cause: options.cause });
  }
}

/** The graph has a cycle; `cycle` lists the node names on it, in order. */
export class CircularDependencyError extends PipelineError {
  constructor(readonly cycle: string[]) {
    super(`Circular dependencies exist among these nodes: ${cycle.join(' -> ')}`, { code: 'CIRCULAR_DEPENDENCY' });
  }
}

/** Two nodes write the same dataset. */
export class OutputNotUniqueError extends PipelineError {
  constructor(dataset: string, nodes: string[]) {
    super(`Output '${dataset}' is produced by more than one node: ${nodes.join(', ')}`, { code: 'OUTPUT_NOT_UNIQUE' });
  }
}

/** A node's function threw, or returned something that does not match its outputs. */
export class NodeError extends DqmError {
  constructor(message: string, readonly nodeName: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'NODE_ERROR', httpStatus: 500, cause: options.cause });
  }
}
