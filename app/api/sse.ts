/** One Server-Sent Events message: `id` (for Last-Event-ID), `event`, JSON `data`. */
export interface SseMessage {
  id?: number;
  event: string;
  data: unknown;
}

export interface SseChannel {
  send(message: SseMessage): void;
  /** Ends the stream (on the next tick, so a subscribe call in progress returns first). */
  close(): void;
}

export interface SseOptions {
  /** Reconnection delay the browser's EventSource uses. */
  retryMs: number;
  /** Comment lines keep proxies and SSH tunnels from closing a quiet stream. */
  pingMs: number;
  /** Starts sending; returns the cleanup run when the stream ends (client gone, or close()). */
  start(channel: SseChannel): () => void;
}

/**
 * The event-stream response both SSE routes answer with. Written by hand (40 lines) rather than
 * a dependency: Next's route handlers return a web ReadableStream, which the SSE packages for
 * Node's http responses do not fit.
 */
export function sseResponse(req: Request, opts: SseOptions): Response {
  const encoder = new TextEncoder();
  let cleanup = () => {};
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let open = true;
      const write = (text: string) => {
        if (!open) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          end();
        }
      };
      const end = () => {
        if (!open) return;
        open = false;
        cleanup();
        try {
          controller.close();
        } catch {
          // already closed
        }
      };
      write(`retry: ${opts.retryMs}\n\n`);
      const ping = setInterval(() => write(': ping\n\n'), opts.pingMs);
      let stop = () => {};
      cleanup = () => {
        clearInterval(ping);
        stop();
      };
      stop = opts.start({
        send: (m) => write(`${m.id === undefined ? '' : `id: ${m.id}\n`}event: ${m.event}\ndata: ${JSON.stringify(m.data)}\n\n`),
        close: () => setTimeout(end, 0),
      });
      if (!open) stop();
      req.signal.addEventListener('abort', end);
    },
    cancel() {
      cleanup();
    },
  });
  return new Response(stream, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' } });
}
