import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createHistogramSet } from '../../lib/data';
import { pixelMapShape, readHistogramSetFile, writeHistogramSetFile, writeLegacyHsetFile } from '../../lib/dqm';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/dqm.js');
const dqm = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });

function sample() {
  const h = createHistogramSet({ ...pixelMapShape(4), ny: 3, nx: 4 }, 2);
  h.run.fill(357000);
  h.lumi.set([1, 2]);
  h.values.forEach((_, k) => (h.values[k] = k));
  return h;
}

describe('dqm convert', () => {
  it('rewrites an old .hset set as HDF5 beside it, keeping the old file', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'dqm-convert-'));
    mkdirSync(path.join(cwd, 'data'));
    const h = sample();
    await writeLegacyHsetFile(path.join(cwd, 'data/maps.hset'), h);
    const old = readFileSync(path.join(cwd, 'data/maps.hset'));
    const r = dqm(cwd, 'convert', 'data/maps.hset');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('data/maps.hset -> data/maps.h5 (2 LS, 3×4); point its catalog filepath at data/maps.h5\n');
    expect(readFileSync(path.join(cwd, 'data/maps.h5')).subarray(1, 4).toString()).toBe('HDF');
    expect(await readHistogramSetFile(path.join(cwd, 'data/maps.h5'))).toEqual(h);
    expect(readFileSync(path.join(cwd, 'data/maps.hset')).equals(old)).toBe(true);
  });

  it('refuses a missing file, an HDF5 file and a foreign file with one clear line', async () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'dqm-convert-'));
    await writeHistogramSetFile(path.join(cwd, 'new.h5'), sample());
    writeFileSync(path.join(cwd, 'notes.txt'), 'hello world');
    const cases: Array<[string, string]> = [
      ['gone.hset', 'Error: Cannot convert gone.hset: file not found\n'],
      ['new.h5', 'Error: Cannot convert new.h5: it is not an old .hset file (it is HDF5 already)\n'],
      ['notes.txt', 'Error: Cannot convert notes.txt: it is not an old .hset file\n'],
    ];
    for (const [file, message] of cases) {
      const r = dqm(cwd, 'convert', file);
      expect([r.status, r.stderr]).toEqual([1, message]);
    }
  });
});
