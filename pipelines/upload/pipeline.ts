import { node, Pipeline } from 'dqm-playground-ds/pipeline';
import { uploadPredictions } from './nodes';

export interface RegistryContext {
  parameters: Record<string, unknown>;
}

/**
 * upload: a strategy's predictions -> the playground website. The predictions dataset is
 * chosen by the `upload.predictions` parameter (default `predictions`), read when the pipeline
 * is built, e.g. `--params upload.predictions=mean_image_distance.predictions`. Outputs
 * `upload_payload` (exactly what is POSTed; data/07_model_output/upload_payload.json) and
 * `upload_report`. Tagged `main_thread`: the website client does not cross threads.
 */
export function createPipeline(ctx?: RegistryContext): Pipeline {
  const upload = ctx?.parameters.upload as { predictions?: unknown } | undefined;
  const predictions = typeof upload?.predictions === 'string' && upload.predictions ? upload.predictions : 'predictions';
  return new Pipeline([
    node(uploadPredictions, ['dqm_playground_api', predictions, 'params:upload'], { upload_payload: 'upload_payload', upload_report: 'upload_report' }, {
      name: 'upload_predictions',
      tags: ['upload', 'main_thread'],
    }),
  ]);
}
