import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { removeStaleTempFiles } from '../io';
import { ScratchMaps, withScratch } from './scratch';

describe('ScratchMaps', () => {
  it('reads back any map appended, and is gone after use even when the use fails', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'scratch-'));
    const target = path.join(dir, 'out.h5');
    await expect(
      withScratch(target, 3, async (s) => {
        s.append(Float32Array.of(1, 2, 3, 4, 5, 6));
        s.append(Float32Array.of(7, 8, 9));
        const out = new Float32Array(3);
        s.read(2, out);
        expect(Array.from(out)).toEqual([7, 8, 9]);
        s.read(0, out);
        expect(Array.from(out)).toEqual([1, 2, 3]);
        expect(s.count).toBe(3);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('is named like an atomic write temp file, so a killed run leaves nothing the next start keeps', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'scratch-'));
    const s = new ScratchMaps(path.join(dir, 'out.h5'), 4);
    expect(path.basename(s.path)).toMatch(/^out\.h5\.scratch\.tmp-\d+-[0-9a-f]{8}$/);
    s.remove();
    // The same name left by another (dead) process: the start-up sweep removes it.
    const left = path.join(dir, path.basename(s.path).replace(`-${process.pid}-`, '-999999-'));
    writeFileSync(left, '');
    expect(removeStaleTempFiles(dir, { isAlive: () => false })).toEqual([left]);
  });
});
