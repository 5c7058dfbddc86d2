import fc from 'fast-check';
import { expect } from 'vitest';
import { DqmError } from '../../lib/errors';

/** Iterations per property: small in the normal suite, `FUZZ_RUNS` (npm run fuzz) for long runs. */
export const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
/**
 * Fixed in the normal suite, so a failure in CI reproduces; a long run (FUZZ_RUNS set) picks a
 * new seed each time and prints it (rerun with FUZZ_SEED=<seed>).
 */
export const SEED = process.env.FUZZ_SEED !== undefined ? Number(process.env.FUZZ_SEED) : process.env.FUZZ_RUNS ? Date.now() % 2 ** 31 : 20261125;
if (process.env.FUZZ_RUNS) console.log(`fuzz: ${RUNS} runs per property, seed ${SEED}`);

export const fuzzParams = (runs = RUNS) => ({ numRuns: runs, seed: SEED, endOnFailure: true });

/** Runs `fn`; only our typed errors (DqmError subclasses) may escape, each with a message. */
export function onlyTypedErrors(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof DqmError)) throw new Error(`untyped error escaped: ${(error as Error)?.constructor?.name}: ${(error as Error)?.message}`, { cause: error });
    expect(error.message.length).toBeGreaterThan(0);
  }
}

/**
 * Mutations of a valid input: flip, set, insert or delete bytes, truncate, or splice a copy of
 * one of its own slices elsewhere (repeats length fields and opcodes, which random bytes rarely hit).
 */
export function mutated(seedInputs: Uint8Array[]): fc.Arbitrary<Uint8Array> {
  const edit = fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), n: fc.integer({ min: 1, max: 16 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), from: fc.nat(), n: fc.integer({ min: 1, max: 64 }) }),
  );
  return fc.tuple(fc.constantFrom(...seedInputs), fc.array(edit, { minLength: 1, maxLength: 6 })).map(([input, edits]) => {
    let b = Array.from(input);
    for (const e of edits) {
      const at = b.length ? e.at % b.length : 0;
      if (e.kind === 'flip' && b.length) b[at] = b[at]! ^ (1 << e.bit);
      else if (e.kind === 'set' && b.length) b[at] = e.value;
      else if (e.kind === 'insert') b.splice(at, 0, ...e.bytes);
      else if (e.kind === 'delete') b.splice(at, e.n);
      else if (e.kind === 'truncate') b = b.slice(0, at);
      else if (e.kind === 'splice' && b.length) b.splice(at, 0, ...b.slice(e.from % b.length, (e.from % b.length) + e.n));
    }
    return Uint8Array.from(b);
  });
}
