import { json, withRuns } from '../../respond';

export const dynamic = 'force-dynamic';

/** Missing and stale persisted datasets of a pipeline (`?pipeline=`): `{datasets: {name: {state, reasons}}}`. */
export function GET(req: Request): Promise<Response> {
  const pipeline = new URL(req.url).searchParams.get('pipeline') || undefined;
  return withRuns(async (runs) => json({ datasets: await runs.freshness(pipeline) }));
}
