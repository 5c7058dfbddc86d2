import type { RunLogEvent } from '../services';
import { redactText } from '../redact';
import type { RunStore } from './run-store';

type LogEvent = Extract<RunLogEvent, { type: 'log' }>;

/** How much of one node's output a run keeps: the first `headBytes` and the last `tailBytes`. */
export interface LogLimits {
  headBytes: number;
  tailBytes: number;
}

export const DEFAULT_LOG_LIMITS: LogLimits = { headBytes: 192 * 1024, tailBytes: 192 * 1024 };

/** At most this many lines wait in memory before they are written in one transaction. */
const BATCH_LINES = 500;
const FLUSH_MS = 100;

interface NodeLog {
  headBytes: number;
  /** The line that says what was cut, once the head is full. */
  marker?: { seq: number; lines: number; bytes: number; at: string };
  tail: Array<{ seq: number; bytes: number }>;
  tailBytes: number;
}

/**
 * Writes a run's log lines to the store: secrets redacted by value, batched (a node printing
 * 100,000 lines costs a few hundred transactions, not 100,000), and bounded per node: the head
 * and the tail are kept, and one `dqm` line between them says how much was cut. Lines of the
 * tail beyond the bound are deleted as newer ones arrive, so the store never holds more than
 * head + tail per node, however long a node prints.
 */
export class LogWriter {
  private pending: LogEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly nodes = new Map<string, NodeLog>();
  /** After close(), lines (a node's timer firing late) are written at once: no timer may outlive the run. */
  private closed = false;

  constructor(
    private readonly store: RunStore,
    private readonly runId: string,
    private readonly secrets: readonly string[],
    private readonly limits: LogLimits = DEFAULT_LOG_LIMITS,
    private readonly onError: (error: unknown) => void = () => {},
  ) {}

  add(event: LogEvent): void {
    this.pending.push({ ...event, text: redactText(event.text, this.secrets) });
    if (this.closed || this.pending.length >= BATCH_LINES) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_MS).unref();
  }

  /** Writes what waits; later lines are written as they come. */
  close(): void {
    this.flush();
    this.closed = true;
  }

  /** Writes what waits (called before any other event is recorded, so the log keeps its order). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.pending.length) return;
    const lines = this.pending;
    this.pending = [];
    try {
      this.write(lines);
    } catch (error) {
      this.onError(error);
    }
  }

  private write(lines: LogEvent[]): void {
    const add: LogEvent[] = [];
    const tailAt: Array<{ index: number; node: string; bytes: number }> = [];
    const newMarkers: Array<{ index: number; node: string; at: string }> = [];
    for (const line of lines) {
      const n = this.nodeLog(line.node);
      const bytes = Buffer.byteLength(line.text) + 1;
      if (!n.marker && !newMarkers.some((m) => m.node === line.node) && n.headBytes + bytes <= this.limits.headBytes) {
        n.headBytes += bytes;
        add.push(line);
        continue;
      }
      if (!n.marker && !newMarkers.some((m) => m.node === line.node)) {
        newMarkers.push({ index: add.length, node: line.node, at: line.at });
        add.push({ type: 'log', node: line.node, stream: 'dqm', text: '', at: line.at });
      }
      tailAt.push({ index: add.length, node: line.node, bytes });
      add.push(line);
    }
    const seqs = this.store.writeLogs(this.runId, { add });
    for (const m of newMarkers) this.nodeLog(m.node).marker = { seq: seqs[m.index]!, lines: 0, bytes: 0, at: m.at };
    const remove: number[] = [];
    const touched = new Set<string>();
    for (const t of tailAt) {
      const n = this.nodeLog(t.node);
      n.tail.push({ seq: seqs[t.index]!, bytes: t.bytes });
      n.tailBytes += t.bytes;
      while (n.tailBytes > this.limits.tailBytes && n.tail.length > 1) {
        const old = n.tail.shift()!;
        n.tailBytes -= old.bytes;
        n.marker!.lines++;
        n.marker!.bytes += old.bytes;
        remove.push(old.seq);
      }
      touched.add(t.node);
    }
    const replace: Array<[number, RunLogEvent]> = [...touched].map((node) => {
      const m = this.nodeLog(node).marker!;
      return [m.seq, { type: 'log', node, stream: 'dqm', text: cutText(m.lines, m.bytes, this.limits), at: m.at }];
    });
    if (remove.length || replace.length) this.store.writeLogs(this.runId, { add: [], remove, replace });
  }

  private nodeLog(node: string): NodeLog {
    let n = this.nodes.get(node);
    if (!n) this.nodes.set(node, (n = { headBytes: 0, tail: [], tailBytes: 0 }));
    return n;
  }
}

function cutText(lines: number, bytes: number, limits: LogLimits): string {
  const kb = (b: number) => (b < 1024 ? `${b} B` : `${Math.round(b / 1024).toLocaleString('en')} kB`);
  // Nothing cut yet: an empty marker, which readers skip.
  if (!lines) return '';
  return `… ${lines.toLocaleString('en')} line${lines === 1 ? '' : 's'} (${kb(bytes)}) cut here: the first ${kb(limits.headBytes)} and the last ${kb(limits.tailBytes)} of this node's output are kept …`;
}
