// A worker thread's TypeScript entry for package-esm-hooks.test.ts: imports the ES module file
// named by workerData and sends back the source text of its `later` function, as Node ran it.
import { parentPort, workerData } from 'node:worker_threads';

const { later } = (await import(workerData as string)) as { later: () => unknown };
parentPort!.postMessage(later.toString());
