import { createRequire } from 'node:module';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Node } from '../pipeline';
import type { NodeReporter } from './task';
import { deserializeError, transferables } from './transfer';
import type { FromWorker, IoPlan, ToWorker, WorkerInit } from './worker-messages.types';
import { RunnerError } from './errors';

export interface WorkerResult {
  outputs: Record<string, unknown>;
  /** Outputs the worker saved through its own catalog (absent from `outputs`). */
  saved: string[];
}

interface Pending {
  node: string;
  resolve: (result: WorkerResult | undefined) => void;
  reject: (error: Error) => void;
  report: NodeReporter;
}

/**
 * The project's TypeScript loads in workers through tsx, resolved from here (not from the cwd).
 * `execArgv: ['--import', tsx]` does not apply to a worker's entry module on Node 20, so a tiny
 * bootstrap registers tsx's loader in the thread first, then imports the TypeScript entry.
 * Built from plain paths (a bundler must not try to follow the worker file).
 */
function workerBootstrap(entry: string): string {
  // The compiled CLI's entry (dist/node-worker.mjs) is JavaScript: no loader needed.
  if (!/\.[mc]?tsx?$/.test(entry)) return `import(${JSON.stringify(entry)});`;
  const tsxDir = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const tsxApi = pathToFileURL(path.join(tsxDir, 'dist/esm/api/index.mjs')).href;
  return `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
}

/** One worker thread that has imported the registry and runs one node at a time. */
class NodeWorker {
  private readonly worker: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private dead: Error | undefined;
  /** Resolves with the names of nodes the worker can run, or with an error if the registry failed to load. */
  readonly ready: Promise<Map<string, string> | Error>;
  /** False until the registry has loaded (or failed to). */
  started = false;

  constructor(init: WorkerInit) {
    this.worker = new Worker(workerBootstrap(init.entry), { eval: true, workerData: init });
    this.ready = new Promise<Map<string, string> | Error>((resolve) => {
      this.worker.on('message', (msg: FromWorker) => {
        if (msg.type === 'ready') resolve(new Map(msg.nodes.map((n) => [n.name, `${n.inputs.join(',')}>${n.outputs.join(',')}`])));
        else if (msg.type === 'init_error') resolve(deserializeError(msg.error));
        else this.onTaskMessage(msg);
      });
      this.worker.on('error', (error) => {
        resolve(error);
        this.failAll(error);
      });
      this.worker.on('exit', (code) => {
        const error = new RunnerError(`A parallel-runner worker exited unexpectedly (exit code ${code})`, { code: 'WORKER_EXITED' });
        resolve(error);
        this.failAll(error);
      });
    });
    void this.ready.then(() => {
      this.started = true;
    });
  }

  /**
   * Runs the node in this worker. Resolves undefined, without running anything, if the inputs
   * cannot be cloned to another thread (e.g. PartitionedDataset's lazy load functions).
   */
  run(node: Node, inputs: Record<string, unknown>, io: IoPlan, transferInputs: string[], report: NodeReporter): Promise<WorkerResult | undefined> {
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    const transfer = new Set<ArrayBuffer>();
    for (const d of transferInputs) transferables(inputs[d], transfer);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { node: node.name, resolve, reject, report });
      const msg: ToWorker = { type: 'run', id, node: node.name, inputs, io };
      try {
        this.worker.postMessage(msg, [...transfer]);
      } catch {
        // Cloning fails before anything is transferred, so the inputs are intact for a local run.
        this.pending.delete(id);
        resolve(undefined);
      }
    });
  }

  async close(): Promise<void> {
    this.worker.removeAllListeners('exit');
    await this.worker.terminate();
  }

  private onTaskMessage(msg: Exclude<FromWorker, { type: 'ready' | 'init_error' }>): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'progress') return p.report.progress(msg.done, msg.total, msg.unit);
    if (msg.type === 'metric') return p.report.metric(msg.name, msg.value);
    if (msg.type === 'log') return p.report.log(msg.stream, msg.text);
    this.pending.delete(msg.id);
    if (msg.type === 'done') p.resolve({ outputs: msg.outputs, saved: msg.saved });
    else p.reject(deserializeError(msg.error));
  }

  private failAll(error: Error): void {
    this.dead ??= error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}

/**
 * A fixed set of workers. `run` returns undefined when no worker can run the node (the registry
 * failed to load, or the node is not in the registry, e.g. a pipeline built in a test): the
 * caller then runs it in this thread.
 */
export class WorkerPool {
  private readonly idle: NodeWorker[] = [];
  private readonly all: NodeWorker[] = [];
  /** Why the workers are unusable, if they are (for DQM_DEBUG diagnostics). */
  unavailable: Error | undefined;

  constructor(size: number, init: WorkerInit) {
    for (let i = 0; i < size; i++) {
      const w = new NodeWorker(init);
      this.all.push(w);
      this.idle.push(w);
    }
  }

  /** True while some worker is still loading the registry (the main thread may help meanwhile). */
  get warmingUp(): boolean {
    return this.all.some((w) => !w.started);
  }

  /** True if an idle worker has finished loading. */
  get readyWorkerIdle(): boolean {
    return this.idle.some((w) => w.started);
  }

  /** Resolves when the next worker finishes loading (or at once if none is loading). */
  nextStarted(): Promise<void> {
    const loading = this.all.filter((w) => !w.started);
    return loading.length ? Promise.race(loading.map((w) => w.ready.then(() => undefined))) : Promise.resolve();
  }

  async run(node: Node, inputs: Record<string, unknown>, io: IoPlan, transferInputs: string[], report: NodeReporter): Promise<WorkerResult | undefined> {
    // Prefer a worker that has loaded already.
    const at = this.idle.findIndex((w) => w.started);
    const worker = at >= 0 ? this.idle.splice(at, 1)[0] : this.idle.pop();
    if (!worker) return undefined; // the scheduler never runs more nodes than workers; be safe anyway
    try {
      const known = await worker.ready;
      if (known instanceof Error) {
        this.unavailable ??= known;
        return undefined;
      }
      if (known.get(node.name) !== `${node.inputs.join(',')}>${node.outputs.join(',')}`) return undefined;
      return await worker.run(node, inputs, io, transferInputs, report);
    } finally {
      this.idle.push(worker);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.all.map((w) => w.close()));
  }
}
