import { DqmError } from '../../../../lib/errors';
import { json, withRuns } from '../../respond';

export const dynamic = 'force-dynamic';

/** One node's duration across past runs, newest first: `?node=NAME[&limit=30]` -> `{points}`. */
export function GET(req: Request): Promise<Response> {
  const q = new URL(req.url).searchParams;
  return withRuns((runs) => {
    const node = q.get('node');
    if (!node) throw new DqmError('Which node? ?node=<node name>', { code: 'BAD_RUN_REQUEST', httpStatus: 400 });
    const limit = Math.min(Math.max(Number(q.get('limit') ?? 30) || 30, 1), 500);
    return json({ node, points: runs.durations(node, limit) });
  });
}
