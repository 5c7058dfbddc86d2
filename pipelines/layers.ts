import { HistogramError } from 'dqm-playground-ds/dqm';

/** The barrel layers to process: `params:layers` (default all four), validated. */
export function layersOf(parameters: Record<string, unknown>): number[] {
  const raw = parameters.layers ?? [1, 2, 3, 4];
  const list = Array.isArray(raw) ? raw : [raw];
  const bad = list.filter((l) => !Number.isInteger(l) || (l as number) < 1 || (l as number) > 4);
  if (!list.length || bad.length) {
    throw new HistogramError(`Parameter 'layers' must be a list of pixel barrel layers among 1, 2, 3, 4, got ${JSON.stringify(raw)}`, { code: 'BAD_PARAMETER' });
  }
  return [...new Set(list as number[])].sort((a, b) => a - b);
}

/** Per-layer datasets share this namespace: `layer_1.summary_statistics`, ... */
export function layerNamespace(layer: number): string {
  return `layer_${layer}`;
}
