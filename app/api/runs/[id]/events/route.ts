import { withRuns } from '../../../respond';
import { sseResponse } from '../../../sse';

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
    return sseResponse(req, {
      retryMs: 3000,
      pingMs: 20_000,
      start: (channel) =>
        runs.subscribe(
          runId,
          (e) => channel.send({ id: e.seq, event: e.type, data: e }),
          () => {
            channel.send({ event: 'end', data: {} });
            channel.close();
          },
          afterSeq,
        ),
    });
  });
}
