import { json, withRuns } from '../../../respond';

export const dynamic = 'force-dynamic';

/** A run's output lines `{lines: [{node, stream, time, text}]}`, all nodes or `?node=NAME`. */
export async function GET(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  const node = new URL(req.url).searchParams.get('node') ?? undefined;
  return withRuns((runs) => json({ lines: runs.logs(decodeURIComponent(id), node || undefined) }));
}
