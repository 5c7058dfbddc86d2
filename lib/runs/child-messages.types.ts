import type { ErrorCode } from '../errors';
import type { RunSelection } from '../services';

/** What the run manager asks its child process to run. */
export interface RunJob {
  root: string;
  runId: string;
  pipeline: string;
  env: string;
  params: Record<string, unknown>;
  selection: RunSelection;
  runner: 'sequential' | 'parallel';
  rerunOf?: string;
}

export type ParentMessage = { type: 'start'; job: RunJob };

export type ChildMessage =
  /** The project loaded and the selection is valid: the run starts. */
  | { type: 'ready'; nodes: string[] }
  /** The request cannot run (unknown pipeline or node, bad params, a run in progress): nothing was recorded. */
  | { type: 'invalid'; error: { code: ErrorCode; message: string; httpStatus: number } };
