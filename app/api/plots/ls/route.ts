import { respond } from '../../respond';

export const dynamic = 'force-dynamic';

/** `?run=357000&lumi=12&layer=1[&dataset=raw_cluster_charge_layer_1]`: the LS's histogram (1D or 2D), the reference, the residual and the strategies' scores. */
export async function GET(req: Request): Promise<Response> {
  const q = new URL(req.url).searchParams;
  return respond((service) => service.plots().ls(q.get('run'), q.get('lumi'), q.get('layer'), q.get('dataset')));
}
