import type { Worker } from 'node:worker_threads';
import { startWorker } from '../io';
import { HistogramError } from './errors';
import type { SimulateOptions } from './simulate';
import type { FromSimulateWorker, SimulateWorkerInit, ToSimulateWorker, WrittenPart } from './simulate-worker.types';

const ENTRY = new URL('./simulate-worker.ts', import.meta.url).href;

/**
 * Simulates the (run, layer) streams on `threads` worker threads, each writing its own part
 * files; a stream goes to the next free thread. Resolves with every written part, or undefined
 * if the threads could not start (e.g. this module was bundled without its worker entry): the
 * caller then simulates in this thread. A failing stream rejects once the running ones stop.
 */
export async function simulateOnThreads(
  options: SimulateOptions,
  outDir: string,
  streams: Array<{ run: number; layer: number }>,
  threads: number,
  onPart: (p: WrittenPart) => void,
): Promise<WrittenPart[] | undefined> {
  const queue = [...streams];
  const parts: WrittenPart[] = [];
  const workers: Worker[] = [];
  let started = 0;
  let failure: Error | undefined;
  try {
    const init: SimulateWorkerInit = { options, outDir };
    const runs = Array.from({ length: threads }, () => {
      const worker = startWorker(ENTRY, init);
      workers.push(worker);
      return new Promise<boolean>((resolve, reject) => {
        let ready = false;
        // A stream per message while there are some, then 'flush': the thread's last file may
        // still be in writing when its last stream is done.
        const next = () => {
          const stream = failure ? undefined : queue.shift();
          worker.postMessage((stream ? { type: 'stream', ...stream } : { type: 'flush' }) satisfies ToSimulateWorker);
        };
        worker.on('message', (msg: FromSimulateWorker) => {
          if (msg.type === 'ready') {
            ready = true;
            started++;
            next();
          } else if (msg.type === 'part') {
            parts.push(msg.part);
            onPart(msg.part);
          } else if (msg.type === 'done') {
            next();
          } else if (msg.type === 'flushed') {
            resolve(true);
          } else {
            failure ??= new HistogramError(`Simulation of run ${msg.run}, layer ${msg.layer} failed: ${msg.message}`, { code: 'SIMULATION_FAILED' });
            reject(failure);
          }
        });
        worker.on('error', (error) => (ready ? reject((failure ??= error)) : resolve(false)));
        worker.on('exit', (code) => {
          if (!ready) resolve(false);
          else if (queue.length || code !== 0) reject((failure ??= new HistogramError(`A simulation thread exited unexpectedly (exit code ${code})`, { code: 'SIMULATION_FAILED' })));
        });
      });
    });
    await Promise.allSettled(runs);
    if (failure) throw failure;
    if (started === 0) return undefined;
    // A thread that could not start while others did: its share was taken by the others.
    if (queue.length) throw new HistogramError(`Simulation threads stopped with ${queue.length} streams left`, { code: 'SIMULATION_FAILED' });
    return parts;
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
