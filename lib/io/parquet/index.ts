/** Tables and HistogramSets as parquet files (hyparquet + hyparquet-writer). */
import * as zlib from 'node:zlib';
import { ByteWriter, parquetWrite, type ColumnSource } from 'hyparquet-writer';
import type { CompressionCodec } from 'hyparquet';
import { isHistogramSet, type HistogramSet } from '../../dqm/histogram-set';
import { isTable, type Table } from '../table';
import { ParquetError } from './errors';
import { HISTOGRAM_KEY, KIND_KEY, openParquet, readColumns } from './parquet-file';
import { checkHistogramSchema, histogramColumnSources, histogramFromColumns, parseHistogramMeta } from './parquet-histogram';
import { tableColumnSources, tableFromColumns } from './parquet-table';

export { ParquetError } from './errors';
export { HISTOGRAM_KEY, KIND_KEY } from './parquet-file';

export type ParquetKind = 'table' | 'histogram-set';
export type ParquetCodec = 'SNAPPY' | 'GZIP' | 'UNCOMPRESSED';

/**
 * GZIP through node:zlib (native). For float32 maps it writes ~1.5x smaller files than
 * hyparquet's JavaScript snappy and is faster both ways, so histogram sets use it by default.
 */
const COMPRESSORS = { GZIP: (input: Uint8Array): Uint8Array => zlib.gzipSync(input, { level: 1 }) };
const DECOMPRESSORS = { GZIP: (input: Uint8Array): Uint8Array => new Uint8Array(zlib.gunzipSync(input)) };

export interface ParquetWriteOptions {
  /** Default: SNAPPY for tables (as pandas), GZIP for histogram sets (see `write`). */
  codec?: ParquetCodec;
  rowGroupSize?: number;
}

export function writeParquet(data: Table | HistogramSet, opts: ParquetWriteOptions = {}): Uint8Array {
  const common = { codec: (opts.codec ?? 'SNAPPY') as CompressionCodec, rowGroupSize: opts.rowGroupSize, createdBy: 'dqm-playground-ds' };
  if (isHistogramSet(data)) {
    common.codec = opts.codec ?? 'GZIP';
    const { columns, meta } = histogramColumnSources(data);
    const kvMetadata = [
      { key: KIND_KEY, value: 'histogram-set' },
      { key: HISTOGRAM_KEY, value: JSON.stringify(meta) },
    ];
    return write({ ...common, columnData: columns, kvMetadata }, data.values.byteLength + data.run.length * 24);
  }
  if (isTable(data)) {
    if (columnCount(data) === 0) throw new ParquetError('a Table without columns cannot be written as parquet');
    return write({ ...common, columnData: tableColumnSources(data), kvMetadata: [{ key: KIND_KEY, value: 'table' }] }, 0);
  }
  throw new ParquetError(`parquet holds a Table or a HistogramSet, got ${data === null ? 'null' : typeof data}`);
}

export interface ParquetReadOptions {
  /** Only these columns (Tables only). */
  columns?: string[];
  /** What the caller needs; a file holding the other kind is an error. */
  expect?: ParquetKind;
}

/** Reads a parquet file: a HistogramSet if its metadata says so, else a Table. */
export async function readParquet(bytes: Uint8Array, opts: ParquetReadOptions = {}): Promise<Table | HistogramSet> {
  const contents = openParquet(bytes);
  const kind: ParquetKind = contents.kv.get(KIND_KEY) === 'histogram-set' ? 'histogram-set' : 'table';
  if (opts.expect && opts.expect !== kind) {
    throw new ParquetError(
      opts.expect === 'histogram-set'
        ? `expected a histogram-set parquet, but the file has no '${KIND_KEY}: histogram-set' metadata (columns: ${contents.schema.map((e) => e.name).join(', ')})`
        : 'expected a table parquet, but the file holds a histogram-set',
    );
  }
  if (kind === 'histogram-set') {
    if (opts.columns) throw new ParquetError("load_args 'columns' applies to tables, not to a histogram-set parquet");
    const meta = parseHistogramMeta(contents.kv.get(HISTOGRAM_KEY));
    checkHistogramSchema(contents.schema);
    const cols = await readColumns(contents, { columns: ['run', 'lumi', 'entries', 'map'], utf8: false, compressors: DECOMPRESSORS });
    return histogramFromColumns(meta, cols, contents.rowCount);
  }
  if (opts.columns) {
    const names = new Set(contents.schema.map((e) => e.name));
    const missing = opts.columns.filter((c) => !names.has(c));
    if (missing.length) throw new ParquetError(`no column ${missing.map((m) => `'${m}'`).join(', ')} in the file (columns: ${[...names].join(', ')})`);
  }
  const cols = await readColumns(contents, { columns: opts.columns, utf8: true, compressors: DECOMPRESSORS });
  const schema = opts.columns ? opts.columns.map((c) => contents.schema.find((e) => e.name === c)!) : contents.schema;
  return tableFromColumns(schema, cols, contents.rowCount);
}

/**
 * parquetWriteBuffer grows its buffer by doubling and copies it out at the end: for 120 MB of
 * maps that is most of the write time. A writer sized up front and read without a copy is ~2x faster.
 */
function write(opts: { columnData: ColumnSource[]; kvMetadata: Array<{ key: string; value: string }>; codec: CompressionCodec; rowGroupSize?: number; createdBy: string }, sizeHint: number): Uint8Array {
  const writer = new ByteWriter(Math.max(1024, Math.ceil(sizeHint * 1.05) + 65536));
  parquetWrite({ ...opts, writer, compressors: COMPRESSORS });
  return writer.getBytes();
}

function columnCount(t: Table): number {
  return Object.keys(t.columns).length;
}
