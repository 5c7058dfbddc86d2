import { layeredLayout, ELK_MAX_NODES, elkLayout } from '../../lib/graph';
import type { LayoutRequest, LayoutResponse } from './layout.types';

// Layout never runs on the page's main thread: a 2,500-node graph would freeze scrolling.
self.onmessage = async (event: MessageEvent<LayoutRequest>) => {
  const { id, input, engine } = event.data;
  const t0 = performance.now();
  let reply: LayoutResponse;
  try {
    const result = engine === 'elk' && input.nodes.length <= ELK_MAX_NODES ? await elkLayout(input) : layeredLayout(input);
    reply = { type: 'result', id, result, ms: performance.now() - t0 };
  } catch (error) {
    reply = { type: 'error', id, message: error instanceof Error ? error.message : String(error) };
  }
  (self as unknown as Worker).postMessage(reply);
};
