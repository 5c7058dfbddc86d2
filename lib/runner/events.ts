/**
 * What a run tells the outside world (CLI progress line, dashboard SSE, run store). A tagged
 * union, so consumers switch on `type` exhaustively. `at` is an ISO-8601 timestamp.
 */
export type RunEvent =
  | { type: 'run_started'; runId: string; pipeline: string; nodes: string[]; at: string }
  | { type: 'node_started'; node: string; index: number; total: number; at: string }
  | { type: 'node_finished'; node: string; durationMs: number; at: string }
  | {
      type: 'node_failed';
      node: string;
      error: { code: string; message: string };
      resumeCommand: string;
      /** The nodes `resumeCommand` restarts at (`--from-nodes`). */
      resumeFrom?: string[];
      /** The error's stack (source-mapped to the project's .ts files) and its causes. */
      traceback?: string;
      at: string;
    }
  | { type: 'progress'; node: string; done: number; total: number; unit: string; at: string }
  | { type: 'dataset_saved'; dataset: string; at: string }
  /** One line a node wrote (console, stdout, stderr, a process warning), without its newline. */
  | { type: 'log'; node: string; stream: LogStream; text: string; at: string }
  /** A number a node reported with reportMetric. */
  | { type: 'metric'; node: string; name: string; value: number; at: string }
  | { type: 'run_finished'; status: 'success' | 'failed'; durationMs: number; at: string };

/** Where a log line came from; `progress` and `dqm` lines are written by the run store itself. */
export type LogStream = 'stdout' | 'stderr' | 'warning' | 'progress' | 'dqm';

export type RunEventListener = (event: RunEvent) => void;

export function timestamp(): string {
  return new Date().toISOString();
}
