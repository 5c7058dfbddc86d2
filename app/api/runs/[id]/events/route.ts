import { withRuns } from '../../run-service';

export const dynamic = 'force-dynamic';

/**
 * Server-Sent Events of one run: the past events from the store first, then live ones; each
 * with `id: <seq>` (a reconnecting EventSource resumes after Last-Event-ID) and `event: <type>`.
 * After run_finished / run_aborted an `end` event is sent and the stream closes.
 */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  const runId = decodeURIComponent(id);
  const afterSeq = Number(req.headers.get('last-event-id') ?? new URL(req.url).searchParams.get('after') ?? 0) || 0;
  return withRuns((runs) => {
    runs.get(runId); // 404 before the stream opens
    const encoder = new TextEncoder();
    let cleanup = () => {};
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        let open = true;
        const send = (text: string) => {
          if (!open) return;
          try {
            controller.enqueue(encoder.encode(text));
          } catch {
            cleanup();
          }
        };
        const close = () => {
          cleanup();
          if (!open) return;
          open = false;
          try {
            controller.close();
          } catch {
            // already closed
          }
        };
        send('retry: 3000\n\n');
        // Comments keep proxies and SSH tunnels from closing a quiet stream (a long node).
        const ping = setInterval(() => send(': ping\n\n'), 20_000);
        let unsubscribe = () => {};
        cleanup = () => {
          clearInterval(ping);
          unsubscribe();
        };
        unsubscribe = runs.subscribe(
          runId,
          (e) => send(`id: ${e.seq}\nevent: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`),
          () => {
            send('event: end\ndata: {}\n\n');
            // Closed on the next tick so subscribe() has returned and cleanup can unsubscribe.
            setTimeout(close, 0);
          },
          afterSeq,
        );
        req.signal.addEventListener('abort', close);
      },
      cancel() {
        cleanup();
      },
    });
    return new Response(stream, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' } });
  });
}
