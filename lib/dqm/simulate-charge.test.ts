import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalisedMean } from '../data';
import { readDqmioCsv } from './readers';
import { labelsOf, planSimulation } from './simulate';
import { simulateClusterCharge } from './simulate-charge';
import { CHARGE_FILE, writeSimulation } from './simulate-write';

/** Fraction of a LS's entries below 10,000 e (the first 12.5 bins: bins 0-11). */
function lowChargeShare(values: Float32Array, i: number, entries: number): number {
  let s = 0;
  for (let b = 0; b < 12; b++) s += values[i * 100 + b]!;
  return s / entries;
}

describe('simulated cluster charge (the 1D ME)', () => {
  const plan = planSimulation({ seed: 2, lumisections: 300, layers: [1, 3] });
  const h = simulateClusterCharge(plan, 1);

  it('is a 1D set, 100 bins over 0-80,000 e, one row per LS, entries = the counts', () => {
    expect([h.ny, h.nx, h.x.min, h.x.max, h.x.unit, h.name]).toEqual([1, 100, 0, 80_000, 'e', 'chargeInner_PXLayer_1']);
    expect(Array.from(h.lumi.slice(0, 3))).toEqual([1, 2, 3]);
    let sum = 0;
    for (let b = 0; b < 100; b++) sum += h.values[b]!;
    expect(h.entries[0]).toBe(sum);
    // the peak (most probable charge) sits near 17.5 ke as in the real chargeInner_PXLayer_1
    const ref = normalisedMean(h);
    const peak = ref.indexOf(Math.max(...ref));
    expect(peak * 800).toBeGreaterThan(12_000);
    expect(peak * 800).toBeLessThan(22_000);
    // deterministic
    expect(simulateClusterCharge(plan, 1).values).toEqual(h.values);
  });

  it('noisy regions add low-charge clusters on their labelled LS; low-statistics LS have few entries', () => {
    const labels = labelsOf(plan).filter((l) => l.layer === 1);
    const noisy = new Set(labels.filter((l) => l.anomaly === 'noisy_region').map((l) => l.lumi));
    const lowStat = new Set(labels.filter((l) => l.anomaly === 'low_statistics').map((l) => l.lumi));
    const bad = new Set(labels.map((l) => l.lumi));
    expect(noisy.size).toBeGreaterThan(0);
    const good = [...Array(300).keys()].filter((i) => !bad.has(i + 1));
    const goodShare = Math.max(...good.map((i) => lowChargeShare(h.values, i, h.entries[i]!)));
    for (const ls of noisy) expect(lowChargeShare(h.values, ls - 1, h.entries[ls - 1]!)).toBeGreaterThan(goodShare);
    const median = [...h.entries].sort((a, b) => a - b)[150]!;
    for (const ls of lowStat) expect(h.entries[ls - 1]).toBeLessThan(0.1 * median);
  });

  it('dqm simulate writes it as one DQMIO CSV that the reader selects by hname', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'dqm-charge-'));
    const summary = await writeSimulation({ seed: 2, lumisections: 6, layers: [1, 3] }, out);
    expect(summary.chargeFile).toBe(path.join(out, CHARGE_FILE));
    const back = readDqmioCsv(summary.chargeFile, { hname: 'chargeInner_PXLayer_3' });
    expect([back.ny, back.nx, back.run.length, back.source?.metype]).toEqual([1, 100, 6, 3]);
    expect(Array.from(back.values)).toEqual(Array.from(simulateClusterCharge(planSimulation({ seed: 2, lumisections: 6, layers: [1, 3] }), 3).values));
  });
});

describe('normalisedMean', () => {
  it('averages the chosen LS after scaling each to unit entries', () => {
    const h = simulateClusterCharge(planSimulation({ seed: 1, lumisections: 4, layers: [2] }), 2);
    const m = normalisedMean(h, [1, 3]);
    for (const b of [20, 50]) expect(m[b]).toBeCloseTo((h.values[100 + b]! / h.entries[1]! + h.values[300 + b]! / h.entries[3]!) / 2, 12);
    expect(m.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});
