/**
 * The work of a parallel-runner worker thread: it gets the node functions from `loadNodes`
 * (the thread's entry module says where from: lib/session/node-worker.ts loads the project's
 * registry), then runs the nodes it is sent by name: inputs arrive as structured clones,
 * outputs go back with their typed-array buffers transferred.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Node } from '../pipeline';
import { withMetrics, withProgress } from '../progress';
import { withNodeOutput } from './node-output';
import { forEachDataset } from './task';
import { serializeError, transferables } from './transfer';
import type { RunnerCatalog } from './catalog';
import type { FromWorker, ToWorker, WorkerInit } from './worker-messages.types';

/** Called once by a worker thread's entry module. */
export async function serveNodeWorker(loadNodes: (init: WorkerInit) => Promise<Iterable<Node>>): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('serveNodeWorker runs in a parallel-runner worker thread only');
  const post = (msg: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);
  const init = workerData as WorkerInit;
  const nodes = new Map<string, Node>();
  const catalog = lazyCatalog(init);
  try {
    for (const n of await loadNodes(init)) if (!nodes.has(n.name)) nodes.set(n.name, n);
    post({ type: 'ready', nodes: [...nodes.values()].map((n) => ({ name: n.name, inputs: [...n.inputs], outputs: [...n.outputs] })) });
  } catch (error) {
    post({ type: 'init_error', error: serializeError(error) });
  }
  port.on('message', (msg: ToWorker) => void runNode(msg, init, nodes, catalog, post));
}

type Post = (msg: FromWorker, transfer?: ArrayBuffer[]) => void;

/** This thread's own catalog, built on first use from the main thread's config. */
function lazyCatalog(init: WorkerInit): () => Promise<RunnerCatalog> {
  let catalog: Promise<RunnerCatalog> | undefined;
  return () => (catalog ??= import('../io').then(({ DataCatalog }) => {
    const cfg = init.catalog!;
    const c = DataCatalog.fromConfig(cfg.entries, {
      projectRoot: cfg.projectRoot,
      credentials: cfg.credentials,
      loadVersions: cfg.loadVersions,
      saveVersion: cfg.saveVersion,
      sources: cfg.sources,
    });
    c.addFeedDict(cfg.parameters);
    return c;
  }));
}

async function runNode(msg: ToWorker, init: WorkerInit, nodes: ReadonlyMap<string, Node>, workerCatalog: () => Promise<RunnerCatalog>, post: Post): Promise<void> {
  // The node's output in this thread goes to the main thread line by line, as in-thread nodes'.
  await withNodeOutput((stream, text) => post({ type: 'log', id: msg.id, stream, text }), () => runCaptured(msg, init, nodes, workerCatalog, post));
}

async function runCaptured(msg: ToWorker, init: WorkerInit, nodes: ReadonlyMap<string, Node>, workerCatalog: () => Promise<RunnerCatalog>, post: Post): Promise<void> {
  const { id } = msg;
  try {
    const node = nodes.get(msg.node)!;
    const inputs = { ...msg.inputs };
    const cat = msg.io.load.length || msg.io.save.length ? await workerCatalog() : undefined;
    await forEachDataset(msg.io.load, init.isAsync === true, async (d) => {
      inputs[d] = await cat!.load(d);
    });
    const outputs = await withProgress(
      (done, total, unit) => post({ type: 'progress', id, done, total, unit }),
      () => withMetrics((name, value) => post({ type: 'metric', id, name, value }), () => node.run(inputs)),
    );
    await forEachDataset(msg.io.save, init.isAsync === true, async (d) => {
      await cat!.save(d, outputs[d]);
      delete outputs[d];
    });
    const transfer = [...transferables(outputs)];
    try {
      post({ type: 'done', id, outputs, saved: msg.io.save }, transfer);
    } catch (cloneError) {
      if ((cloneError as Error).name === 'DataCloneError') throw notCloneable(node.name, cloneError);
      post({ type: 'done', id, outputs, saved: msg.io.save }); // e.g. a buffer that cannot be transferred: copy instead
    }
  } catch (error) {
    post({ type: 'failed', id, error: serializeError(error) });
  }
}

function notCloneable(node: string, cause: unknown): Error {
  return new Error(
    `Node '${node}' returned a value that cannot be passed between threads (${(cause as Error).message}); return plain data, tag the node 'main_thread', or use --runner sequential`,
  );
}
