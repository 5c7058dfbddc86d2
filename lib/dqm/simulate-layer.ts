import { Prng } from './prng';
import {
  EDGE_ROW_FACTOR, LADDER_EDGE_FACTOR, LADDERS, MODULE_EDGES, MODULE_GAP_FACTOR, TEXTURE, zProfile,
} from './simulate-calibration';

export const IMAGE_ROWS = 200;
export const IMAGE_COLS = 300;

/** A dead or weak part of the detector, in ladder (phi) × module (z) coordinates. */
export interface DetectorDefect {
  kind: 'dead_module' | 'dead_half_module' | 'dead_roc' | 'weak_module';
  ladder: number;
  module: number;
}

/**
 * The static picture of one barrel layer: for each bin of the 200 × 300 image, the fraction of
 * the layer's clusters it collects (sums to 1; 0 where the detector is dead). Built from the
 * calibrated z profile and structure (module gaps, ladder overlaps), a log-normal gain per ROC
 * and per half-ladder, and randomly placed dead/weak modules and ROCs (static over runs).
 */
export interface LayerModel {
  layer: number;
  ladders: number;
  /** `ladders + 1` row edges: ladder k covers rows [ladderEdges[k], ladderEdges[k+1]). */
  ladderEdges: number[];
  template: Float64Array;
  defects: DetectorDefect[];
}

export function buildLayerModel(layer: number, seed: number): LayerModel {
  const rng = new Prng(hashSeed(seed, 'layer', layer));
  const ladders = LADDERS[layer] ?? Math.round(12 * layer);
  const texture = TEXTURE[layer] ?? TEXTURE[4]!;
  const ladderEdges = Array.from({ length: ladders + 1 }, (_, k) => 1 + Math.round((k * 198) / ladders));
  const z = zProfile(layer);
  const colFactor = new Float64Array(IMAGE_COLS);
  const first = MODULE_EDGES[0]!;
  z.forEach((v, i) => (colFactor[first + i] = v));
  const last = first + z.length;
  colFactor[last] = z[z.length - 1]!;
  colFactor[last + 1] = 0.03 * z[z.length - 1]!;
  colFactor[first] = colFactor[first]! * 0.7;
  for (const gap of MODULE_EDGES.slice(1, -1)) colFactor[gap] = colFactor[gap]! * MODULE_GAP_FACTOR;

  const template = new Float64Array(IMAGE_ROWS * IMAGE_COLS);
  const defects: DetectorDefect[] = [];
  for (let k = 0; k < ladders; k++) {
    const r0 = ladderEdges[k]!;
    const r1 = ladderEdges[k + 1]!;
    const mid = Math.round((r0 + r1) / 2);
    const halfGain = [lognormal(rng, texture.halfLadderSigma), lognormal(rng, texture.halfLadderSigma)];
    for (let m = 0; m < 8; m++) {
      const c0 = MODULE_EDGES[m]!;
      const c1 = m === 7 ? IMAGE_COLS : MODULE_EDGES[m + 1]!;
      const u = rng.uniform();
      let deadHalf = -1;
      let moduleGain = 1;
      if (u < texture.deadModule) {
        defects.push({ kind: 'dead_module', ladder: k, module: m });
        continue;
      } else if (u < texture.deadModule + texture.deadHalfModule) {
        deadHalf = rng.int(0, 1);
        defects.push({ kind: 'dead_half_module', ladder: k, module: m });
      } else if (u < texture.deadModule + texture.deadHalfModule + texture.weakModule) {
        moduleGain = 0.4 + 0.3 * rng.uniform();
        defects.push({ kind: 'weak_module', ladder: k, module: m });
      }
      // 2 ROCs in phi (the half-ladders) × 8 ROCs in z per module.
      for (let half = 0; half < 2; half++) {
        if (half === deadHalf) continue;
        const ra = half === 0 ? r0 : mid;
        const rb = half === 0 ? mid : r1;
        for (let roc = 0; roc < 8; roc++) {
          const ca = c0 + Math.round((roc * (c1 - c0)) / 8);
          const cb = c0 + Math.round(((roc + 1) * (c1 - c0)) / 8);
          if (rng.uniform() < texture.deadRoc) {
            defects.push({ kind: 'dead_roc', ladder: k, module: m });
            continue;
          }
          const gain = moduleGain * halfGain[half]! * lognormal(rng, texture.rocSigma);
          for (let y = ra; y < rb; y++) {
            const rowFactor = y === 0 || y === IMAGE_ROWS - 1 ? 0 : y === 1 || y === IMAGE_ROWS - 2 ? EDGE_ROW_FACTOR : y === r0 && k > 0 ? LADDER_EDGE_FACTOR : 1;
            for (let x = ca; x < cb; x++) template[y * IMAGE_COLS + x] = colFactor[x]! * rowFactor * gain;
          }
        }
      }
    }
  }
  let sum = 0;
  for (let i = 0; i < template.length; i++) sum += template[i]!;
  for (let i = 0; i < template.length; i++) template[i] = template[i]! / sum;
  return { layer, ladders, ladderEdges, template, defects };
}

/** Bins (image indices) of a module of a ladder, optionally restricted to a column range. */
export function moduleBins(model: LayerModel, ladder: number, module: number): number[] {
  const bins: number[] = [];
  const c0 = MODULE_EDGES[module]!;
  const c1 = module === 7 ? MODULE_EDGES[8]! + 1 : MODULE_EDGES[module + 1]!;
  for (let y = model.ladderEdges[ladder]!; y < model.ladderEdges[ladder + 1]!; y++) {
    for (let x = c0; x < c1; x++) bins.push(y * IMAGE_COLS + x);
  }
  return bins;
}

function lognormal(rng: Prng, sigma: number): number {
  return Math.exp(sigma * rng.normal() - (sigma * sigma) / 2);
}

/** A 32-bit seed for an independent stream per purpose (layer model, run × layer, ...). */
export function hashSeed(seed: number, ...parts: Array<string | number>): number {
  let h = 2166136261 ^ (seed >>> 0);
  for (const ch of parts.join('/')) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 16777619);
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  return (h ^ (h >>> 12)) >>> 0;
}
