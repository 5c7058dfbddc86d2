/**
 * The real labelled ZeroBias 2017B sample (../shared/data/zerobias2017b, read-only, never copied):
 * one 1D ME (chargeInner_PXLayer_1), 4 runs, Golden and pixel GOOD masks. Develop masks for
 * evaluations are written from the LS the file really has (a mask naming LS the data lacks is an
 * error by design).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { LumiMask, readDqmioCsv } from 'dqm-playground-ds/dqm';
import type { HistogramSet } from 'dqm-playground-ds/data';
import { sharedPath } from '../../tests/shared-data.fixtures';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ZB_DIR = sharedPath('data/zerobias2017b');
export const ZB_CSV = path.join(ZB_DIR, 'ZeroBias_2017B_chargeInner_PXLayer_1.csv');
export const ZB_HNAME = 'chargeInner_PXLayer_1';
export const ZB_PIXEL = path.join(ZB_DIR, 'pixel_good.json');
export const ZB_GOLDEN = path.join(ZB_DIR, 'golden_good.json');
export const ZB_RUNS = [297047, 297050, 297056, 297171] as const;
/** Develop on two runs, apply to the other two: each split's develop runs hold one pixel-bad run. */
export const ZB_SPLITS: ReadonlyArray<readonly [number, number]> = [
  [297047, 297050],
  [297047, 297056],
  [297050, 297171],
  [297056, 297171],
];

let cached: HistogramSet | undefined;
export function zerobias(): HistogramSet {
  cached ??= readDqmioCsv(ZB_CSV, { hname: ZB_HNAME });
  return cached;
}

/** Writes a Golden-JSON mask of every LS of `runs` in the sample; returns its path. */
export function runMask(runs: readonly number[], dir = mkdtempSync(path.join(os.tmpdir(), 'dqm-zb-'))): string {
  const h = zerobias();
  const rows = Array.from(h.run.keys()).filter((i) => runs.includes(h.run[i]!));
  const file = path.join(dir, `develop_${runs.join('_')}.json`);
  writeFileSync(file, JSON.stringify(LumiMask.fromPairs(rows.map((i) => h.run[i]!), rows.map((i) => h.lumi[i]!)).toGoldenJson()));
  return file;
}
