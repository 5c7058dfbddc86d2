import * as fs from 'node:fs';
import * as path from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import type { HistogramSet } from '../../dqm/histogram-set';
import { readParquet, writeParquet } from '../parquet';
import { table, type Table } from '../table';
import { ParquetDataset } from './parquet-dataset';
import { named, rejection, tempProjectRoot } from './dataset-test.fixtures';

const root = tempProjectRoot('dqm-parquet-');

function dataset(filepath: string, extra: Record<string, unknown> = {}, name = 'layer_1.summary_statistics'): ParquetDataset {
  return named(new ParquetDataset({ filepath, ...extra }, { projectRoot: root }), name);
}

function histogramSet(n: number, ny = 3, nx = 4): HistogramSet {
  const values = new Float32Array(n * ny * nx);
  for (let i = 0; i < values.length; i++) values[i] = (i % 7) * 1.5 - 2;
  return {
    kind: 'histogram-set',
    title: 'clusterposition_zphi_PXLayer_1',
    run: new Int32Array(n).fill(316187),
    lumi: Int32Array.from({ length: n }, (_, i) => i + 1),
    entries: Float64Array.from({ length: n }, (_, i) => i * 1000.5),
    ny,
    nx,
    x: { min: -26.6, max: 26.6, label: 'z (cm)' },
    y: { min: -3.2, max: 3.2, label: 'phi (rad)' },
    values,
  };
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

describe('ParquetDataset with HistogramSets', () => {
  it('round-trips run, lumi, entries, the float32 maps, title and axes (gzip by default)', async () => {
    const h = histogramSet(5);
    const ds = dataset('data/02_intermediate/preprocessed_raw_pixel_layer_1.parquet', {}, 'preprocessed_raw_pixel_layer_1');
    await ds.save(h);
    expect(await ds.load()).toEqual(h);
    expect(await dataset('data/02_intermediate/preprocessed_raw_pixel_layer_1.parquet', { load_args: { kind: 'histogram-set' } }).load()).toEqual(h);
  });

  it('round-trips a real-sized set over several row groups, uncompressed', async () => {
    const h = histogramSet(30, 202, 302);
    const back = (await readParquet(writeParquet(h, { codec: 'UNCOMPRESSED', rowGroupSize: 7 }))) as HistogramSet;
    // compare the 1.8M map values as bytes: toEqual on a typed array that size takes seconds
    expect(Buffer.from(back.values.buffer).equals(Buffer.from(h.values.buffer))).toBe(true);
    expect({ ...back, values: null }).toEqual({ ...h, values: null });
    const empty = histogramSet(0);
    expect(await readParquet(writeParquet(empty))).toEqual(empty);
  });

  it('a histogram-set parquet without its map column', async () => {
    const bytes = parquetWriteBuffer({
      columnData: [
        { name: 'run', data: Int32Array.from([1]), type: 'INT32', nullable: false },
        { name: 'lumi', data: Int32Array.from([1]), type: 'INT32', nullable: false },
        { name: 'entries', data: Float64Array.from([1]), type: 'DOUBLE', nullable: false },
      ],
      kvMetadata: [
        { key: 'dqm.kind', value: 'histogram-set' },
        { key: 'dqm.histogram-set', value: JSON.stringify({ title: 't', ny: 1, nx: 2, x: { min: 0, max: 1, label: '' }, y: { min: 0, max: 1, label: '' } }) },
      ],
    });
    fs.writeFileSync(path.join(root, 'nomap.parquet'), new Uint8Array(bytes));
    expect(await rejection(dataset('nomap.parquet', {}, 'preprocessed_raw_pixel_layer_2').load())).toBe(
      "Failed while loading data from dataset 'preprocessed_raw_pixel_layer_2' (nomap.parquet): histogram-set parquet lacks column 'map' (found: run, lumi, entries)",
    );
  });

  it('a map of the wrong size, and metadata that is not JSON', async () => {
    const columns = [
      { name: 'run', data: Int32Array.from([1]), type: 'INT32' as const, nullable: false },
      { name: 'lumi', data: Int32Array.from([1]), type: 'INT32' as const, nullable: false },
      { name: 'entries', data: Float64Array.from([1]), type: 'DOUBLE' as const, nullable: false },
      { name: 'map', data: [new Uint8Array(8)], type: 'BYTE_ARRAY' as const, nullable: false },
    ];
    const meta = JSON.stringify({ title: 't', ny: 2, nx: 3, x: { min: 0, max: 1, label: '' }, y: { min: 0, max: 1, label: '' } });
    const wrongSize = parquetWriteBuffer({ columnData: columns, kvMetadata: [{ key: 'dqm.kind', value: 'histogram-set' }, { key: 'dqm.histogram-set', value: meta }] });
    expect(await rejection(readParquet(new Uint8Array(wrongSize)))).toBe('row 0: map has 8 bytes, expected 24 bytes (2×3 float32)');
    const noJson = parquetWriteBuffer({ columnData: columns, kvMetadata: [{ key: 'dqm.kind', value: 'histogram-set' }, { key: 'dqm.histogram-set', value: '{' }] });
    expect(await rejection(readParquet(new Uint8Array(noJson)))).toBe(
      "the 'dqm.histogram-set' metadata is missing or not JSON (it holds title, ny, nx, x, y)",
    );
  });

  it('asking for a histogram-set from a table file, and the reverse', async () => {
    await dataset('table.parquet').save(table({ run: Int32Array.from([1]) }));
    expect(await rejection(dataset('table.parquet', { load_args: { kind: 'histogram-set' } }).load())).toBe(
      "Failed while loading data from dataset 'layer_1.summary_statistics' (table.parquet): expected a histogram-set parquet, but the file has no 'dqm.kind: histogram-set' metadata (columns: run)",
    );
    await dataset('h.parquet').save(histogramSet(1));
    expect(await rejection(dataset('h.parquet', { load_args: { kind: 'table' } }).load())).toBe(
      "Failed while loading data from dataset 'layer_1.summary_statistics' (h.parquet): expected a table parquet, but the file holds a histogram-set",
    );
  });

  it('an inconsistent HistogramSet is not written', async () => {
    const h = { ...histogramSet(2), lumi: Int32Array.from([1]) };
    expect(() => writeParquet(h)).toThrow(
      "inconsistent HistogramSet 'clusterposition_zphi_PXLayer_1': 2 runs, 1 lumis, 2 entries and 24 values (expected 2×3×4)",
    );
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
    [{ load_args: { kind: 'image' } }, 'ParquetDataset load_args.kind must be \'table\' or \'histogram-set\', got "image"'],
    [{ load_args: { columns: 'run' } }, 'ParquetDataset load_args.columns must be a list of column names, got "run"'],
  ])('bad config %j', (extra, message) => {
    expect(() => dataset('x.parquet', extra)).toThrow(message);
  });
});
