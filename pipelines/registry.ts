import { add, DEFAULT_PIPELINE, type Pipeline } from 'dqm-playground-ds/pipeline';
import { HistogramError } from 'dqm-playground-ds/dqm';
// dqm:imports
import { createPipeline as dataProcessing } from './data_processing/pipeline';
import { createPipeline as dataScience } from './data_science/pipeline';
import { createPipeline as dataVisualization } from './data_visualization/pipeline';
import { createPipeline as dataExtraction } from './data_extraction/pipeline';
import { createPipeline as upload } from './upload/pipeline';
import { createPipeline as clusterCharge } from './cluster_charge/pipeline';
import { createPipeline as strategies, createEvaluationPipeline as strategiesEvaluation } from './strategies/pipeline';
import { createEvaluatePipeline as evaluate } from './strategies/evaluate-pipeline';

export interface RegistryContext {
  parameters: Record<string, unknown>;
}

/**
 * The project's pipelines; `__default__` = data_processing + data_science + data_visualization,
 * + cluster_charge when `cluster_charge.in_default` is true (conf/base: the simulated project has
 * the 1D ME; its reference, drawn under each LS, was otherwise shown as never produced). A
 * project without that parameter (real map pickles only) keeps the three.
 */
export function registerPipelines(ctx: RegistryContext): Record<string, Pipeline> {
  const pipelines: Record<string, Pipeline> = {
    // dqm:pipelines
    data_processing: dataProcessing(ctx),
    data_science: dataScience(ctx),
    data_visualization: dataVisualization(ctx),
    data_extraction: dataExtraction(ctx),
    upload: upload(ctx),
    strategies: strategies(ctx),
    strategies_evaluation: strategiesEvaluation(ctx),
    // `dqm evaluate`: strategies on one ME's labelled LS (the command supplies files and masks)
    evaluate: evaluate(ctx),
    cluster_charge: clusterCharge(ctx),
  };
  const charge = ctx.parameters.cluster_charge as { in_default?: unknown } | undefined;
  if (charge?.in_default !== undefined && typeof charge.in_default !== 'boolean') {
    throw new HistogramError(`Parameter 'cluster_charge.in_default' must be true or false, got ${JSON.stringify(charge.in_default)}`, { code: 'BAD_PARAMETER' });
  }
  const defaults = [pipelines.data_processing!, pipelines.data_science!, pipelines.data_visualization!, ...(charge?.in_default ? [pipelines.cluster_charge!] : [])];
  return { ...pipelines, [DEFAULT_PIPELINE]: add(...defaults) };
}
