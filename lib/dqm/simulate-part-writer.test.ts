import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HistogramError } from './errors';
import { PartWriter } from './simulate-part-writer';

const part = (file: string, rows: number) => ({ layer: 1, run: 7, rows, file, bytes: rows });

describe('PartWriter', () => {
  it('writes the files one after the other, reporting each once in place, and flush() waits for the last', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dqm-part-writer-'));
    const writer = new PartWriter();
    const written: string[] = [];
    for (const name of ['a', 'b', 'c']) await writer.write(part(path.join(dir, `x/${name}.pkl`), 1), [Buffer.from(name), Buffer.from('!')], (p) => written.push(path.basename(p.file)));
    // The last file may still be in writing here; after flush() every file is in place.
    await writer.flush();
    expect(written).toEqual(['a.pkl', 'b.pkl', 'c.pkl']);
    expect(['a', 'b', 'c'].map((n) => readFileSync(path.join(dir, `x/${n}.pkl`), 'utf8'))).toEqual(['a!', 'b!', 'c!']);
    expect(writer.lastPart?.file).toBe(path.join(dir, 'x/c.pkl'));
  });

  it('a failed write rejects the next write (or flush) with the file and the cause, and leaves no temp file', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'dqm-part-writer-'));
    const taken = path.join(dir, 'taken.pkl');
    mkdirSync(taken);
    writeFileSync(path.join(taken, 'inside'), 'keep');
    const writer = new PartWriter();
    const reported: string[] = [];
    await writer.write(part(taken, 1), [Buffer.from('data')], (p) => reported.push(p.file));
    const error = await writer.write(part(path.join(dir, 'next.pkl'), 1), [Buffer.from('more')]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HistogramError);
    expect((error as Error).message).toMatch(new RegExp(`^Writing ${taken.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} failed: (ENOTEMPTY|EISDIR): .*rename`));
    await expect(writer.flush()).rejects.toBe(error);
    expect(reported).toEqual([]);
    expect(readdirSync(dir)).toEqual(['taken.pkl']);
  });
});
