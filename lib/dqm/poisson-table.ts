import type { Prng } from './prng';

/**
 * Poisson(λ) for the simulator's millions of draws per map, exact and without a Math.exp or a
 * search per draw: λ = G + δ with G on a grid of step 1/RESOLUTION, and Poisson(λ) is drawn as
 * Poisson(G) + Poisson(δ) (a sum of independent Poisson variables is Poisson with the summed mean):
 * - Poisson(G) by Walker's alias method on a table built once per grid point (lazily, shared by
 *   every generator of the thread): one uniform, one comparison. The table holds k = 0..K-1 and
 *   one tail cell for k ≥ K (mass < TAIL_MASS, then drawn by sequential search), so no outcome is cut.
 * - Poisson(δ), δ < 1/RESOLUTION, by inversion: u < 1 - δ ≤ e^-δ means 0 (all but ~1.6% of
 *   draws, no exp); otherwise e^-δ and a sequential search decide.
 * λ ≥ MAX_TABULATED (the hot spots) goes to Prng.poisson (PTRS). Resolution as for any inversion
 * from one 32-bit uniform: the probabilities are exact to ~2^-32.
 */
export function poissonTabled(rng: Prng, lambda: number): number {
  if (lambda <= 0) return 0;
  if (!(lambda < MAX_TABULATED)) return rng.poisson(lambda);
  const g = (lambda * RESOLUTION) | 0;
  const delta = lambda - g / RESOLUTION; // exact: g / RESOLUTION is a power-of-two fraction
  let k = 0;
  if (g > 0) {
    let off = OFFSET[g]!;
    if (off < 0) off = buildTable(g);
    const x = rng.uniform() * SIZE[g]!;
    const i = x | 0;
    k = x - i < PROB[off + i]! ? i : ALIAS[off + i]!;
    if (k === SIZE[g]! - 1) k = tail(rng, g, k);
  }
  const u = rng.uniform();
  return u < 1 - delta ? k : k + smallPoisson(delta, u);
}

/** Grid points per unit of λ (a power of two, so G = g / RESOLUTION is exact). */
const RESOLUTION = 32;
/** Means from here on are drawn by PTRS (exact, ~2 uniforms and rarely a log). */
export const MAX_TABULATED = 128;
/** A table ends at the first K with P(X ≥ K) below this; the tail cell carries that mass. */
const TAIL_MASS = 1e-12;

const POINTS = MAX_TABULATED * RESOLUTION;
/** Per grid point: start of its cells in PROB/ALIAS (-1 until built) and the cell count (K + 1). */
const OFFSET = new Int32Array(POINTS).fill(-1);
const SIZE = new Int32Array(POINTS);
/** The tail mass per grid point (for the tail cell's conditional draw). */
const TAIL = new Float64Array(POINTS);
/** Cells of all built tables, appended as grid points are first used (grown by doubling). */
let PROB = new Float64Array(1 << 16);
let ALIAS = new Int32Array(1 << 16);
let used = 0;

/** ln(k!) for the table's pmf (log space: no underflow of e^-G at large G). */
const LOG_FACTORIAL = new Float64Array(1024);
for (let k = 2; k < LOG_FACTORIAL.length; k++) LOG_FACTORIAL[k] = LOG_FACTORIAL[k - 1]! + Math.log(k);

const pmf = (mean: number, k: number) => Math.exp(-mean + k * Math.log(mean) - LOG_FACTORIAL[k]!);

/** Builds grid point g's alias table (Vose's construction); returns its offset. */
function buildTable(g: number): number {
  const mean = g / RESOLUTION;
  // The pmf far past the mode (its terms there are below 1e-40), then the upper tails from the
  // top: K is the first k past the mode whose tail P(X ≥ K) is below TAIL_MASS.
  const top = Math.ceil(mean + 20 * Math.sqrt(mean) + 40);
  const w = new Float64Array(top + 1);
  for (let j = 0; j <= top; j++) w[j] = pmf(mean, j);
  let k = top;
  let tailMass = w[top]!;
  while (k - 1 > mean && tailMass + w[k - 1]! < TAIL_MASS) tailMass += w[--k]!;
  TAIL[g] = tailMass;
  const cells = k + 1;
  w[k] = tailMass;
  let total = 0;
  for (let j = 0; j < cells; j++) total += w[j]!;
  if (used + cells > PROB.length) {
    const prob = new Float64Array(PROB.length * 2);
    const alias = new Int32Array(ALIAS.length * 2);
    prob.set(PROB);
    alias.set(ALIAS);
    (PROB = prob), (ALIAS = alias);
  }
  const off = used;
  // Vose: scaled weights (mean 1); a cell below 1 keeps its own outcome with that probability
  // and is topped up by a cell above 1, which then gives away that much.
  const small: number[] = [];
  const large: number[] = [];
  for (let j = 0; j < cells; j++) {
    w[j] = (w[j]! * cells) / total;
    (w[j]! < 1 ? small : large).push(j);
  }
  while (small.length && large.length) {
    const s = small.pop()!;
    const l = large[large.length - 1]!;
    PROB[off + s] = w[s]!;
    ALIAS[off + s] = l;
    w[l] = w[l]! + w[s]! - 1;
    if (w[l]! < 1) small.push(large.pop()!);
  }
  // Left over (1 up to rounding): keep their own outcome.
  for (const j of [...small, ...large]) (PROB[off + j] = 1), (ALIAS[off + j] = j);
  OFFSET[g] = off;
  SIZE[g] = cells;
  used += cells;
  return off;
}

/** X | X ≥ k for X ~ Poisson(G) at grid point g: sequential search over the tail's pmf (drawn with P < 1e-12). */
function tail(rng: Prng, g: number, k: number): number {
  const mean = g / RESOLUTION;
  let u = rng.uniform() * TAIL[g]!;
  let p = pmf(mean, k);
  while (u > p && p > 0) {
    u -= p;
    k++;
    p *= mean / k;
  }
  return k;
}

/** Poisson(δ) for δ < 1/RESOLUTION by inversion of u (u ≥ 1 - δ: the rare case where it may be > 0). */
function smallPoisson(delta: number, u: number): number {
  let p = Math.exp(-delta);
  let s = p;
  let z = 0;
  while (u >= s && z < 30) {
    z++;
    p *= delta / z;
    s += p;
  }
  return z;
}
