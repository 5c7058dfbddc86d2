import { describe, expect, it } from 'vitest';
import { MAX_TABULATED, poissonTabled } from './poisson-table';
import { Prng } from './prng';

/** ln P(X = k) for X ~ Poisson(mean), computed here from scratch (sum of logs for ln k!). */
function logPmf(mean: number, k: number): number {
  let lf = 0;
  for (let j = 2; j <= k; j++) lf += Math.log(j);
  return -mean + k * Math.log(mean) - lf;
}

/**
 * Pearson's chi-square of the counts against the Poisson pmf, over categories with ≥ 5 expected
 * draws: the values around the mean one by one, each tail pooled into one category.
 */
function chiSquare(counts: Map<number, number>, mean: number, n: number): { statistic: number; df: number } {
  const kMax = Math.max(...counts.keys(), Math.ceil(mean + 12 * Math.sqrt(mean) + 20));
  const expected = Array.from({ length: kMax + 1 }, (_, k) => n * Math.exp(logPmf(mean, k)));
  const observed = Array.from({ length: kMax + 1 }, (_, k) => counts.get(k) ?? 0);
  // Pool the left tail up to the first category with ≥ 5 expected, the right tail likewise
  // (the right tail's expectation includes everything beyond kMax: 1 - the rest).
  let lo = 0;
  let eLo = expected[0]!;
  let oLo = observed[0]!;
  while (eLo < 5) (eLo += expected[++lo]!), (oLo += observed[lo]!);
  let hi = kMax;
  let eHi = n - expected.slice(0, kMax).reduce((a, b) => a + b, 0);
  let oHi = observed[kMax]!;
  while (eHi < 5) (eHi += expected[--hi]!), (oHi += observed[hi]!);
  const cells: Array<[number, number]> = [[oLo, eLo]];
  for (let k = lo + 1; k < hi; k++) cells.push([observed[k]!, expected[k]!]);
  cells.push([oHi, eHi]);
  return { statistic: cells.reduce((s, [o, e]) => s + ((o - e) * (o - e)) / e, 0), df: cells.length - 1 };
}

/** The chi-square quantile by Wilson–Hilferty (within ~1% of the exact one from 2 degrees of freedom on). */
function chiSquareQuantile(df: number, z: number): number {
  const a = 2 / (9 * df);
  return df * (1 - a + z * Math.sqrt(a)) ** 3;
}

describe('poissonTabled', () => {
  // Small means (the grid's first point, the δ-only draws), grid points and between them,
  // the alias tables up to MAX_TABULATED, and PTRS beyond.
  const means = [0.01, 0.03125, 0.05, 0.5, 1, 3.3, 8.7, 10, 17.1, 45.2, 100, MAX_TABULATED - 0.001, MAX_TABULATED, 1000];
  const N = 400_000;

  // Prng.poisson itself (the cluster-charge ME, and poissonTabled's PTRS): both of its branches.
  const cases = [...means.map((m) => ['poissonTabled', m] as const), ...[0.5, 8.7, 45.2].map((m) => ['Prng.poisson', m] as const)];

  it.each(cases)('%s, λ = %f: mean, variance and the pmf (chi-square) as Poisson(λ), fixed seed', (sampler, mean) => {
    const rng = new Prng(2024);
    const draw = sampler === 'poissonTabled' ? () => poissonTabled(rng, mean) : () => rng.poisson(mean);
    const counts = new Map<number, number>();
    let sum = 0;
    let sum2 = 0;
    for (let i = 0; i < N; i++) {
      const k = draw();
      counts.set(k, (counts.get(k) ?? 0) + 1);
      sum += k;
      sum2 += k * k;
    }
    const m = sum / N;
    const v = (sum2 - N * m * m) / (N - 1);
    // Within 4.5 standard errors: the mean's is sqrt(λ/N), the sample variance's sqrt((λ + 2λ²)/N).
    expect(Math.abs(m - mean)).toBeLessThan(4.5 * Math.sqrt(mean / N));
    expect(Math.abs(v - mean)).toBeLessThan(4.5 * Math.sqrt((mean + 2 * mean * mean) / N));
    const { statistic, df } = chiSquare(counts, mean, N);
    expect(df).toBeGreaterThanOrEqual(mean < 0.05 ? 1 : 2);
    // Two-sided at p = 0.001 each way (z = ±3.09): neither a misfit nor a suspiciously perfect fit.
    expect(statistic).toBeLessThan(df === 1 ? 10.83 : chiSquareQuantile(df, 3.09));
    if (df > 2) expect(statistic).toBeGreaterThan(chiSquareQuantile(df, -3.09));
  });

  it('gives 0 for a mean of 0 or below without drawing, and the same draws for the same seed', () => {
    const a = new Prng(5);
    expect([poissonTabled(a, 0), poissonTabled(a, -3)]).toEqual([0, 0]);
    expect(a.uint32()).toBe(new Prng(5).uint32());
    const draw = (seed: number) => {
      const rng = new Prng(seed);
      return Array.from({ length: 2000 }, (_, i) => poissonTabled(rng, (i % 400) * 0.37));
    };
    expect(draw(8)).toEqual(draw(8));
    expect(draw(8)).not.toEqual(draw(9));
  });
});
