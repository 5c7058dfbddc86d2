/**
 * A simulation thread: plans the simulation (deterministic, so every thread plans the same),
 * then simulates and writes the (run, layer) streams it is sent, one at a time, and on 'flush'
 * reports once its last file is written.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { planSimulation } from './simulate';
import { PartWriter } from './simulate-part-writer';
import { SlabPool } from './simulate-slabs';
import { writeStream } from './simulate-write';
import type { FromSimulateWorker, SimulateWorkerInit, ToSimulateWorker, WrittenPart } from './simulate-worker.types';

const port = parentPort!;
const post = (msg: FromSimulateWorker) => port.postMessage(msg);
const { options, outDir } = workerData as SimulateWorkerInit;
const plan = planSimulation(options);
// One writer and one slab pool for every stream of this thread: a stream's last file is written while the next
// stream is simulated; 'flush' (no stream left) waits for the last file.
const writer = new PartWriter();
const pool = new SlabPool();
const onPart = (part: WrittenPart) => post({ type: 'part', part });
const failed = (run: number, layer: number) => (error: unknown) => post({ type: 'failed', run, layer, message: error instanceof Error ? error.message : String(error) });
port.on('message', (msg: ToSimulateWorker) => {
  if (msg.type === 'flush') {
    const last = writer.lastPart;
    writer.flush().then(() => post({ type: 'flushed' }), failed(last?.run ?? NaN, last?.layer ?? NaN));
    return;
  }
  writeStream(plan, msg.run, msg.layer, outDir, writer, pool, onPart).then(() => post({ type: 'done', run: msg.run, layer: msg.layer }), failed(msg.run, msg.layer));
});
post({ type: 'ready' });
