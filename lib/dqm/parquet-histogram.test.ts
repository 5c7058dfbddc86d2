import * as fs from 'node:fs';
import * as path from 'node:path';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { describe, expect, it } from 'vitest';
import { table, type HistogramSet } from '../data';
import { DataCatalog, isKnownDatasetType, ParquetDataset, readParquet, writeParquet } from '../io';
import { named, rejection, tempProjectRoot } from '../io/datasets/dataset-test.fixtures';
import './index';

// lib/dqm registers the histogram-set parquet kind when imported (above); lib/io knows only Tables.
const root = tempProjectRoot('dqm-parquet-histogram-');

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

describe('ParquetDataset with HistogramSets', () => {
  it('round-trips run, lumi, entries, the float32 maps, title and axes (gzip by default)', async () => {
    const h = histogramSet(5);
    const ds = dataset('data/02_intermediate/preprocessed_raw_pixel_layer_1.parquet', {}, 'preprocessed_raw_pixel_layer_1');
    await ds.save(h);
    expect(await ds.load()).toEqual(h);
    expect(await dataset('data/02_intermediate/preprocessed_raw_pixel_layer_1.parquet', { load_args: { kind: 'histogram-set' } }).load()).toEqual(h);
    const oneD = { ...histogramSet(2, 1, 5), name: 'adc_PXLayer_1', source: { format: 'website-csv' as const, path: 'adc.csv' }, x: { min: 0, max: 5, label: 'ADC', unit: 'counts' } };
    await ds.save(oneD);
    expect(await ds.load()).toEqual(oneD);
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


describe('lib/dqm registers its datasets with lib/io', () => {
  it('dqm.HistogramSetDataset is a catalog type once lib/dqm is imported', async () => {
    expect(isKnownDatasetType('dqm.HistogramSetDataset')).toBe(true);
    const catalog = DataCatalog.fromConfig({ maps: { type: 'dqm.HistogramSetDataset', filepath: 'data/maps.h5' } }, { projectRoot: root });
    await catalog.save('maps', histogramSet(2));
    expect(await catalog.load('maps')).toEqual(histogramSet(2));
  });

  it('names the registered parquet kinds when load_args.kind is none of them', () => {
    expect(() => dataset('x.parquet', { load_args: { kind: 'image' } })).toThrow('ParquetDataset load_args.kind must be \'table\' or \'histogram-set\', got "image"');
  });
});
