/**
 * Every code an error of ours or an API answer carries: one catalogue, so the CLI, the API and
 * the dashboard client (which switches on it) agree. A module adds its codes here.
 */
export type ErrorCode =
  // any module
  | 'DQM_ERROR'
  | 'INTERNAL_ERROR'
  | 'DATA_ERROR'
  // lib/pipeline
  | 'PIPELINE_ERROR'
  | 'CIRCULAR_DEPENDENCY'
  | 'OUTPUT_NOT_UNIQUE'
  | 'DUPLICATE_NODE_NAME'
  | 'EMPTY_PIPELINE'
  | 'MODULAR_PIPELINE_ERROR'
  | 'TRANSCODING_ERROR'
  | 'UNKNOWN_NAMESPACE'
  | 'NODE_ERROR'
  // lib/config
  | 'CONFIG_ERROR'
  // lib/io
  | 'DATASET_ERROR'
  | 'DATASET_NOT_FOUND'
  | 'DATASET_FILE_NOT_FOUND'
  | 'DATASET_TYPE_UNKNOWN'
  | 'DATASET_CONFIG'
  | 'DATASET_VERSION_NOT_FOUND'
  | 'CREDENTIALS_NOT_FOUND'
  | 'FILE_EXISTS'
  | 'CORRUPT_FILE'
  | 'STALE_FILE'
  | 'BAD_DATASET'
  | 'PARQUET_ERROR'
  | 'PICKLE_ERROR'
  | 'PNG_ERROR'
  | 'API_CONFIG'
  | 'API_AUTH'
  | 'API_NOT_FOUND'
  | 'API_HTTP'
  | 'API_TIMEOUT'
  | 'API_UNREACHABLE'
  | 'API_BAD_JSON'
  | 'API_BAD_PAGE'
  | 'API_BAD_RECORD'
  // lib/runner
  | 'RUNNER_ERROR'
  | 'RUNNER_STALLED'
  | 'NODE_FAILED'
  | 'MISSING_INPUTS'
  | 'MISSING_INPUT_DATA'
  | 'HOOK_ERROR'
  | 'WORKER_EXITED'
  // lib/session
  | 'PROJECT_ERROR'
  | 'NO_REGISTRY'
  | 'BAD_REGISTRY'
  | 'BAD_SETTINGS'
  | 'PARAMETER_VALIDATION'
  | 'BAD_PLUGIN'
  | 'UNKNOWN_PIPELINE'
  | 'UNKNOWN_NODE'
  | 'UNKNOWN_DATASET'
  // lib/runs
  | 'RUN_STORE_ERROR'
  | 'RUN_STORE_TOO_NEW'
  | 'RUN_NOT_FOUND'
  | 'RUN_CONFLICT'
  | 'RUN_NOT_RUNNING'
  | 'RUN_NOT_OWNED'
  | 'RUN_START_FAILED'
  | 'RUN_START_TIMEOUT'
  | 'RUN_ABORTED'
  | 'BAD_RUN_REQUEST'
  | 'BAD_RUN'
  | 'RERUN_SECRET_PARAMS'
  | 'RUN_NOT_FAILED'
  | 'BAD_COMPARE'
  // lib/dqm
  | 'HISTOGRAM_ERROR'
  | 'MAP_PARSE_ERROR'
  | 'HISTOGRAM_FILE_ERROR'
  | 'EMPTY_HISTOGRAM_SET'
  | 'SHAPE_MISMATCH'
  | 'BAD_RAW_DATA'
  | 'BAD_SIMULATION_OPTION'
  | 'SIMULATION_FAILED'
  | 'BAD_PARAMETER'
  | 'BAD_INPUT'
  | 'BAD_FEATURES'
  | 'STRATEGY_ERROR'
  | 'LUMI_MASK_ERROR'
  | 'TASK_ERROR'
  // lib/viz and the dashboard API
  | 'VIZ_ERROR'
  | 'NOT_FOUND'
  | 'NODE_NOT_FOUND'
  | 'PIPELINE_NOT_FOUND'
  | 'LS_NOT_FOUND'
  | 'NOT_PRODUCED'
  | 'NO_PROJECT'
  | 'BAD_GRAPH_FILE'
  | 'BAD_LAYER'
  | 'BAD_LS'
  | 'BAD_LUMI'
  | 'BAD_JSON'
  | 'BODY_TOO_LARGE'
  | 'TOO_DEEP'
  | 'UNKNOWN_VARIABLE'
  | 'UNKNOWN_HISTOGRAM'
  | 'LOAD_FAILED'
  | 'NOT_STARTED'
  | 'NOT_A_HISTOGRAM'
  | 'OUTSIDE_PROJECT'
  | 'NO_PREVIEW'
  | 'STATIC_BUILD_FAILED'
  // server/ (dqm viz)
  | 'NOT_BUILT'
  | 'PORT_IN_USE'
  | 'PORT_DENIED'
  | 'BAD_HOST'
  | 'LISTEN_FAILED'
  | 'SERVER_NOT_READY'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN_HOST'
  | 'CROSS_ORIGIN'
  | 'BAD_PATH'
  | 'METHOD_NOT_ALLOWED'
  // lib/deploy, cli/
  | 'DEPLOY_ERROR'
  | 'NO_CONTAINER_ENGINE'
  | 'NO_STANDALONE'
  | 'CLI_ERROR';

