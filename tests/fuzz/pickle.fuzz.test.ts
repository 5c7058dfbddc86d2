import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readPandasPickle, unpickle, NUMPY_REDUCERS } from '../../lib/io';
import { generatedFixturesDir } from '../../lib/io/pickle/pickle.fixtures';
import { fuzzParams, mutated, onlyTypedErrors, RUNS } from './fuzz.fixtures';

// The reader tests' fixture pickles, written by the real Python pickler at test time.
const FIXTURES = generatedFixturesDir();
const seeds = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.pkl') && fs.statSync(path.join(FIXTURES, f)).size < 64_000).map((f) => new Uint8Array(fs.readFileSync(path.join(FIXTURES, f))));

describe('fuzz: pickle reader', () => {
  it('has seed pickles', () => expect(seeds.length).toBeGreaterThan(5));
  it('fuzz: mutated real pandas pickles give a table or a PickleError, never a crash', () => {
    fc.assert(fc.property(mutated(seeds), (bytes) => onlyTypedErrors(() => readPandasPickle(bytes))), fuzzParams(RUNS * 3));
  });
  it('fuzz: random bytes (with and without a protocol header) give a typed error', () => {
    const arb = fc.tuple(fc.constantFrom(new Uint8Array(), Uint8Array.of(0x80, 5), Uint8Array.of(0x80, 2), Uint8Array.of(0x80, 5, 0x95)), fc.uint8Array({ maxLength: 200 })).map(([head, tail]) => Uint8Array.from([...head, ...tail]));
    fc.assert(fc.property(arb, (bytes) => {
      onlyTypedErrors(() => readPandasPickle(bytes));
      onlyTypedErrors(() => unpickle(bytes, { reducers: NUMPY_REDUCERS }));
    }), fuzzParams());
  });
});
