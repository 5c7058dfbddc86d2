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
// spots push the means past the alias tables, to PTRS). The map hashes were re-recorded when the
// maps' sampler became poissonTabled (a new random stream, the same Poisson distribution: see
// poisson-table.test.ts); the labels and the cluster-charge ME did not change.
const GOLDEN: SimulateOptions = { seed: 5, lumisections: 30, runs: 2, layers: [1, 2, 3, 4], chunkSize: 20 };
const EXPECTED_PLAIN: Record<string, string> = {
  'cluster_charge/chargeInner_PXLayer.csv': 'b00cdf0f225eee38',
  'labels.csv': 'bddb7233438f4a0a',
  'pixel_layer_3/Run_357000_0_clusterposition_PXLayer_3.pkl': '214411e5a1f4dfd2',
};
const EXPECTED: Record<string, string> = {
  'cluster_charge/chargeInner_PXLayer.csv': 'c88a0dbf12f6b1a3',
  'labels.csv': '4e7895d9f7dad47c',
  'pixel_layer_1/Run_357000_0_clusterposition_PXLayer_1.pkl': 'a90f74c6fa72c065',
  'pixel_layer_1/Run_357000_1_clusterposition_PXLayer_1.pkl': '5d9599e9faf07768',
  'pixel_layer_1/Run_357001_0_clusterposition_PXLayer_1.pkl': '86e143e27491b0db',
  'pixel_layer_1/Run_357001_1_clusterposition_PXLayer_1.pkl': '1f587d2ee4f11ebf',
  'pixel_layer_2/Run_357000_0_clusterposition_PXLayer_2.pkl': '338a3200b4a32c90',
  'pixel_layer_2/Run_357000_1_clusterposition_PXLayer_2.pkl': 'd911ed240a60751b',
  'pixel_layer_2/Run_357001_0_clusterposition_PXLayer_2.pkl': 'ba10ff6a6076f51a',
  'pixel_layer_2/Run_357001_1_clusterposition_PXLayer_2.pkl': 'f6acc6ccc451b9db',
  'pixel_layer_3/Run_357000_0_clusterposition_PXLayer_3.pkl': '12fe47d9fd82caba',
  'pixel_layer_3/Run_357000_1_clusterposition_PXLayer_3.pkl': '6a5d7da8964c09dc',
  'pixel_layer_3/Run_357001_0_clusterposition_PXLayer_3.pkl': '4a87f8080bfcd180',
  'pixel_layer_3/Run_357001_1_clusterposition_PXLayer_3.pkl': '5014893e7b1fd54d',
  'pixel_layer_4/Run_357000_0_clusterposition_PXLayer_4.pkl': 'cdcbd58f4fdfd77d',
  'pixel_layer_4/Run_357000_1_clusterposition_PXLayer_4.pkl': '87b54b5fd5815220',
  'pixel_layer_4/Run_357001_0_clusterposition_PXLayer_4.pkl': 'a9c8684b372a0f3f',
  'pixel_layer_4/Run_357001_1_clusterposition_PXLayer_4.pkl': '5096508514fb8bdf',
};

describe('the simulator output for a seed', () => {
  it.each([1, 2])('is byte-identical to the recorded files (%i threads)', async (threads) => {
    expect(await fileHashes(GOLDEN, threads)).toEqual(EXPECTED);
  });

  it('is byte-identical without anomalies, one part per stream', async () => {
    expect(await fileHashes({ seed: 9, lumisections: 12, layers: [3], anomalies: false }, 1)).toEqual(EXPECTED_PLAIN);
  });
});
