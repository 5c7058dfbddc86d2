import { getVizService } from '../../../lib/viz/registry';
import { errorResponse } from '../respond';

export const dynamic = 'force-dynamic';

/** Server-Sent Events: `reload` when `dqm viz --autoreload` reloaded the project. */
export async function GET(req: Request): Promise<Response> {
  const pending = getVizService();
  if (!pending) return errorResponse(503, 'NOT_STARTED', 'The dashboard API runs inside `dqm viz`');
  const service = await pending;
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      send(`retry: 2000\nevent: hello\ndata: ${JSON.stringify(service.info())}\n\n`);
      const unsubscribe = service.subscribe((e) => send(`event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`));
      // Comments keep proxies and SSH tunnels from closing an idle stream.
      const ping = setInterval(() => send(': ping\n\n'), 25_000);
      cleanup = () => {
        clearInterval(ping);
        unsubscribe();
      };
      req.signal.addEventListener('abort', () => {
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed
        }
      });
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' } });
}
