import { HistogramError } from 'dqm-playground-ds/dqm';

/**
 * The barrel layers to process: `params:layers` (default all four), validated. `[]` processes
 * no pixel map (a project on other monitoring elements: `params:monitoring_elements`).
 */
export function layersOf(parameters: Record<string, unknown>): number[] {
  const raw = parameters.layers ?? [1, 2, 3, 4];
  const list = Array.isArray(raw) ? raw : [raw];
  const bad = list.filter((l) => !Number.isInteger(l) || (l as number) < 1 || (l as number) > 4);
  if ((!list.length && !Array.isArray(raw)) || bad.length) {
    throw new HistogramError(`Parameter 'layers' must be a list of pixel barrel layers among 1, 2, 3, 4, got ${JSON.stringify(raw)}`, { code: 'BAD_PARAMETER' });
  }
  return [...new Set(list as number[])].sort((a, b) => a - b);
}

/** Per-layer datasets share this namespace: `layer_1.summary_statistics`, ... */
export function layerNamespace(layer: number): string {
  return `layer_${layer}`;
}

/**
 * Monitoring elements processed besides the pixel maps: `params:monitoring_elements`, a list of
 * names (default none). Each is a namespace: its raw HistogramSet is the catalog entry
 * `<name>.raw` (e.g. a dqm.DQMIOCSVDataset with load_args.hname), and data_processing and
 * data_science give `<name>.preprocessed`, `<name>.summary_statistics`, ..., `<name>.aggregated_properties`.
 */
export function monitoringElementsOf(parameters: Record<string, unknown>): string[] {
  const raw = parameters.monitoring_elements ?? [];
  const list = Array.isArray(raw) ? raw : [raw];
  const bad = list.filter((m) => typeof m !== 'string' || !/^[A-Za-z_][A-Za-z0-9_-]*$/.test(m) || /^layer_\d+$/.test(m));
  if (bad.length) {
    throw new HistogramError(
      `Parameter 'monitoring_elements' must be a list of names (letters, digits, _ and -, not starting with a digit; not layer_N), got ${JSON.stringify(bad[0])}`,
      { code: 'BAD_PARAMETER' },
    );
  }
  return [...new Set(list as string[])];
}
