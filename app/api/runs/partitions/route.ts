import { json, withRuns } from '../../respond';

export const dynamic = 'force-dynamic';

/** The run x layer view: each CMS run of each partitioned input, processed, missing, failed or stale (`?pipeline=`). */
export function GET(req: Request): Promise<Response> {
  const pipeline = new URL(req.url).searchParams.get('pipeline') || undefined;
  return withRuns(async (runs) => json(await runs.partitions(pipeline)));
}
