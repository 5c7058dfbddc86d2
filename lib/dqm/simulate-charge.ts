import { createHistogramSet, type HistogramSet } from '../data';
import { Prng } from './prng';
import { ENTRIES_AT_FILL_START } from './simulate-calibration';
import { hashSeed } from './simulate-layer';
import type { PlannedAnomaly, SimulationPlan } from './simulate';

/** The DQMIO name of the simulated 1D ME of a layer (as in the real ZeroBias 2017B exports). */
export const chargeHname = (layer: number) => `chargeInner_PXLayer_${layer}`;

/** Binning of the real `chargeInner_PXLayer_1`: 100 bins over 0-80,000 electrons. */
const BINS = 100;
const X_MAX = 80_000;
/** Share of a layer's clusters on inner ladders (the ME's entries against the map's). */
const INNER_SHARE = 0.5;
/** Most probable charge and width (electrons): a Moyal (Landau-like) peak fitted by eye to the real ME. */
const MPV = 17_500;
const WIDTH = 6_500;
/** Extra low-charge clusters (fraction of entries) that noisy pixels and hot spots add, and where. */
const NOISE_SHARE: Partial<Record<PlannedAnomaly['kind'], number>> = { noisy_region: 0.25, hot_spot: 0.1 };
const NOISE_CHARGE = 6_000;
const NOISE_WIDTH = 2_500;

function centre(i: number): number {
  return ((i + 0.5) * X_MAX) / BINS;
}

/** The normalised shape of a good LS: Moyal peak times the readout threshold turn-on. */
function goodShape(): Float64Array {
  const p = Float64Array.from({ length: BINS }, (_, i) => {
    const x = centre(i);
    const l = (x - MPV) / WIDTH;
    return Math.exp(-(l + Math.exp(-l)) / 2) * (1 - Math.exp(-x / 4_000));
  });
  return normalise(p);
}

function noiseShape(): Float64Array {
  return normalise(Float64Array.from({ length: BINS }, (_, i) => Math.exp(-(((centre(i) - NOISE_CHARGE) / NOISE_WIDTH) ** 2) / 2)));
}

function normalise(p: Float64Array): Float64Array {
  const s = p.reduce((a, b) => a + b, 0);
  return p.map((v) => v / s);
}

/**
 * The simulated cluster-charge ME of one layer (1D, one row per LS): Poisson counts around a
 * Landau-like peak, entries following the layer's luminosity curve (low-statistics LS included),
 * and the same labelled anomalies as the maps seen in charge: noisy regions and hot spots add
 * low-charge clusters. Seeded per (run, layer), like the maps.
 */
export function simulateClusterCharge(plan: SimulationPlan, layer: number): HistogramSet {
  const o = plan.options;
  const n = o.runs * o.lumisections;
  const set = createHistogramSet(
    { title: `Cluster charge, inner ladders, BPix layer ${layer}`, name: chargeHname(layer), ny: 1, nx: BINS, x: { min: 0, max: X_MAX, label: 'Cluster charge', unit: 'e' }, y: { min: 0, max: 1, label: 'Clusters' }, source: { format: 'simulation', metype: 3 } },
    n,
  );
  const good = goodShape();
  const noise = noiseShape();
  let i = 0;
  for (const [run, curve] of plan.lumi) {
    const rng = new Prng(hashSeed(o.seed, 'charge', run, layer));
    const active = plan.anomalies.filter((a) => a.run === run && (a.layer === layer || a.layer === 0));
    for (let ls = 1; ls <= o.lumisections; ls++, i++) {
      const expected = ENTRIES_AT_FILL_START[layer]! * INNER_SHARE * curve[ls - 1]!;
      const extra = active.reduce((s, a) => (ls >= a.from && ls <= a.to ? s + (NOISE_SHARE[a.kind] ?? 0) : s), 0);
      const row = set.values.subarray(i * BINS, (i + 1) * BINS);
      let sum = 0;
      for (let b = 0; b < BINS; b++) sum += row[b] = rng.poisson(expected * (good[b]! + extra * noise[b]!));
      set.run[i] = run;
      set.lumi[i] = ls;
      set.entries[i] = sum;
    }
  }
  return set;
}
