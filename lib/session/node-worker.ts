/**
 * Entry of a parallel-runner worker thread: the nodes it can run are the project's, loaded by
 * the same registry loader as the CLI and the server (lib/runner serves them).
 */
import { serveNodeWorker } from '../runner';
import { loadRegistry } from './registry';

await serveNodeWorker(async ({ root, parameters }) => Object.values(await loadRegistry(root, parameters)).flatMap((p) => p.nodes));
