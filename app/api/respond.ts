import { getVizService, type VizServiceApi } from '../../lib/viz/registry';

/**
 * The one shape of every API answer: the JSON of `fn`, or `{error: {code, message}}` with the
 * error's status (our errors carry `httpStatus`; anything else is a 500).
 */
export async function respond(fn: (service: VizServiceApi) => Promise<unknown>): Promise<Response> {
  const pending = getVizService();
  if (!pending) return errorResponse(503, 'NOT_STARTED', 'The dashboard API runs inside `dqm viz`; start it with `npx dqm viz`');
  try {
    return Response.json(await fn(await pending), { headers: { 'cache-control': 'no-store' } });
  } catch (error) {
    const e = error as { code?: unknown; httpStatus?: unknown; message?: unknown };
    const status = typeof e.httpStatus === 'number' ? e.httpStatus : 500;
    const code = typeof e.code === 'string' ? e.code : 'INTERNAL_ERROR';
    return errorResponse(status, code, typeof e.message === 'string' ? e.message : String(error));
  }
}

export function errorResponse(status: number, code: string, message: string): Response {
  return Response.json({ error: { code, message } }, { status, headers: { 'cache-control': 'no-store' } });
}
