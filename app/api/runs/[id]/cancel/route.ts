import { json, withRuns } from '../../../respond';

export const dynamic = 'force-dynamic';

/** Stops a run started from the dashboard; answers once it is stopped and recorded. */
export async function POST(_req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  return withRuns(async (runs) => json({ run: await runs.cancel(decodeURIComponent(id)) }));
}
