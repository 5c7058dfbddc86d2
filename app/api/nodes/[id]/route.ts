import { DqmError } from '../../../../lib/errors';
import { errorResponse, respond } from '../../respond';

export const dynamic = 'force-dynamic';

export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  const query = new URL(req.url).searchParams;
  const lsText = query.get('ls');
  const ls = lsText === null || lsText === '' ? undefined : Number(lsText);
  if (ls !== undefined && (!Number.isInteger(ls) || ls < 0)) {
    return errorResponse(new DqmError(`Query parameter 'ls' must be a non-negative integer, got '${lsText}'`, { code: 'BAD_LS', httpStatus: 400 }));
  }
  return respond((service) => service.node(decodeURIComponent(id), { pipeline: query.get('pipeline') ?? undefined, ls }));
}
