import os from 'node:os';
import { isParameter, type Node, type Pipeline } from '../pipeline';
import { RunnerError } from './errors';
import type { Runner } from './sequential-runner';
import { forEachDataset as loadAll, inProcess, runTask, type Executor, type NodeReporter, type TaskContext } from './task';
import type { WorkerPool } from './worker-pool';
import type { IoPlan, WorkerInit } from './worker-messages.types';

export interface ParallelRunnerOptions {
  /** Upper bound on concurrent nodes (default: the number of cores). */
  maxWorkers?: number;
  /** Where workers find the node functions; without it every node runs in this thread. */
  registry?: WorkerInit;
  /**
   * Count this thread as one of the slots (default true): nodes run here whenever it is free,
   * so with N slots only N-1 workers are started (their start-up is the parallel runner's cost).
   */
  borrowMainThread?: boolean;
}

/** Nodes tagged with this always run in the main thread (e.g. they return non-cloneable data). */
export const MAIN_THREAD_TAG = 'main_thread';

/**
 * Runs independent nodes at the same time: min(cores, width) at once, on this thread and
 * worker threads. Workers import the registry to find node functions, load and save persisted
 * datasets through their own catalog, and exchange memory datasets as structured clones.
 * With one slot (a chain, or one core) there is nothing to overlap: it runs in process.
 */
export class ParallelRunner implements Runner {
  readonly name = 'parallel';

  constructor(private readonly options: ParallelRunnerOptions = {}) {}

  async run(pipeline: Pipeline, ctx: TaskContext): Promise<void> {
    const width = Math.max(1, ...pipeline.grouped().map((g) => g.length));
    const slots = Math.max(1, Math.min(this.options.maxWorkers ?? os.availableParallelism(), width));
    // Imported on demand: only parallel runs with workers need worker_threads and tsx.
    const borrowable = this.options.borrowMainThread ?? true;
    const workers = borrowable ? slots - 1 : slots;
    const pool = slots > 1 && this.options.registry ? new (await import('./worker-pool')).WorkerPool(workers, this.options.registry) : undefined;
    try {
      const workerIo = !!this.options.registry?.catalog && !ctx.hooks.some((h) => DATA_HOOKS.some((k) => h[k]));
      const main = { borrowable, borrowed: false, waiters: [] };
      await schedule(pipeline, ctx, slots, pool, main, workerIo);
    } finally {
      await pool?.close();
    }
  }
}

interface MainThread {
  borrowable: boolean;
  borrowed: boolean;
  /** Called when a borrowing node gives the main thread back. */
  waiters: Array<() => void>;
}

/** Hooks that need the data in this thread: with them, workers do not do their own I/O. */
const DATA_HOOKS = ['beforeNodeRun', 'afterNodeRun', 'beforeDatasetLoaded', 'afterDatasetLoaded', 'beforeDatasetSaved', 'afterDatasetSaved'] as const;

function executorFor(node: Node, ctx: TaskContext, pool: WorkerPool | undefined, main: MainThread, workerIo: boolean): Executor {
  if (!pool || node.tags.has(MAIN_THREAD_TAG)) return inProcess;
  const { catalog } = ctx;
  const onDisk = (d: string) => workerIo && !isParameter(d) && catalog.has(d) && catalog.getDataset(d).persisted;
  const plan: IoPlan = { load: node.inputs.filter(onDisk), save: node.outputs.filter(onDisk) };
  /** In this thread after all: load what the worker would have loaded, run, return every output. */
  const local = async (n: Node, inputs: Record<string, unknown>, report: NodeReporter) => {
    await loadAll(plan.load, ctx.isAsync === true, async (d) => {
      inputs[d] = await catalog.load(d);
    });
    return inProcess(n, inputs, report);
  };
  const execute: Executor = async (n, inputs, report) => {
    // The main thread is one of the slots: a node runs here when it is free and no loaded
    // worker is idle (always the case while workers load the registry, which takes a while).
    for (;;) {
      if (pool.readyWorkerIdle) break;
      if (main.borrowable && !main.borrowed) {
        main.borrowed = true;
        try {
          return await local(n, inputs, report);
        } finally {
          main.borrowed = false;
          main.waiters.splice(0).forEach((wake) => wake());
        }
      }
      if (!pool.warmingUp) break;
      const freed = main.borrowable ? new Promise<void>((resolve) => main.waiters.push(resolve)) : new Promise<void>(() => {});
      await Promise.race([pool.nextStarted(), freed]);
    }
    // An input's buffers move to the worker only if no other node will read this copy.
    const movable = n.inputs.filter((d) => ctx.state.pendingConsumers(d) === 1);
    const result = await pool.run(n, inputs, plan, movable, report);
    return result ? result.outputs : local(n, inputs, report);
  };
  execute.plan = () => plan;
  return execute;
}

/** Starts every node whose producers are done, `slots` at a time; on failure lets running nodes finish, then rejects. */
function schedule(pipeline: Pipeline, ctx: TaskContext, slots: number, pool: WorkerPool | undefined, main: MainThread, workerIo: boolean): Promise<void> {
  const order = new Map(pipeline.nodes.map((n, i) => [n.name, i]));
  const waitingOn = new Map<string, Set<string>>();
  for (const n of pipeline.nodes) {
    const producers = n.inputs.map((i) => pipeline.producerOf(i)?.name).filter((p): p is string => p !== undefined);
    waitingOn.set(n.name, new Set(producers));
  }
  const ready = pipeline.nodes.filter((n) => waitingOn.get(n.name)!.size === 0);
  let running = 0;
  let done = 0;
  let failure: { error: unknown } | undefined;

  return new Promise<void>((resolve, reject) => {
    const launch = (): void => {
      while (!failure && ready.length && running < slots) start(ready.shift()!);
      if (running > 0) return;
      if (failure) reject(failure.error);
      else if (done === pipeline.nodes.length) resolve();
      else reject(new RunnerError(`Parallel runner stalled with ${pipeline.nodes.length - done} nodes left`, { code: 'RUNNER_STALLED' }));
    };
    const start = (node: Node): void => {
      running++;
      runTask(node, ctx, executorFor(node, ctx, pool, main, workerIo))
        .then(() => {
          done++;
          for (const o of node.outputs) {
            for (const c of pipeline.consumersOf(o)) {
              const w = waitingOn.get(c.name)!;
              w.delete(node.name);
              if (w.size === 0 && !ready.includes(c)) ready.push(c);
            }
          }
          ready.sort((a, b) => order.get(a.name)! - order.get(b.name)!);
        })
        .catch((error: unknown) => {
          failure ??= { error };
        })
        .finally(() => {
          running--;
          launch();
        });
    };
    launch();
  });
}
