import { handle, vizService } from '../respond';
import { sseResponse } from '../sse';

export const dynamic = 'force-dynamic';

/** Server-Sent Events: `hello` with the service info, then `reload` when `dqm viz --autoreload` reloaded the project. */
export function GET(req: Request): Promise<Response> {
  return handle(async () => {
    const service = await vizService();
    return sseResponse(req, {
      retryMs: 2000,
      pingMs: 25_000,
      start: (channel) => {
        channel.send({ event: 'hello', data: service.info() });
        return service.subscribe((e) => channel.send({ event: e.type, data: e }));
      },
    });
  });
}
