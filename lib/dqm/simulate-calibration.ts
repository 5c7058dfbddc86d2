/**
 * Constants of the simulator, measured on the real maps of Run 316187 (layers 1 and 2,
 * 16 lumisections each; see the README section "How the simulation is built"). Columns and
 * rows are indices in the inner 200 × 300 image (phi rows, z columns).
 */

/** Barrel layer radii (cm) and ladder counts of the Phase-1 pixel detector. */
export const LAYER_RADIUS_CM: Record<number, number> = { 1: 2.9, 2: 6.8, 3: 10.9, 4: 16.0 };
export const LADDERS: Record<number, number> = { 1: 12, 2: 28, 3: 44, 4: 64 };

/** Module boundaries in z: 8 modules between these column edges (active columns 82..215). */
export const MODULE_EDGES = [82, 98, 115, 132, 149, 165, 182, 199, 216];
/** The first column of each module after the first sees ~0.6 of its neighbours' occupancy. */
export const MODULE_GAP_FACTOR = 0.6;
/** Rows 1 and 198 are half-covered; rows 0 and 199 are empty. */
export const EDGE_ROW_FACTOR = 0.18;
/** The first phi row of each ladder collects more clusters (overlap with the neighbour). */
export const LADDER_EDGE_FACTOR = 1.35;

/**
 * Mean occupancy per bin along z (columns 82..215), normalised to the peak, on the real
 * layer 1 and 2 maps (alive modules only, module-gap columns interpolated, 3-column mean).
 */
export const Z_PROFILE: Record<1 | 2, readonly number[]> = {
  1: [0.017, 0.020, 0.026, 0.035, 0.041, 0.053, 0.062, 0.073, 0.072, 0.075, 0.078, 0.093, 0.103, 0.116, 0.116, 0.120, 0.124, 0.136, 0.145, 0.145, 0.151, 0.153, 0.167, 0.170, 0.181, 0.183, 0.193, 0.195, 0.207, 0.214, 0.226, 0.230, 0.240, 0.250, 0.259, 0.272, 0.281, 0.287, 0.287, 0.299, 0.318, 0.329, 0.329, 0.338, 0.356, 0.385, 0.410, 0.426, 0.432, 0.455, 0.506, 0.566, 0.630, 0.676, 0.717, 0.737, 0.769, 0.800, 0.847, 0.882, 0.915, 0.929, 0.956, 0.976, 1.000, 0.977, 0.949, 0.908, 0.888, 0.876, 0.856, 0.840, 0.813, 0.795, 0.779, 0.783, 0.781, 0.777, 0.748, 0.725, 0.691, 0.658, 0.604, 0.539, 0.511, 0.497, 0.498, 0.469, 0.444, 0.422, 0.397, 0.381, 0.367, 0.355, 0.333, 0.317, 0.302, 0.295, 0.279, 0.267, 0.253, 0.240, 0.230, 0.220, 0.216, 0.209, 0.202, 0.191, 0.187, 0.180, 0.179, 0.171, 0.167, 0.158, 0.150, 0.138, 0.127, 0.117, 0.112, 0.107, 0.107, 0.100, 0.097, 0.087, 0.081, 0.067, 0.058, 0.045, 0.040, 0.032, 0.028, 0.023, 0.022, 0.021],
  2: [0.206, 0.224, 0.259, 0.263, 0.266, 0.269, 0.275, 0.279, 0.285, 0.290, 0.299, 0.306, 0.314, 0.320, 0.328, 0.327, 0.318, 0.322, 0.333, 0.352, 0.357, 0.366, 0.376, 0.386, 0.394, 0.402, 0.411, 0.420, 0.428, 0.434, 0.439, 0.442, 0.449, 0.457, 0.473, 0.490, 0.509, 0.525, 0.545, 0.566, 0.590, 0.611, 0.633, 0.652, 0.675, 0.695, 0.717, 0.737, 0.759, 0.777, 0.796, 0.814, 0.831, 0.851, 0.869, 0.886, 0.905, 0.920, 0.937, 0.949, 0.965, 0.975, 0.988, 0.994, 1.000, 0.967, 0.951, 0.948, 0.976, 0.993, 0.985, 0.973, 0.952, 0.942, 0.927, 0.920, 0.901, 0.890, 0.870, 0.854, 0.836, 0.819, 0.778, 0.711, 0.698, 0.705, 0.737, 0.714, 0.695, 0.672, 0.652, 0.628, 0.612, 0.588, 0.570, 0.546, 0.529, 0.510, 0.495, 0.482, 0.472, 0.463, 0.455, 0.448, 0.439, 0.431, 0.425, 0.418, 0.411, 0.405, 0.396, 0.388, 0.376, 0.370, 0.363, 0.356, 0.350, 0.344, 0.338, 0.334, 0.328, 0.320, 0.311, 0.305, 0.299, 0.295, 0.289, 0.283, 0.276, 0.271, 0.267, 0.263, 0.259, 0.255],
};

/**
 * Entries per LS (full-map sum) at the start of a fill. Layers 1–2 from the real run
 * (L1 ≈ 420k, L2 ≈ 362k around LS 107, extrapolated to LS 1); layers 3–4 scaled from layer 2 by
 * their pseudorapidity acceptance asinh(27 cm / r) (the same barrel length at a larger radius
 * sees fewer tracks): ×0.79 and ×0.62.
 */
export const ENTRIES_AT_FILL_START: Record<number, number> = { 1: 438_000, 2: 377_000, 3: 298_000, 4: 234_000 };
/** Luminosity lifetime in LS: entries fall from ≈420k (LS 107) to ≈214k (LS 1828) in the real run. */
export const LUMI_LIFETIME_LS = 2550;

/** Per-layer texture: ROC gain spread (log-normal σ), half-ladder gain spread, dead/weak rates. */
export interface LayerTexture {
  rocSigma: number;
  halfLadderSigma: number;
  deadModule: number;
  deadHalfModule: number;
  deadRoc: number;
  weakModule: number;
}

export const TEXTURE: Record<number, LayerTexture> = {
  1: { rocSigma: 0.15, halfLadderSigma: 0.1, deadModule: 0.02, deadHalfModule: 0.015, deadRoc: 0.008, weakModule: 0.01 },
  2: { rocSigma: 0.06, halfLadderSigma: 0.08, deadModule: 0.025, deadHalfModule: 0.015, deadRoc: 0.003, weakModule: 0.015 },
  3: { rocSigma: 0.05, halfLadderSigma: 0.1, deadModule: 0.02, deadHalfModule: 0.01, deadRoc: 0.003, weakModule: 0.01 },
  4: { rocSigma: 0.05, halfLadderSigma: 0.1, deadModule: 0.015, deadHalfModule: 0.01, deadRoc: 0.003, weakModule: 0.01 },
};

/**
 * The z profile of any layer: layers 1–2 measured; beyond, the log-profile of layer 2 flattened
 * by the radius ratio (measured: ln(peak/edge) goes as ~1/r from layer 1 to layer 2).
 */
export function zProfile(layer: number): number[] {
  if (layer === 1 || layer === 2) return [...Z_PROFILE[layer]];
  const k = LAYER_RADIUS_CM[2]! / (LAYER_RADIUS_CM[layer] ?? LAYER_RADIUS_CM[4]!);
  return Z_PROFILE[2].map((v) => Math.pow(v, k));
}
