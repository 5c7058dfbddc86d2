/**
 * The stack of a failure as a person debugging it reads it: the error's stack, then each
 * `cause` (`Caused by: ...`), without Node's own frames (`node:internal/...`, `node:async_hooks`). Stacks come source-mapped:
 * tsx compiles the project's TypeScript with source maps and Node applies them to
 * `error.stack`, so frames name `pipelines/x/nodes.ts:LINE:COL`, in worker threads too.
 */
export function tracebackOf(error: unknown, maxDepth = 5): string | undefined {
  const parts: string[] = [];
  let e: unknown = error;
  for (let depth = 0; e !== undefined && e !== null && depth < maxDepth; depth++) {
    parts.push((depth ? 'Caused by: ' : '') + stackText(e));
    e = e instanceof Error ? e.cause : undefined;
  }
  const text = parts.join('\n').trim();
  return text || undefined;
}

function stackText(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const stack = typeof e.stack === 'string' && e.stack ? e.stack : `${e.name}: ${e.message}`;
  return stack
    .split('\n')
    .filter((line) => !/^\s+at (.* \()?node:/.test(line))
    .join('\n');
}
