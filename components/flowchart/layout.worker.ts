import type { LayoutRequest, LayoutResponse } from './layout.types';
import { computeLayout } from './runLayout';

// Layout never runs on the page's main thread: a 2,500-node graph would freeze scrolling.
self.onmessage = async (event: MessageEvent<LayoutRequest>) => {
  const { id, input, engine } = event.data;
  const t0 = performance.now();
  let reply: LayoutResponse;
  try {
    reply = { type: 'result', id, result: await computeLayout(input, engine), ms: performance.now() - t0 };
  } catch (error) {
    reply = { type: 'error', id, message: error instanceof Error ? error.message : String(error) };
  }
  (self as unknown as Worker).postMessage(reply);
};
