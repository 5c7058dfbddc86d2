/**
 * Entry of a parallel-runner worker thread. It imports the project's pipeline registry (so node
 * functions exist here too), then runs the nodes it is sent by name: inputs arrive as structured
 * clones, outputs go back with their typed-array buffers transferred.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Node } from '../pipeline';
import { withProgress } from './progress';
import { serializeError, transferables } from './transfer';
import type { RunnerCatalog } from './catalog';
import type { FromWorker, ToWorker, WorkerInit } from './worker-messages.types';

const port = parentPort!;
const post = (msg: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);
const nodes = new Map<string, Node>();
const init = workerData as WorkerInit;
let catalog: Promise<RunnerCatalog> | undefined;

/** This thread's own catalog, built on first use from the main thread's config. */
function workerCatalog(): Promise<RunnerCatalog> {
  catalog ??= import('../io').then(({ DataCatalog }) => {
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
  });
  return catalog;
}

try {
  const { registryUrl, parameters } = init;
  const registry = (await import(registryUrl)) as { registerPipelines: (ctx: { parameters: Record<string, unknown> }) => Record<string, { nodes: readonly Node[] }> };
  for (const p of Object.values(registry.registerPipelines({ parameters }))) {
    for (const n of p.nodes) if (!nodes.has(n.name)) nodes.set(n.name, n);
  }
  post({ type: 'ready', nodes: [...nodes.values()].map((n) => ({ name: n.name, inputs: [...n.inputs], outputs: [...n.outputs] })) });
} catch (error) {
  post({ type: 'init_error', error: serializeError(error) });
}

port.on('message', async (msg: ToWorker) => {
  const { id } = msg;
  try {
    const node = nodes.get(msg.node)!;
    const inputs = { ...msg.inputs };
    const cat = msg.io.load.length || msg.io.save.length ? await workerCatalog() : undefined;
    for (const d of msg.io.load) inputs[d] = await cat!.load(d);
    const outputs = await withProgress((done, total, unit) => post({ type: 'progress', id, done, total, unit }), () => node.run(inputs));
    for (const d of msg.io.save) {
      await cat!.save(d, outputs[d]);
      delete outputs[d];
    }
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
});

function notCloneable(node: string, cause: unknown): Error {
  return new Error(
    `Node '${node}' returned a value that cannot be passed between threads (${(cause as Error).message}); return plain data, tag the node 'main_thread', or use --runner sequential`,
  );
}
