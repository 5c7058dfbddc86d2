/**
 * sfc32, a small fast counter PRNG (PractRand-clean, 128-bit state), seeded through splitmix32:
 * the simulator must be deterministic for a seed and fast (hundreds of millions of draws).
 */
export class Prng {
  // State in an Int32Array: as object fields, 32-bit values outside V8's small-integer range
  // would be boxed as heap numbers on every update (4× slower).
  private readonly s = new Int32Array(4);
  private spare = NaN;

  constructor(seed: number) {
    let s = seed >>> 0;
    const next = () => {
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    for (let i = 0; i < 4; i++) this.s[i] = next();
    for (let i = 0; i < 12; i++) this.uint32();
  }

  uint32(): number {
    const s = this.s;
    const a = s[0]!, b = s[1]!, c = s[2]!, d = s[3]!;
    const t = (((a + b) | 0) + d) | 0;
    s[3] = (d + 1) | 0;
    s[0] = b ^ (b >>> 9);
    s[1] = (c + (c << 3)) | 0;
    s[2] = (((c << 21) | (c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  uniform(): number {
    return this.uint32() / 4294967296;
  }

  /** Integer in [lo, hi]. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.uniform() * (hi - lo + 1));
  }

  /** Standard normal (Marsaglia polar method, the second value cached). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const v = this.spare;
      this.spare = NaN;
      return v;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    return u * f;
  }

  /**
   * Poisson(λ), exact: inversion by sequential search for λ < 10 (one uniform, ~λ steps), and
   * Hörmann's PTRS transformed rejection above (as numpy does): ~2 uniforms and a log per draw.
   */
  poisson(lambda: number): number {
    if (lambda <= 0) return 0;
    if (lambda < SMALL_LAMBDA) {
      let p = Math.exp(-lambda);
      let s = p;
      let k = 0;
      const u = this.uniform();
      while (u > s && k < 100) {
        k++;
        p *= lambda / k;
        s += p;
      }
      return k;
    }
    const slam = Math.sqrt(lambda);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.uniform() - 0.5;
      const v = this.uniform();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      // The exact test, rarely reached (~14% of draws): the logs are computed only here.
      if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lambda + k * Math.log(lambda) - logFactorial(k)) return k;
    }
  }
}

/** Below this mean, poisson() inverts by sequential search (one uniform per draw). */
const SMALL_LAMBDA = 10;

const LOG_FACTORIAL = new Float64Array(1024);
for (let k = 2; k < LOG_FACTORIAL.length; k++) LOG_FACTORIAL[k] = LOG_FACTORIAL[k - 1]! + Math.log(k);

/** ln(k!): a table below 1024, Stirling's series above (error < 1e-12 there). */
function logFactorial(k: number): number {
  if (k < LOG_FACTORIAL.length) return LOG_FACTORIAL[k]!;
  return (k + 0.5) * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * k) - 1 / (360 * k * k * k);
}
