/**
 * The root of every error the framework throws on purpose. Each module derives its own
 * classes from it (PipelineError, ConfigError, DatasetError, ...). `code` is stable and
 * machine-readable (API responses carry it); `message` is the one clear line a CLI user reads;
 * `httpStatus` is what an API route answers with.
 */
export class DqmError extends Error {
  readonly code: string;
  readonly httpStatus: number;

  constructor(message: string, options: { code?: string; httpStatus?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = options.code ?? 'DQM_ERROR';
    this.httpStatus = options.httpStatus ?? 500;
  }
}

/** True for errors raised by our code on purpose (as opposed to bugs and library failures). */
export function isDqmError(error: unknown): error is DqmError {
  return error instanceof DqmError;
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