/**
 * Marks our errors across copies of this module: Next bundles the route handlers with their own
 * copy of lib/errors, while the errors they answer with are thrown by the `dqm viz` process's.
 */
const BRAND = Symbol.for('dqm-playground-ds.DqmError');

/** What every API route answers on failure. */
export interface ErrorBody {
  error: { code: ErrorCode; message: string };
}

/**
 * The root of every error the framework throws on purpose. Each module derives its own
 * classes from it (PipelineError, ConfigError, DatasetError, ...). `code` is stable and
 * machine-readable (API responses carry it); `message` is the one clear line a CLI user reads;
 * `httpStatus` is what an API route answers with.
 */
export class DqmError extends Error {
  readonly code: ErrorCode;
  readonly httpStatus: number;

  constructor(message: string, options: { code?: ErrorCode; httpStatus?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code ?? 'DQM_ERROR';
    this.httpStatus = options.httpStatus ?? 500;
    Object.defineProperty(this, BRAND, { value: true });
  }
}

/**
 * The one mapping of a thrown value to an API answer: our errors keep their code and status;
 * anything else (a bug, a library failure) is a 500 INTERNAL_ERROR with its message.
 */
export function errorAnswer(error: unknown): { status: number; body: ErrorBody } {
  if (isDqmError(error)) return { status: error.httpStatus, body: { error: { code: error.code, message: error.message } } };
  return { status: 500, body: { error: { code: 'INTERNAL_ERROR', message: messageOf(error) } } };
}

/** True for errors raised by our code on purpose (as opposed to bugs and library failures), whichever copy of this module made them. */
export function isDqmError(error: unknown): error is DqmError {
  return error instanceof DqmError || (typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true);
}

/** The message of an unknown thrown value, for wrapping it in one of our errors. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * "did you mean" for unknown names: the closest candidates by edit distance. Hand-written
 * (a dozen lines) rather than a dependency: no fuzzy-matching package is needed for this.
 */
export function didYouMean(name: string, candidates: Iterable<string>, max = 3): string[] {
  const scored: Array<[string, number]> = [];
  for (const c of candidates) {
    const d = editDistance(name.toLowerCase(), c.toLowerCase());
    const limit = Math.max(2, Math.floor(Math.max(name.length, c.length) / 3));
    if (d <= limit || c.toLowerCase().includes(name.toLowerCase())) scored.push([c, d]);
  }
  return scored.sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).slice(0, max).map(([c]) => c);
}

/** ` Did you mean 'x'?` or an empty string. */
export function suggestion(name: string, candidates: Iterable<string>): string {
  const close = didYouMean(name, candidates);
  return close.length ? ` Did you mean ${close.map((c) => `'${c}'`).join(' or ')}?` : '';
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = cur;
  }
  return prev[b.length]!;
}
