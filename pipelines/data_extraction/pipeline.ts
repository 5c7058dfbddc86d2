import { node, Pipeline } from 'dqm-playground-ds/pipeline';
import { fetchLumisectionHistograms, fetchLumisectionHistograms1D, fetchLumisections, fetchRuns, resolveExtractionTargets } from './nodes';

export interface RegistryContext {
  parameters: Record<string, unknown>;
}

/**
 * data_extraction: website -> data/01_raw. Inputs: `dqm_playground_api` (an api.APIDataset with
 * `load_as: client`) and `params:data_extraction`; outputs the website's run and lumisection
 * lists, the raw maps (`raw_histograms`, a PartitionedDataset of pickles), the 1D histograms
 * (`raw_histograms_1d`, a PartitionedDataset of website-layout CSVs) and a summary of each.
 * Every node talks to the website through the client, which cannot cross threads: they are
 * tagged `main_thread` (the parallel runner keeps them in the main thread; they wait on I/O anyway).
 */
export function createPipeline(_ctx?: RegistryContext): Pipeline {
  const tags = ['data_extraction', 'main_thread'];
  return new Pipeline([
    node(resolveExtractionTargets, ['dqm_playground_api', 'params:data_extraction'], 'extraction_targets', { name: 'resolve_extraction_targets', tags }),
    node(fetchRuns, ['dqm_playground_api', 'extraction_targets'], 'website_runs', { name: 'fetch_runs', tags }),
    node(fetchLumisections, ['dqm_playground_api', 'extraction_targets'], 'website_lumisections', { name: 'fetch_lumisections', tags }),
    node(
      fetchLumisectionHistograms,
      ['dqm_playground_api', 'extraction_targets', 'params:data_extraction'],
      { raw_histograms: 'raw_histograms', extraction_summary: 'extraction_summary' },
      { name: 'fetch_lumisection_histograms', tags },
    ),
    node(
      fetchLumisectionHistograms1D,
      ['dqm_playground_api', 'extraction_targets', 'params:data_extraction'],
      { raw_histograms_1d: 'raw_histograms_1d', extraction_summary_1d: 'extraction_summary_1d' },
      { name: 'fetch_lumisection_histograms_1d', tags },
    ),
  ]);
}
