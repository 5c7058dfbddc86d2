import os from 'node:os';
import { parentPort, type Transferable, type Worker } from 'node:worker_threads';
import { DqmError, type ErrorCode } from '../errors';
import { startWorker } from './worker-thread';

/**
 * A few worker threads that run CPU-heavy decodes (today the h5wasm reads of previews) off the
 * `dqm viz` event loop: one request at a time per thread, the rest queued; results come back
 * with their ArrayBuffers transferred (no copy). Hand-written: a pool of ~2 threads with a
 * queue is ~100 lines, and the team's stack has no pool library (piscina is not in it).
 * Threads start on first use and are unref'd: an idle pool never keeps the process alive.
 */
export class WorkerPool<Req, Res> {
  private readonly idle: Worker[] = [];
  private readonly queue: Array<Job<Req, Res>> = [];
  private started = 0;
  private readonly busy = new Map<Worker, Job<Req, Res>>();
  private readonly stats: PoolStats = { threads: 0, tasks: 0, failures: 0 };

  constructor(
    readonly name: string,
    private readonly entry: string,
    private readonly size = defaultThreads(),
  ) {
    pools.set(name, this.stats);
  }

  run(req: Req): Promise<Res> {
    return new Promise<Res>((resolve, reject) => {
      this.queue.push({ req, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length) {
      const worker = this.idle.pop() ?? (this.started < this.size ? this.start() : undefined);
      if (!worker) return;
      const job = this.queue.shift()!;
      this.busy.set(worker, job);
      worker.ref(); // a request in flight keeps the process up until its answer
      worker.postMessage(job.req);
    }
  }

  private start(): Worker {
    this.started++;
    this.stats.threads++;
    const worker = startWorker(this.entry, null);
    worker.on('message', (msg: FromPool<Res>) => {
      const job = this.busy.get(worker);
      if (!job) return;
      this.busy.delete(worker);
      worker.unref();
      this.idle.push(worker);
      if (msg.ok) {
        this.stats.tasks++;
        job.resolve(msg.value);
      } else {
        this.stats.failures++;
        job.reject(new DqmError(msg.message, { code: msg.code as ErrorCode }));
      }
      this.pump();
    });
    let failure: unknown;
    worker.on('error', (error) => (failure = error));
    // A thread that dies (out of memory, a crash) fails its request; the next request starts a new one.
    worker.on('exit', (code) => {
      this.started--;
      this.stats.threads--;
      const i = this.idle.indexOf(worker);
      if (i >= 0) this.idle.splice(i, 1);
      const job = this.busy.get(worker);
      if (job) {
        this.busy.delete(worker);
        this.stats.failures++;
        job.reject(failure ?? new DqmError(`A decode thread of pool ${this.name} exited (exit code ${code}) before answering`, { code: 'INTERNAL_ERROR' }));
      }
      this.pump();
    });
    return worker;
  }
}

/** What one pool has done since the process started: threads alive, tasks answered, tasks failed. */
export interface PoolStats {
  threads: number;
  tasks: number;
  failures: number;
}

const pools = new Map<string, PoolStats>();

/** Every pool's counters by name (`GET /api/server-stats` shows them: proof a decode ran off the loop). */
export function workerPoolStats(): Record<string, PoolStats> {
  return Object.fromEntries([...pools].map(([name, s]) => [name, { ...s }]));
}

type Job<Req, Res> = { req: Req; resolve: (r: Res) => void; reject: (e: unknown) => void };

type FromPool<Res> = { ok: true; value: Res } | { ok: false; message: string; code?: string };

/** One thread of the machine's cores, two at most: the other core serves requests and runs. */
function defaultThreads(): number {
  const n = Number(process.env.DQM_DECODE_THREADS);
  return Number.isInteger(n) && n > 0 ? n : Math.max(1, Math.min(2, os.availableParallelism() - 1));
}

/**
 * The thread side: answers each request with `handle`'s value, its `transfer` list moved, or
 * with the error's message and code (a DqmError's code survives the trip).
 */
export function servePool<Req, Res>(handle: (req: Req) => Promise<{ value: Res; transfer?: Transferable[] }>): void {
  const port = parentPort;
  if (!port) throw new Error('servePool runs in a worker thread');
  port.on('message', (req: Req) => {
    handle(req).then(
      ({ value, transfer }) => port.postMessage({ ok: true, value } satisfies FromPool<Res>, transfer ?? []),
      (error: unknown) => port.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error), code: error instanceof DqmError ? error.code : undefined } satisfies FromPool<Res>),
    );
  });
}
