import type { HistogramSetShape } from '../data';

/** The pixel barrel cluster-position axes: inner 300 bins of z, 200 bins of phi. */
export function pixelMapShape(layer: number | string): HistogramSetShape {
  return {
    title: `clusterposition_zphi_PXLayer_${layer}`,
    ny: 200,
    nx: 300,
    // Assumed ranges of the DQM monitoring element (global z in cm, phi in rad); the
    // features are computed in bin-index units and do not depend on them.
    x: { min: -60, max: 60, label: 'Global z [cm]' },
    y: { min: -Math.PI, max: Math.PI, label: 'Global φ [rad]' },
  };
}
