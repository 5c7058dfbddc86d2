import type { RunStore } from './run-store';
import type { StoredEvent } from '../services';

export type RunListener = (event: StoredEvent) => void;

interface Subscription {
  runId: string;
  last: number;
  ended: boolean;
  listener: RunListener;
  onEnd: () => void;
}

/**
 * Follows runs by reading the store, not a pipe to their process: a run's process writes its
 * events there, so a server started after the run (`dqm viz` restarted, the SSH session back)
 * follows it exactly as the server that started it. One timer reads new events every
 * `pollMs` for each subscriber, and `onTick` runs with it (the manager's liveness checks,
 * which answer whether a run is still active); it stops when nothing is followed or active.
 */
export class RunFollower {
  private readonly subs = new Set<Subscription>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: RunStore,
    private readonly pollMs: number,
    private readonly onTick: () => boolean = () => false,
  ) {}

  /**
   * Past events from `afterSeq` on, then live ones, with no gap and no duplicate. `onEnd` after
   * the last event (run_finished or run_aborted), or at once for a run that has ended.
   */
  subscribe(runId: string, listener: RunListener, onEnd: () => void = () => {}, afterSeq = 0): () => void {
    const sub: Subscription = { runId, last: afterSeq, ended: false, listener, onEnd };
    const unsubscribe = () => {
      this.subs.delete(sub);
    };
    sub.onEnd = () => {
      unsubscribe();
      onEnd();
    };
    this.subs.add(sub);
    this.read(sub);
    if (!sub.ended) this.start();
    return unsubscribe;
  }

  /** Reads now (after a run ended, so its subscribers hear it without waiting for the timer). */
  poll(): void {
    for (const sub of [...this.subs]) this.read(sub);
  }

  /** Starts the timer (also for `onTick` alone: a run is active, nobody follows it yet). */
  start(): void {
    this.timer ??= setInterval(() => {
      const active = this.onTick();
      this.poll();
      if (!active && !this.subs.size) this.stop();
    }, this.pollMs).unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  private read(sub: Subscription): void {
    if (sub.ended) return;
    let events: StoredEvent[];
    let running: boolean;
    try {
      running = this.store.findRun(sub.runId)?.status === 'running';
      events = this.store.events(sub.runId, sub.last);
    } catch {
      return; // the store is closing
    }
    for (const e of events) {
      if (sub.ended || e.seq <= sub.last) continue;
      sub.last = e.seq;
      sub.listener(e);
      if (e.type === 'run_finished' || e.type === 'run_aborted') this.end(sub);
    }
    // Read `running` before the events: a run that ended in between has its end event in them.
    if (!running) this.end(sub);
  }

  private end(sub: Subscription): void {
    if (sub.ended) return;
    sub.ended = true;
    sub.onEnd();
  }
}
