import { add, DEFAULT_PIPELINE, type Pipeline } from 'dqm-playground-ds/pipeline';
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
 * The project's pipelines; `__default__` = data_processing + data_science + data_visualization +
 * cluster_charge (the 1D ME's reference, which the dashboard draws under each LS: without it in
 * the default run and view, the reference is shown as never produced).
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
  return { ...pipelines, [DEFAULT_PIPELINE]: add(pipelines.data_processing!, pipelines.data_science!, pipelines.data_visualization!, pipelines.cluster_charge!) };
}
