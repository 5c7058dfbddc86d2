export type NodeStatus = 'completed' | 'failed' | 'skipped' | 'not_run';

export interface NodeResult {
  name: string;
  status: NodeStatus;
  /** Wall time of the node (load inputs + call + save outputs); absent if it did not start. */
  durationMs?: number;
  error?: { code: string; message: string };
}

/** The summary of one run, success or not. */
export interface RunResult {
  runId: string;
  pipeline: string;
  status: 'success' | 'failed';
  runner: string;
  /** One entry per node of the pipeline asked for, in topological order. */
  nodes: NodeResult[];
  /** Datasets written during the run, in the order they were saved. */
  datasetsSaved: string[];
  durationMs: number;
  /** Values of pipeline outputs that are not persisted (memory datasets), as Kedro's runner returns them. */
  outputs: Record<string, unknown>;
}
