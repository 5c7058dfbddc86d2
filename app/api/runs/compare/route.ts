import { DqmError } from '../../../../lib/errors';
import { json, withRuns } from '../../respond';

export const dynamic = 'force-dynamic';

/** Two runs side by side: `?a=ID&b=ID`. */
export function GET(req: Request): Promise<Response> {
  const q = new URL(req.url).searchParams;
  return withRuns((runs) => {
    const a = q.get('a');
    const b = q.get('b');
    if (!a || !b) throw new DqmError('Compare needs two run ids: ?a=<run id>&b=<run id>', { code: 'BAD_COMPARE', httpStatus: 400 });
    return json(runs.compare(a, b));
  });
}
