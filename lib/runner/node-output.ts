import { AsyncLocalStorage } from 'node:async_hooks';
import type { LogStream } from './events';

/** Receives each complete line a node writes, without its newline. */
export type LogSink = (stream: LogStream, text: string) => void;

interface OutputScope {
  sink: LogSink;
  /** Text after the last newline, per stream, until the line is complete or the node ends. */
  partial: Partial<Record<LogStream, string>>;
  /** The node emitted a process warning, which Node prints on a later tick. */
  warned: boolean;
}

const scope = new AsyncLocalStorage<OutputScope>();
let installed = false;

/**
 * Runs `fn` (a node: loading its inputs, its function, saving its outputs) with everything it
 * writes to process.stdout / process.stderr — console.* included, which writes through them —
 * also sent to `sink`, line by line. Attribution follows the async context (AsyncLocalStorage),
 * so nodes running at the same time in this thread each get their own lines; a worker thread
 * installs its own capture. The text still reaches the terminal as before.
 */
export async function withNodeOutput<T>(sink: LogSink, fn: () => Promise<T>): Promise<T> {
  installCapture();
  const s: OutputScope = { sink, partial: {}, warned: false };
  try {
    return await scope.run(s, fn);
  } finally {
    // process.emitWarning prints on a later tick: let a warning the node emitted land in its log.
    if (s.warned) await new Promise((resolve) => setImmediate(resolve));
    for (const [stream, rest] of Object.entries(s.partial) as Array<[LogStream, string]>) if (rest) deliver(s, stream, rest);
    s.partial = {};
  }
}

/** Runs `fn` outside any node's capture (the runner's own event listeners: progress lines, stores). */
export function outsideNodeOutput<T>(fn: () => T): T {
  return scope.exit(fn);
}

/**
 * Wraps the two streams' `write` once per thread. Node's warnings (`process.emitWarning`) are
 * printed through process.stderr as `(node:PID) [CODE] Warning: ...`: those lines become the
 * `warning` stream (without the pid prefix, and without Node's one-time `--trace-warnings` hint).
 */
function installCapture(): void {
  if (installed) return;
  installed = true;
  const emitWarning = process.emitWarning;
  process.emitWarning = function (this: NodeJS.Process, ...args: unknown[]) {
    const s = scope.getStore();
    if (s) s.warned = true;
    return (emitWarning as (...a: unknown[]) => void).apply(this, args);
  } as typeof process.emitWarning;
  for (const [stream, name] of [
    [process.stdout, 'stdout'],
    [process.stderr, 'stderr'],
  ] as const) {
    const original = stream.write;
    stream.write = function write(this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
      const s = scope.getStore();
      if (s) capture(s, name, chunk);
      return (original as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof stream.write;
  }
}

function capture(s: OutputScope, stream: 'stdout' | 'stderr', chunk: unknown): void {
  const text = typeof chunk === 'string' ? chunk : chunk instanceof Uint8Array ? Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8') : String(chunk);
  const all = (s.partial[stream] ?? '') + text;
  const lines = all.split('\n');
  s.partial[stream] = lines.pop() ?? '';
  for (const line of lines) deliver(s, stream, line);
}

const NODE_WARNING = /^\(node:\d+\) (.*)$/;
const TRACE_HINT = /^\(Use `node --trace-warnings \.\.\.` to show where the warning was created\)$/;

function deliver(s: OutputScope, stream: LogStream, raw: string): void {
  const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
  if (stream === 'stderr') {
    if (TRACE_HINT.test(line)) return;
    const warning = NODE_WARNING.exec(line);
    if (warning) return emit(s, 'warning', warning[1]!);
  }
  emit(s, stream, line);
}

function emit(s: OutputScope, stream: LogStream, text: string): void {
  // The sink may write (a progress line, a debug print): that must not be captured again.
  scope.exit(() => s.sink(stream, text));
}
