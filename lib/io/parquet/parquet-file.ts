import { parquetMetadata, parquetRead, type Compressors, type FileMetaData, type SchemaElement } from 'hyparquet';
import { messageOf } from '../../errors';
import { ParquetError } from './errors';

/** The key-value metadata key that says what the file holds (`table` or a registered kind). */
export const KIND_KEY = 'dqm.kind';

export interface ParquetContents {
  /** The file as one ArrayBuffer (hyparquet reads slices of it). */
  buffer: ArrayBuffer;
  metadata: FileMetaData;
  /** Top-level columns in file order, with their schema element. */
  schema: SchemaElement[];
  kv: Map<string, string>;
  rowCount: number;
}

/** Footer and schema of a parquet file held in memory; a clear error if it is not one. */
export function openParquet(bytes: Uint8Array): ParquetContents {
  const magic = (at: number): string => Buffer.from(bytes.buffer, bytes.byteOffset + at, 4).toString('latin1');
  if (bytes.byteLength < 12 || magic(0) !== 'PAR1' || magic(bytes.byteLength - 4) !== 'PAR1') {
    const where = bytes.byteLength < 12 ? `the file is only ${bytes.byteLength} bytes` : magic(0) !== 'PAR1' ? 'at the start' : 'at the end (truncated?)';
    throw new ParquetError(`not a parquet file: no PAR1 magic bytes ${where.startsWith('the') ? `(${where})` : where}`);
  }
  const buffer = toArrayBuffer(bytes);
  let metadata: FileMetaData;
  try {
    metadata = parquetMetadata(buffer);
  } catch (error) {
    throw new ParquetError(`corrupt parquet footer: ${messageOf(error)}`, { cause: error });
  }
  const flat = metadata.schema;
  const schema: SchemaElement[] = [];
  for (let c = 0, i = 1; c < (flat[0]?.num_children ?? 0) && i < flat.length; c++, i = skip(flat, i)) schema.push(flat[i]!);
  const kv = new Map((metadata.key_value_metadata ?? []).map((e) => [e.key, e.value ?? '']));
  return { buffer, metadata, schema, kv, rowCount: Number(metadata.num_rows) };
}

/** Index in the flattened schema just past element `i` and its nested children. */
function skip(flat: SchemaElement[], i: number): number {
  const children = flat[i]?.num_children ?? 0;
  let j = i + 1;
  for (let c = 0; c < children; c++) j = skip(flat, j);
  return j;
}

/** Reads whole columns (`names`, all if undefined) as arrays in row order. */
export async function readColumns(
  contents: ParquetContents,
  opts: { columns?: string[]; utf8: boolean; compressors?: Compressors },
): Promise<Map<string, ArrayLike<unknown>>> {
  const chunks = new Map<string, Array<{ start: number; data: ArrayLike<unknown> }>>();
  try {
    await parquetRead({
      file: contents.buffer,
      metadata: contents.metadata,
      columns: opts.columns,
      utf8: opts.utf8,
      compressors: opts.compressors,
      onChunk: (c) => {
        const list = chunks.get(c.columnName) ?? [];
        list.push({ start: c.rowStart, data: c.columnData });
        chunks.set(c.columnName, list);
      },
    });
  } catch (error) {
    throw new ParquetError(`corrupt parquet data: ${messageOf(error)}`, { cause: error });
  }
  const out = new Map<string, ArrayLike<unknown>>();
  for (const [name, list] of chunks) {
    list.sort((a, b) => a.start - b.start);
    out.set(name, list.length === 1 ? list[0]!.data : concat(list.map((c) => c.data)));
  }
  return out;
}

function concat(parts: Array<ArrayLike<unknown>>): ArrayLike<unknown> {
  const first = parts[0]!;
  const total = parts.reduce((a, p) => a + p.length, 0);
  if (ArrayBuffer.isView(first) && parts.every((p) => p.constructor === first.constructor)) {
    const Ctor = first.constructor as new (n: number) => { set(a: ArrayLike<unknown>, o: number): void } & ArrayLike<unknown>;
    const out = new Ctor(total);
    let o = 0;
    for (const p of parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
  const out: unknown[] = [];
  for (const p of parts) for (let i = 0; i < p.length; i++) out.push(p[i]);
  return out;
}

export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  return bytes.slice().buffer as ArrayBuffer;
}
