import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/dqm.js');
const dqm = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });

describe('dqm simulate', () => {
  it('writes the raw pickles and labels with progress on stdout', () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'dqm-simulate-cli-'));
    const r = dqm(cwd, 'simulate', '--lumisections', '3', '--layers', '2', '--seed', '5', '--out', 'raw');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('Simulating 1 run(s) × 3 LS for layer(s) 2 (seed 5) into raw');
    expect(lines[1]).toBe('  run 357000 layer 2: 3/3 LS -> raw/pixel_layer_2/Run_357000_0_clusterposition_PXLayer_2.pkl');
    expect(lines[2]).toMatch(/^Wrote 1 file\(s\), [\d.]+ MB, 3 LS per layer in [\d.]+ s; \d+ anomaly labels in raw\/labels.csv$/);
    expect(readdirSync(path.join(cwd, 'raw')).sort()).toEqual(['cluster_charge', 'labels.csv', 'pixel_layer_2']);
  });

  it('rejects bad options with one clear line and exit code 1', () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'dqm-simulate-cli-'));
    const bad = dqm(cwd, 'simulate', '--lumisections', 'many');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toBe("Error: --lumisections must be an integer, got 'many'\n");
    const layer = dqm(cwd, 'simulate', '--layers', '1,7');
    expect(layer.status).toBe(1);
    expect(layer.stderr).toBe('Error: Simulation layers must be among 1, 2, 3, 4, got 1,7\n');
  });
});
