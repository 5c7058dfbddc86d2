import { DqmError } from '../../../../../lib/errors';
import { errorResponse, handle, vizService } from '../../../respond';

export const dynamic = 'force-dynamic';

/** `GET /api/nodes/{id}/map?ls=N`: LS N's map of a histogram dataset, raw float32 little-endian (ny × nx). */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  const query = new URL(req.url).searchParams;
  const ls = Number(query.get('ls') ?? '0');
  if (!Number.isInteger(ls) || ls < 0) return errorResponse(new DqmError(`Query parameter 'ls' must be a non-negative integer, got '${query.get('ls')}'`, { code: 'BAD_LS', httpStatus: 400 }));
  return handle(async () => {
    const map = await (await vizService()).lsMap(decodeURIComponent(id), { pipeline: query.get('pipeline') ?? undefined, ls });
    return new Response(map.slice().buffer as ArrayBuffer, { headers: { 'content-type': 'application/octet-stream', 'cache-control': 'no-store' } });
  });
}
