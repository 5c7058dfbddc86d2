/**
 * Parquet files (pandas.ParquetDataset) checked against a second, independent implementation:
 * parquet-wasm (Rust's arrow-rs/parquet, through apache-arrow JS). Debian has no pyarrow or
 * fastparquet, so pandas.read_parquet cannot be the judge here. Both directions, real files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tableFromIPC, tableToIPC, Table as ArrowTable, vectorFromArray, Utf8, Bool, Int64, Float64, Float32 } from 'apache-arrow';
import { Compression, readParquet as wasmRead, Table as WasmTable, writeParquet as wasmWrite, WriterPropertiesBuilder } from 'parquet-wasm';
import { describe, expect, it } from 'vitest';
import { createHistogramSet, mapOf, table, type HistogramSet, type Table } from '../../data';
import { pixelMapShape } from '../../dqm';
import { ParquetDataset } from '../datasets/parquet-dataset';
import { named, tempProjectRoot } from '../datasets/dataset-test.fixtures';

const root = tempProjectRoot('dqm-parquet-wasm-');

function dataset(filepath: string, extra: Record<string, unknown> = {}): ParquetDataset {
  return named(new ParquetDataset({ filepath, ...extra }, { projectRoot: root }), 'layer_1.summary_statistics');
}

function readWithArrowRs(file: string): ArrowTable {
  return tableFromIPC(wasmRead(new Uint8Array(fs.readFileSync(path.join(root, file)))).intoIPCStream());
}

const column = (t: ArrowTable, name: string) => Array.from(t.getChild(name)!.toArray() as ArrayLike<unknown>);
const values = (t: ArrowTable, name: string) => {
  const v = t.getChild(name)!;
  return Array.from({ length: v.length }, (_, i) => v.get(i));
};

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

describe('parquet files and an independent reader/writer (parquet-wasm)', () => {
  it.each(['snappy', 'gzip', 'none'])('arrow-rs reads a table the product wrote (%s), value by value and type by type', async (compression) => {
    await dataset(`t-${compression}.parquet`, { save_args: { compression } }).save(sample());
    const t = readWithArrowRs(`t-${compression}.parquet`);
    expect(t.numRows).toBe(3);
    expect(t.schema.fields.map((f) => [f.name, String(f.type), f.nullable])).toEqual([
      ['run', 'Int32', false], ['lumi', 'Int32', false], ['mean', 'Float64', false], ['f32', 'Float32', false],
      ['label', 'Utf8', true], ['ok', 'Bool', true], ['score', 'Float64', true],
    ]);
    expect(column(t, 'run')).toEqual([316187, 316187, 316188]);
    expect(column(t, 'lumi')).toEqual([1, 2, 3]);
    expect(column(t, 'mean')).toEqual([0.1, Number.NaN, 1e-300]);
    expect(column(t, 'f32')).toEqual([1.5, -2, 0]);
    expect(values(t, 'label')).toEqual(['a', null, 'ü']);
    expect(values(t, 'ok')).toEqual([true, false, null]);
    expect(values(t, 'score')).toEqual([1.5, null, 3]);
  });

  it('arrow-rs reads a histogram set the product wrote: run, lumi, entries and each map blob', async () => {
    const h: HistogramSet = createHistogramSet({ ...pixelMapShape(1), ny: 3, nx: 4 }, 3);
    h.run.fill(357000);
    h.lumi.set([5, 6, 7]);
    h.entries.set([10, 20, 30]);
    h.values.forEach((_, k) => (h.values[k] = k / 3));
    await dataset('maps.parquet').save(h);
    const t = readWithArrowRs('maps.parquet');
    expect(column(t, 'run')).toEqual([357000, 357000, 357000]);
    expect(column(t, 'lumi')).toEqual([5, 6, 7]);
    expect(column(t, 'entries')).toEqual([10, 20, 30]);
    const blobs = values(t, 'map') as Uint8Array[];
    blobs.forEach((b, i) => expect(Array.from(new Float32Array(b.slice().buffer))).toEqual(Array.from(mapOf(h, i))));
    expect(JSON.parse(t.schema.metadata.get('dqm.histogram-set')!)).toMatchObject({ title: h.title, ny: 3, nx: 4, map: 'float32-le' });
  });

  it.each([['SNAPPY', Compression.SNAPPY], ['GZIP', Compression.GZIP], ['UNCOMPRESSED', Compression.UNCOMPRESSED]] as const)(
    'the product reads a table arrow-rs wrote (%s): int64 as pandas writes, strings, booleans, nulls',
    async (_name, codec) => {
      const arrow = new ArrowTable({
        run: vectorFromArray([316187n, 316188n, 316189n], new Int64()),
        mean: vectorFromArray([0.5, Number.NaN, -1], new Float64()),
        f32: vectorFromArray([1, 2, 3], new Float32()),
        label: vectorFromArray(['x', null, 'é'], new Utf8()),
        ok: vectorFromArray([true, null, false], new Bool()),
      });
      const bytes = wasmWrite(WasmTable.fromIPCStream(tableToIPC(arrow, 'stream')), new WriterPropertiesBuilder().setCompression(codec).build());
      fs.writeFileSync(path.join(root, `rs-${_name}.parquet`), bytes);
      const t = (await dataset(`rs-${_name}.parquet`).load()) as Table;
      expect(t.rowCount).toBe(3);
      expect(Array.from(t.columns.run as ArrayLike<number>)).toEqual([316187, 316188, 316189]);
      expect(t.columns.mean).toEqual(Float64Array.from([0.5, Number.NaN, -1]));
      expect(Array.from(t.columns.f32 as ArrayLike<number>)).toEqual([1, 2, 3]);
      expect(t.columns.label).toEqual(['x', null, 'é']);
      expect(t.columns.ok).toEqual([true, null, false]);
    },
  );
});
