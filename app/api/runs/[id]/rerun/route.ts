import { json, withRuns } from '../../../respond';
import { jsonBody } from '../../body';

export const dynamic = 'force-dynamic';

/** Runs a recorded run again, same params, env and selection: `{from: 'failed' | 'start'}` -> 202 `{run}`. */
export async function POST(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  return withRuns(async (runs) => json({ run: await runs.rerun(decodeURIComponent(id), await jsonBody(req)) }, 202));
}
