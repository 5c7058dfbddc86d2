/**
 * A simulation thread: plans the simulation (deterministic, so every thread plans the same),
 * then simulates and writes the (run, layer) streams it is sent, one at a time.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { planSimulation } from './simulate';
import { writeStream } from './simulate-write';
import type { FromSimulateWorker, SimulateWorkerInit, ToSimulateWorker } from './simulate-worker.types';

const port = parentPort!;
const post = (msg: FromSimulateWorker) => port.postMessage(msg);
const { options, outDir } = workerData as SimulateWorkerInit;
const plan = planSimulation(options);
port.on('message', (msg: ToSimulateWorker) => {
  writeStream(plan, msg.run, msg.layer, outDir, (part) => post({ type: 'part', part })).then(
    () => post({ type: 'done', run: msg.run, layer: msg.layer }),
    (error: unknown) => post({ type: 'failed', run: msg.run, layer: msg.layer, message: error instanceof Error ? error.message : String(error) }),
  );
});
post({ type: 'ready' });
