/**
 * What a run tells the outside world (CLI progress line, dashboard SSE, run store). A tagged
 * union, so consumers switch on `type` exhaustively. `at` is an ISO-8601 timestamp.
 */
export type RunEvent =
  | { type: 'run_started'; runId: string; pipeline: string; nodes: string[]; at: string }
  | { type: 'node_started'; node: string; index: number; total: number; at: string }
  | { type: 'node_finished'; node: string; durationMs: number; at: string }
  | { type: 'node_failed'; node: string; error: { code: string; message: string }; resumeCommand: string; at: string }
  | { type: 'progress'; node: string; done: number; total: number; unit: string; at: string }
  | { type: 'dataset_saved'; dataset: string; at: string }
  | { type: 'run_finished'; status: 'success' | 'failed'; durationMs: number; at: string };

export type RunEventListener = (event: RunEvent) => void;

export function timestamp(): string {
  return new Date().toISOString();
}
