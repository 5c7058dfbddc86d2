import { respond } from '../../respond';

export const dynamic = 'force-dynamic';

/** `?layer=1&variable=mean` (or a strategy: `variable=strategy_pca`): one trace per run. */
export async function GET(req: Request): Promise<Response> {
  const q = new URL(req.url).searchParams;
  return respond((service) => service.plots().series(q.get('layer'), q.get('variable')));
}
