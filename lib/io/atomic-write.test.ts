import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempPathFor, withAtomicPath, writeChunksAtomic, writeFileAtomic } from './atomic-write';
import { DataCatalog } from './index';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'dqm-atomic-'));

describe('writeFileAtomic', () => {
  it('writes a new file, creating folders, and replaces an old one', async () => {
    const dir = tmp();
    const file = path.join(dir, 'a/b/c.txt');
    await writeFileAtomic(file, 'one');
    expect(readFileSync(file, 'utf8')).toBe('one');
    await writeFileAtomic(file, Buffer.from('two'));
    expect(readFileSync(file, 'utf8')).toBe('two');
    await writeFileAtomic(file, async () => 'three');
    expect(readFileSync(file, 'utf8')).toBe('three');
    expect(readdirSync(path.dirname(file))).toEqual(['c.txt']);
  });

  it('a failing serialiser leaves the old file untouched and no temp file', async () => {
    const dir = tmp();
    const file = path.join(dir, 'x.json');
    writeFileSync(file, 'old');
    await expect(
      writeFileAtomic(file, () => {
        throw new Error('cannot serialise');
      }),
    ).rejects.toThrow('cannot serialise');
    expect(readFileSync(file, 'utf8')).toBe('old');
    expect(readdirSync(dir)).toEqual(['x.json']);
  });

  it('a failing rename (target is a non-empty folder) removes the temp file', async () => {
    const dir = tmp();
    const target = path.join(dir, 'taken');
    mkdirSync(target);
    writeFileSync(path.join(target, 'inside'), 'keep');
    await expect(writeFileAtomic(target, 'data')).rejects.toThrow();
    expect(readdirSync(dir)).toEqual(['taken']);
    expect(readFileSync(path.join(target, 'inside'), 'utf8')).toBe('keep');
  });

  it('writeChunksAtomic writes the chunks in order, creating folders, the write already under way when it returns', async () => {
    const dir = tmp();
    const file = path.join(dir, 'p/q.bin');
    const writing = writeChunksAtomic(file, [Buffer.from('ab'), new Uint8Array([99, 100]), Buffer.alloc(0), Buffer.from('e')]);
    // Submitted synchronously: the temp file exists before any event-loop turn.
    expect(readdirSync(path.dirname(file))).toEqual([expect.stringMatching(/^q\.bin\.tmp-/)]);
    await writing;
    expect(readFileSync(file, 'utf8')).toBe('abcde');
    expect(readdirSync(path.dirname(file))).toEqual(['q.bin']);
  });

  it('writeChunksAtomic: a failing rename (target is a non-empty folder) removes the temp file and keeps the folder', async () => {
    const dir = tmp();
    const target = path.join(dir, 'taken');
    mkdirSync(target);
    writeFileSync(path.join(target, 'inside'), 'keep');
    await expect(writeChunksAtomic(target, [Buffer.from('data')])).rejects.toThrow(/^(ENOTEMPTY|EISDIR): .*rename/);
    expect(readdirSync(dir)).toEqual(['taken']);
    expect(readFileSync(path.join(target, 'inside'), 'utf8')).toBe('keep');
  });

  it('writeChunksAtomic: a folder that cannot be created rejects with the system message', async () => {
    const dir = tmp();
    writeFileSync(path.join(dir, 'file'), 'x');
    await expect(writeChunksAtomic(path.join(dir, 'file/sub/out.bin'), [Buffer.from('data')])).rejects.toThrow(`ENOTDIR: not a directory, mkdir '${path.join(dir, 'file/sub')}'`);
    expect(readdirSync(dir)).toEqual(['file']);
  });

  it('temp names are unique per call and recognisable', () => {
    const a = tempPathFor('/x/y.json');
    expect(a).toMatch(new RegExp(`^/x/y\\.json\\.tmp-${process.pid}-[0-9a-f]{8}$`));
    expect(tempPathFor('/x/y.json')).not.toBe(a);
  });

  it('withAtomicPath replaces a folder whole, or keeps the old one when writing fails', async () => {
    const dir = tmp();
    const target = path.join(dir, 'parts');
    await withAtomicPath(target, async (t) => {
      mkdirSync(t);
      writeFileSync(path.join(t, 'a'), '1');
    });
    await expect(
      withAtomicPath(target, async (t) => {
        mkdirSync(t);
        writeFileSync(path.join(t, 'b'), '2');
        throw new Error('half way');
      }),
    ).rejects.toThrow('half way');
    expect(readdirSync(target)).toEqual(['a']);
    await withAtomicPath(target, async (t) => {
      mkdirSync(t);
      writeFileSync(path.join(t, 'c'), '3');
    });
    expect(readdirSync(target)).toEqual(['c']);
    expect(readdirSync(dir)).toEqual(['parts']);
  });
});

describe('datasets write atomically', () => {
  it('a save that fails to serialise keeps the old file (JSON, CSV, Plotly)', async () => {
    const root = tmp();
    const catalog = DataCatalog.fromConfig(
      {
        j: { type: 'JSONDataset', filepath: 'j.json' },
        p: { type: 'plotly.JSONDataset', filepath: 'p.json' },
      },
      { projectRoot: root },
    );
    await catalog.save('j', { ok: true });
    await expect(catalog.save('j', { big: 1n })).rejects.toThrow(
      "Failed while saving data to dataset 'j' (j.json): Do not know how to serialize a BigInt",
    );
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    await expect(catalog.save('j', cyclic)).rejects.toThrow(/^Failed while saving data to dataset 'j' \(j\.json\): Converting circular structure to JSON/);
    expect(JSON.parse(readFileSync(path.join(root, 'j.json'), 'utf8'))).toEqual({ ok: true });

    await catalog.save('p', { data: [{ type: 'scatter', y: [1] }] });
    await expect(catalog.save('p', { data: [{ y: [1n] }] })).rejects.toThrow(/BigInt/);
    expect(JSON.parse(readFileSync(path.join(root, 'p.json'), 'utf8'))).toEqual({ data: [{ type: 'scatter', y: [1] }] });
    expect(readdirSync(root).sort()).toEqual(['j.json', 'p.json']);
  });
});
