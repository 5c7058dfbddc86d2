import * as fs from 'node:fs';
import * as path from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { table, type Table } from '../../data';
import { readParquet, writeParquet } from '../parquet';
import { ParquetDataset } from './parquet-dataset';
import { named, rejection, tempProjectRoot } from './dataset-test.fixtures';

const root = tempProjectRoot('dqm-parquet-');

function dataset(filepath: string, extra: Record<string, unknown> = {}, name = 'layer_1.summary_statistics'): ParquetDataset {
  return named(new ParquetDataset({ filepath, ...extra }, { projectRoot: root }), name);
}

const sample = (): Table =>
  table({
    run: Int32Array.from([316187, 316187, 316188]),
    lumi: Int32Array.from([1, 2, 3]),
    mean: Float64Array.from([0.1, Number.NaN, 1e-300]),
    f32: Float32Array.from([1.5, -2, 0]),
    label: ['a', null, 'ü'],
    ok: [true, false, null],
    score: [1.5, null, 3],
  });

describe('ParquetDataset with Tables', () => {
  it('round-trips numeric, string, boolean and nullable columns', async () => {
    const ds = dataset('data/03_primary/t.parquet');
    await ds.save(sample());
    expect(await ds.exists()).toBe(true);
    expect(await ds.load()).toEqual(sample());
    expect(ds.describe()).toEqual({ type: 'ParquetDataset', filepath: 'data/03_primary/t.parquet' });
  });

  it.each(['gzip', 'none', 'snappy'])('compression %s', async (compression) => {
    const ds = dataset(`t-${compression}.parquet`, { save_args: { compression, index: false } });
    await ds.save(sample());
    expect(await ds.load()).toEqual(sample());
  });

  it('loads only the columns asked for, in that order', async () => {
    await dataset('cols.parquet').save(sample());
    const t = (await dataset('cols.parquet', { load_args: { columns: ['label', 'run'] } }).load()) as Table;
    expect(t.columns).toEqual({ label: ['a', null, 'ü'], run: Int32Array.from([316187, 316187, 316188]) });
    expect(await rejection(dataset('cols.parquet', { load_args: { columns: ['rms'] } }).load())).toBe(
      "Failed while loading data from dataset 'layer_1.summary_statistics' (cols.parquet): no column 'rms' in the file (columns: run, lumi, mean, f32, label, ok, score)",
    );
  });

  it('reads files as pandas writes them: INT64 columns, an index column', async () => {
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: 'run', data: BigInt64Array.from([316187n, 316188n]), type: 'INT64', nullable: false },
        { name: 'big', data: BigInt64Array.from([1n, 2n ** 40n]), type: 'INT64', nullable: false },
        { name: 'name', data: ['x', 'y'], type: 'STRING' },
        { name: '__index_level_0__', data: BigInt64Array.from([10n, 11n]), type: 'INT64', nullable: false },
      ],
    });
    expect(await readParquet(new Uint8Array(bytes))).toEqual(
      table({ run: Int32Array.from([316187, 316188]), big: Float64Array.from([1, 2 ** 40]), name: ['x', 'y'] }),
    );
  });

  it('refuses a column mixing types, keeping the old file', async () => {
    const ds = dataset('mixed.parquet', {}, 'mixed');
    await ds.save(sample());
    const bad = table({ note: ['x', 2.5] });
    expect(await rejection(ds.save(bad))).toBe(
      "Failed while saving data to dataset 'mixed' (mixed.parquet): column 'note' mixes number and string values; a parquet column holds one type",
    );
    expect(await ds.load()).toEqual(sample());
    expect(fs.readdirSync(root).filter((f) => f.startsWith('mixed'))).toEqual(['mixed.parquet']);
  });
});

describe('ParquetDataset: files that are not parquet', () => {
  it.each([
    ['text.parquet', Buffer.from('run,lumi\n1,2\n3,4\n'), 'not a parquet file: no PAR1 magic bytes at the start'],
    ['empty.parquet', Buffer.alloc(0), 'not a parquet file: no PAR1 magic bytes (the file is only 0 bytes)'],
  ])('%s', async (name, bytes, message) => {
    fs.writeFileSync(path.join(root, name), bytes);
    expect(await rejection(dataset(name, {}, 'x').load())).toBe(`Failed while loading data from dataset 'x' (${name}): ${message}`);
  });

  it('a truncated parquet file', async () => {
    const whole = writeParquet(sample());
    fs.writeFileSync(path.join(root, 'cut.parquet'), whole.subarray(0, whole.length - 10));
    expect(await rejection(dataset('cut.parquet', {}, 'x').load())).toBe(
      "Failed while loading data from dataset 'x' (cut.parquet): not a parquet file: no PAR1 magic bytes at the end (truncated?)",
    );
  });

  it('a corrupt footer', async () => {
    const whole = Buffer.from(writeParquet(sample()));
    const footerLength = whole.readUInt32LE(whole.length - 8);
    whole.fill(0xee, whole.length - 8 - footerLength, whole.length - 8);
    const message = await rejection(readParquet(whole));
    expect(message).toMatch(/^corrupt parquet footer: /);
  });

  it.each([
    [{ save_args: { compression: 'brotli' } }, "ParquetDataset save_args.compression 'brotli' is not supported (use 'snappy', 'gzip' or 'none')"],
    [{ save_args: { partition_cols: ['run'] } }, "ParquetDataset save_args 'partition_cols' is not supported (supported: compression, row_group_size, index, engine)"],
    [{ load_args: { kind: 'image' } }, 'ParquetDataset load_args.kind must be \'table\', got "image"'],
    [{ load_args: { columns: 'run' } }, 'ParquetDataset load_args.columns must be a list of column names, got "run"'],
  ])('bad config %j', (extra, message) => {
    expect(() => dataset('x.parquet', extra)).toThrow(message);
  });
});
