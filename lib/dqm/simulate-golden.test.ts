/**
 * The simulator's files for a seed, byte for byte: a SHA-256 of every file written, fixed when
 * the simulator was last changed on purpose. Speed work on the sampler, the map text or the
 * pickle writer must leave these unchanged (issue 17); a change to the model changes them, and
 * then the new hashes are recorded here with the reason in the commit.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSimulation } from './simulate-write';
import type { SimulateOptions } from './simulate';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function fileHashes(options: SimulateOptions, threads: number): Promise<Record<string, string>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'dqm-sim-golden-'));
  dirs.push(dir);
  const summary = await writeSimulation(options, dir, undefined, { threads });
  const files = [...summary.files, summary.labelsFile, summary.chargeFile];
  return Object.fromEntries(files.map((f) => [path.relative(dir, f), createHash('sha256').update(readFileSync(f)).digest('hex').slice(0, 16)]));
}

// 2 runs × 4 layers × 30 LS in parts of 20: two parts per stream, every anomaly kind (the hot
// spots push the means past the Poisson sampler's small-λ branch).
const GOLDEN: SimulateOptions = { seed: 5, lumisections: 30, runs: 2, layers: [1, 2, 3, 4], chunkSize: 20 };
const EXPECTED_PLAIN: Record<string, string> = {
  'cluster_charge/chargeInner_PXLayer.csv': 'b00cdf0f225eee38',
  'labels.csv': 'bddb7233438f4a0a',
  'pixel_layer_3/Run_357000_0_clusterposition_PXLayer_3.pkl': 'a934f3c02cf7b0a9',
};
const EXPECTED: Record<string, string> = {
  'cluster_charge/chargeInner_PXLayer.csv': 'c88a0dbf12f6b1a3',
  'labels.csv': '4e7895d9f7dad47c',
  'pixel_layer_1/Run_357000_0_clusterposition_PXLayer_1.pkl': 'ab1d9b7c47796c5f',
  'pixel_layer_1/Run_357000_1_clusterposition_PXLayer_1.pkl': '681d8514a9ca4383',
  'pixel_layer_1/Run_357001_0_clusterposition_PXLayer_1.pkl': 'f868461d0362b91f',
  'pixel_layer_1/Run_357001_1_clusterposition_PXLayer_1.pkl': 'b537fd8405b356f1',
  'pixel_layer_2/Run_357000_0_clusterposition_PXLayer_2.pkl': '7320cdb2e77874ce',
  'pixel_layer_2/Run_357000_1_clusterposition_PXLayer_2.pkl': '81ee4a87b2a079cd',
  'pixel_layer_2/Run_357001_0_clusterposition_PXLayer_2.pkl': '08444d5bdf56578f',
  'pixel_layer_2/Run_357001_1_clusterposition_PXLayer_2.pkl': '556cd8f1da89488a',
  'pixel_layer_3/Run_357000_0_clusterposition_PXLayer_3.pkl': 'a63739d02864197d',
  'pixel_layer_3/Run_357000_1_clusterposition_PXLayer_3.pkl': '033358da4d50571a',
  'pixel_layer_3/Run_357001_0_clusterposition_PXLayer_3.pkl': '95669cfcdd32459b',
  'pixel_layer_3/Run_357001_1_clusterposition_PXLayer_3.pkl': '0c7dfec174facd7c',
  'pixel_layer_4/Run_357000_0_clusterposition_PXLayer_4.pkl': '82c54d25d5f00c27',
  'pixel_layer_4/Run_357000_1_clusterposition_PXLayer_4.pkl': 'f6fbfaabe9ea1fdf',
  'pixel_layer_4/Run_357001_0_clusterposition_PXLayer_4.pkl': 'c9b1352200b912db',
  'pixel_layer_4/Run_357001_1_clusterposition_PXLayer_4.pkl': 'f2ef928a74f5b884',
};

describe('the simulator output for a seed', () => {
  it.each([1, 2])('is byte-identical to the recorded files (%i threads)', async (threads) => {
    expect(await fileHashes(GOLDEN, threads)).toEqual(EXPECTED);
  });

  it('is byte-identical without anomalies, one part per stream', async () => {
    expect(await fileHashes({ seed: 9, lumisections: 12, layers: [3], anomalies: false }, 1)).toEqual(EXPECTED_PLAIN);
  });
});
