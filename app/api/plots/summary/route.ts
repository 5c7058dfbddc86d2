import { respond } from '../../respond';

export const dynamic = 'force-dynamic';

/** Layers, variables, strategies and the strategy comparison table of the plots page. */
export async function GET(): Promise<Response> {
  return respond((service) => service.plots().summary());
}
