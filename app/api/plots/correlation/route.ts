import { respond } from '../../respond';

export const dynamic = 'force-dynamic';

/** `?layer=1&x=mean&y=rmse`: the scatter, its Pearson r and the layer's correlation matrix. */
export async function GET(req: Request): Promise<Response> {
  const q = new URL(req.url).searchParams;
  return respond((service) => service.plots().correlation(q.get('layer'), q.get('x'), q.get('y')));
}
