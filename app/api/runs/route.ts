import { DqmError } from '../../../lib/errors';
import { json, withRuns } from '../respond';

export const dynamic = 'force-dynamic';

/** The project's runs, newest first (`?limit=`, `?offset=`). */
export function GET(req: Request): Promise<Response> {
  const q = new URL(req.url).searchParams;
  const limit = Math.min(Math.max(Number(q.get('limit') ?? 100) || 100, 1), 1000);
  const offset = Math.max(Number(q.get('offset') ?? 0) || 0, 0);
  return withRuns((runs) => json({ runs: runs.list({ limit, offset }), running: runs.runningId() ?? null }));
}

/** Starts a run: `{pipeline, env, params, nodes, fromNodes, toNodes, tags}` -> 202 `{run}`. */
export function POST(req: Request): Promise<Response> {
  return withRuns(async (runs) => {
    const text = await req.text();
    let body: unknown;
    try {
      body = text.trim() ? JSON.parse(text) : {};
    } catch (error) {
      throw new DqmError(`The request body is not valid JSON: ${(error as Error).message}`, { code: 'BAD_JSON', httpStatus: 400, cause: error });
    }
    const run = await runs.start(body);
    return json({ run }, 202);
  });
}
