import type { Pipeline } from '../pipeline';
import { runTask, type TaskContext } from './task';

/** How a runner executes a pipeline's nodes; `runPipeline` does everything around it. */
export interface Runner {
  readonly name: string;
  /** Runs every node; rejects with the first node error once nothing is running any more. */
  run(pipeline: Pipeline, ctx: TaskContext): Promise<void>;
}

/** One node after the other, in topological order, in this thread. */
export class SequentialRunner implements Runner {
  readonly name = 'sequential';

  async run(pipeline: Pipeline, ctx: TaskContext): Promise<void> {
    for (const node of pipeline.nodes) await runTask(node, ctx);
  }
}
