/**
 * Tables as parquet files (hyparquet + hyparquet-writer), and any other value kind a module
 * registers with `registerParquetKind` (lib/dqm registers its HistogramSets): io itself knows
 * no data type but its Table.
 */
import * as zlib from 'node:zlib';
import { ByteWriter, parquetWrite, type ColumnSource } from 'hyparquet-writer';
import type { CompressionCodec } from 'hyparquet';
import { isTable, type Table } from '../../data';
import { ParquetError } from './errors';
import { KIND_KEY, openParquet, readColumns, type ParquetContents } from './parquet-file';
import { tableColumnSources, tableFromColumns } from './parquet-table';

export { ParquetError } from './errors';
export { KIND_KEY, type ParquetContents } from './parquet-file';

/** `table`, or the name of a registered kind (written in the file's `dqm.kind` metadata). */
export type ParquetKindName = string;
export type ParquetCodec = 'SNAPPY' | 'GZIP' | 'UNCOMPRESSED';
export type ReadParquetColumns = (columns: string[], opts: { utf8: boolean }) => Promise<Map<string, ArrayLike<unknown>>>;

/** A value kind besides Table that parquet files can hold, taught by the module that owns it. */
export interface ParquetKind<T = unknown> {
  name: ParquetKindName;
  matches(data: unknown): data is T;
  /** The codec when save_args name none. */
  defaultCodec: ParquetCodec;
  /** Columns and key-value metadata (besides `dqm.kind`), and the expected file size. */
  encode(data: T): { columns: ColumnSource[]; kv: Array<{ key: string; value: string }>; sizeHint: number };
  /** Checks the schema and metadata, then reads the columns it needs. */
  decode(contents: ParquetContents, read: ReadParquetColumns): Promise<T>;
}

const kinds = new Map<ParquetKindName, ParquetKind>();

export function registerParquetKind<T>(kind: ParquetKind<T>): void {
  if (kind.name === 'table') throw new ParquetError("'table' is parquet's own kind and cannot be registered");
  kinds.set(kind.name, kind as ParquetKind);
}

/** `table` and the registered kinds, for messages and load_args checks. */
export function parquetKinds(): ParquetKindName[] {
  return ['table', ...kinds.keys()];
}

/**
 * GZIP through node:zlib (native). For float32 maps it writes ~1.5x smaller files than
 * hyparquet's JavaScript snappy and is faster both ways, so histogram sets use it by default.
 */
const COMPRESSORS = { GZIP: (input: Uint8Array): Uint8Array => zlib.gzipSync(input, { level: 1 }) };
const DECOMPRESSORS = { GZIP: (input: Uint8Array): Uint8Array => new Uint8Array(zlib.gunzipSync(input)) };

export interface ParquetWriteOptions {
  /** Default: SNAPPY for tables (as pandas), the kind's own default otherwise. */
  codec?: ParquetCodec;
  rowGroupSize?: number;
}

export function writeParquet(data: unknown, opts: ParquetWriteOptions = {}): Uint8Array {
  const common = { codec: (opts.codec ?? 'SNAPPY') as CompressionCodec, rowGroupSize: opts.rowGroupSize, createdBy: 'dqm-playground-ds' };
  if (isTable(data)) {
    if (columnCount(data) === 0) throw new ParquetError('a Table without columns cannot be written as parquet');
    return write({ ...common, columnData: tableColumnSources(data), kvMetadata: [{ key: KIND_KEY, value: 'table' }] }, 0);
  }
  for (const kind of kinds.values()) {
    if (!kind.matches(data)) continue;
    const { columns, kv, sizeHint } = kind.encode(data);
    return write({ ...common, codec: opts.codec ?? kind.defaultCodec, columnData: columns, kvMetadata: [{ key: KIND_KEY, value: kind.name }, ...kv] }, sizeHint);
  }
  const what = data === null ? 'null' : typeof data === 'object' && typeof (data as { kind?: unknown }).kind === 'string' ? `a '${(data as { kind: string }).kind}'` : typeof data;
  throw new ParquetError(`parquet holds a ${parquetKinds().map((k) => (k === 'table' ? 'Table' : k)).join(' or a ')}, got ${what}`);
}

export interface ParquetReadOptions {
  /** Only these columns (Tables only). */
  columns?: string[];
  /** What the caller needs; a file holding another kind is an error. */
  expect?: ParquetKindName;
}

/** Reads a parquet file: the registered kind its metadata names, else a Table. */
export async function readParquet(bytes: Uint8Array, opts: ParquetReadOptions = {}): Promise<unknown> {
  const contents = openParquet(bytes);
  const written = contents.kv.get(KIND_KEY);
  const kind = written !== undefined ? kinds.get(written) : undefined;
  const name = kind?.name ?? 'table';
  if (opts.expect && opts.expect !== name) {
    throw new ParquetError(
      opts.expect !== 'table'
        ? `expected a ${opts.expect} parquet, but the file has no '${KIND_KEY}: ${opts.expect}' metadata (columns: ${contents.schema.map((e) => e.name).join(', ')})`
        : `expected a table parquet, but the file holds a ${name}`,
    );
  }
  if (kind) {
    if (opts.columns) throw new ParquetError(`load_args 'columns' applies to tables, not to a ${kind.name} parquet`);
    return kind.decode(contents, (columns, { utf8 }) => readColumns(contents, { columns, utf8, compressors: DECOMPRESSORS }));
  }
  if (written !== undefined && written !== 'table') {
    throw new ParquetError(`the file holds a '${written}' parquet, a kind nothing registered (known: ${parquetKinds().join(', ')})`);
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
