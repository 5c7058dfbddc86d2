import { json, withRuns } from '../../respond';

export const dynamic = 'force-dynamic';

/** One run: the run, its nodes' statuses and the datasets it saved. */
export async function GET(_req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  return withRuns((runs) => json(runs.get(decodeURIComponent(id))));
}
