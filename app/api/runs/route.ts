import { json, withRuns } from '../respond';
import { jsonBody } from './body';

export const dynamic = 'force-dynamic';

/** The project's runs, newest first (`?limit=`, `?offset=`). */
export function GET(req: Request): Promise<Response> {
  const q = new URL(req.url).searchParams;
  const limit = Math.min(Math.max(Number(q.get('limit') ?? 100) || 100, 1), 1000);
  const offset = Math.max(Number(q.get('offset') ?? 0) || 0, 0);
  return withRuns((runs) => json({ runs: runs.list({ limit, offset }), running: runs.runningId() ?? null }));
}

/** Starts a run: `{pipeline, env, params, nodes, fromNodes, toNodes, tags, onlyMissingOutputs, ...}` -> 202 `{run}`. */
export function POST(req: Request): Promise<Response> {
  return withRuns(async (runs) => json({ run: await runs.start(await jsonBody(req)) }, 202));
}
