import type { HistogramSet } from '../../data';
import { Prng } from '../prng';

/** Poisson draw by inversion (λ ≤ ~100 here) or a normal approximation above. */
export function poisson(lambda: number, uniform: () => number): number {
  if (lambda > 100) {
    const u = 1 - uniform();
    return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform())));
  }
  const l = Math.exp(-lambda);
  let k = 0;
  let p = uniform();
  while (p > l) {
    k++;
    p *= uniform();
  }
  return k;
}

export interface SmallSetOptions {
  n: number;
  ny?: number;
  nx?: number;
  /** Mean counts per bin at luminosity 1. */
  level?: number;
  seed?: number;
  /** Per-LS change of the expected map (dead module, hot spot): gets (ls index, y, x, λ) returns λ. */
  modify?: (i: number, y: number, x: number, lambda: number) => number;
}

/**
 * Hand-built pixel-like maps: an occupancy falling with |z| (columns) and a phi (rows) modulation,
 * luminosity falling over the "fill", Poisson counts. Small (default 20×30) so tests are fast.
 */
export function smallSet(opts: SmallSetOptions): HistogramSet {
  const { n, ny = 20, nx = 30, level = 40, seed = 7 } = opts;
  const prng = new Prng(seed);
  const u = () => prng.uniform();
  const values = new Float32Array(n * ny * nx);
  const entries = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const lumiScale = 1 - (0.4 * i) / Math.max(n, 1);
    let total = 0;
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        const z = (x - (nx - 1) / 2) / nx;
        let lambda = level * lumiScale * (1.5 - Math.abs(z)) * (1 + 0.2 * Math.sin((2 * Math.PI * y) / ny));
        if (opts.modify) lambda = opts.modify(i, y, x, lambda);
        const c = poisson(lambda, u);
        values[(i * ny + y) * nx + x] = c;
        total += c;
      }
    }
    entries[i] = total;
  }
  return {
    kind: 'histogram-set',
    title: 'test_map',
    run: new Int32Array(n).fill(1),
    lumi: Int32Array.from({ length: n }, (_, i) => i + 1),
    entries,
    ny,
    nx,
    x: { min: -26.7, max: 26.7, label: 'z [cm]' },
    y: { min: -3.14, max: 3.14, label: 'phi [rad]' },
    values,
  };
}
