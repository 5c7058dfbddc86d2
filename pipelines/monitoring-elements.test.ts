import { describe, expect, it } from 'vitest';
import { registerPipelines } from './registry';

describe('params:monitoring_elements: the pipelines on any ME besides the pixel maps', () => {
  it('one namespace per ME: <me>.raw -> <me>.preprocessed -> the features; layers: [] drops the maps', () => {
    const p = registerPipelines({ parameters: { layers: [], monitoring_elements: ['chargeInner_PXLayer_1', 'adc_PXDisk_-1'] } });
    expect([...p.data_processing!.inputs()].sort()).toEqual(['adc_PXDisk_-1.raw', 'chargeInner_PXLayer_1.raw', 'params:data_processing']);
    expect(p.data_processing!.nodeNames()).toEqual(['adc_PXDisk_-1.preprocess', 'chargeInner_PXLayer_1.preprocess']);
    expect([...p.data_science!.allOutputs()].filter((d) => d.startsWith('chargeInner_PXLayer_1.')).sort()).toEqual([
      'chargeInner_PXLayer_1.aggregated_properties', 'chargeInner_PXLayer_1.geometrical_properties', 'chargeInner_PXLayer_1.images_rmse',
      'chargeInner_PXLayer_1.mean_image', 'chargeInner_PXLayer_1.summary_statistics',
    ]);
    expect([...p.data_science!.inputs()].sort()).toEqual(['adc_PXDisk_-1.preprocessed', 'chargeInner_PXLayer_1.preprocessed']);
    expect(p.__default__!.nodeNames().filter((n) => n.startsWith('layer_'))).toEqual([]);
    // both kinds together
    const both = registerPipelines({ parameters: { layers: [2], monitoring_elements: ['chargeInner_PXLayer_1'] } });
    expect(both.data_processing!.nodeNames()).toEqual(['chargeInner_PXLayer_1.preprocess', 'preprocess_raw_pixel_layer_2_node']);
  });

  it('rejects names that cannot be a namespace', () => {
    for (const bad of ['2charge', 'a.b', 'layer_1', 7]) {
      expect(() => registerPipelines({ parameters: { monitoring_elements: [bad] } })).toThrow(
        `Parameter 'monitoring_elements' must be a list of names (letters, digits, _ and -, not starting with a digit; not layer_N), got ${JSON.stringify(bad)}`,
      );
    }
  });
});
