import { promises as fs } from 'node:fs';
import { withAtomicPath, DatasetError } from '../io';
import { assertConsistentSet } from './set-consistency';
import type { Axis, HistogramSet, HistogramSource, Normalisation } from '../data';

/**
 * The retired `.hset` format (DQMHSET1), kept so that files written before HDF5 still load.
 * Layout: the 8-byte magic `DQMHSET1`, a u32 header length, 4 reserved bytes, a JSON header
 * (padded to 8 bytes), then each array's raw little-endian bytes at the 8-byte aligned offset
 * the header gives. New files are HDF5 (./hdf5); the writer stays for tests and conversion checks.
 */
export const LEGACY_MAGIC = 'DQMHSET1';
const PREFIX = 16;
type Dtype = 'int32' | 'float32' | 'float64';
const BYTES: Record<Dtype, number> = { int32: 4, float32: 4, float64: 8 };

interface Section {
  name: 'run' | 'lumi' | 'entries' | 'rawSumSq' | 'values';
  dtype: Dtype;
  offset: number;
  length: number;
}

interface Header {
  format: 'dqm-histogram-set';
  version: 1;
  title: string;
  n: number;
  ny: number;
  nx: number;
  x: Axis;
  y: Axis;
  rawBins?: number;
  normalisation?: Normalisation;
  name?: string;
  source?: HistogramSource;
  byteLength: number;
  sections: Section[];
}

/** Writes the set atomically, streaming each array (no concatenated copy of a 1 GB buffer). */
export async function writeLegacyHsetFile(file: string, h: HistogramSet): Promise<void> {
  assertConsistentSet(h);
  const n = h.run.length;
  const arrays: Array<[Section['name'], Dtype, ArrayBufferView & { length: number }]> = [
    ['run', 'int32', h.run],
    ['lumi', 'int32', h.lumi],
    ['entries', 'float64', h.entries],
    ...(h.rawSumSq ? [['rawSumSq', 'float64', h.rawSumSq] as [Section['name'], Dtype, Float64Array]] : []),
    ['values', 'float32', h.values],
  ];
  const base: Omit<Header, 'byteLength' | 'sections'> = {
    format: 'dqm-histogram-set', version: 1, title: h.title, n, ny: h.ny, nx: h.nx, x: h.x, y: h.y,
    ...(h.rawBins ? { rawBins: h.rawBins } : {}),
    ...(h.normalisation ? { normalisation: h.normalisation } : {}),
    ...(h.name ? { name: h.name } : {}),
    ...(h.source ? { source: h.source } : {}),
  };
  // The header's length depends on the offsets it lists: lay out with a generous estimate.
  const draft = Buffer.from(JSON.stringify({ ...base, byteLength: 0, sections: arrays.map(([name, dtype, a]) => ({ name, dtype, offset: 1e15, length: a.length })) }));
  const headerSpace = align8(draft.length + 64);
  let offset = PREFIX + headerSpace;
  const sections: Section[] = arrays.map(([name, dtype, a]) => {
    const s = { name, dtype, offset, length: a.length };
    offset = align8(offset + a.length * BYTES[dtype]);
    return s;
  });
  const headerJson = Buffer.from(JSON.stringify({ ...base, byteLength: offset, sections }));
  const prefix = Buffer.alloc(PREFIX + headerSpace, 0x20);
  prefix.write(LEGACY_MAGIC, 0, 'latin1');
  prefix.writeUInt32LE(headerJson.length, 8);
  prefix.writeUInt32LE(0, 12);
  headerJson.copy(prefix, PREFIX);
  await withAtomicPath(file, async (tmp) => {
    const fh = await fs.open(tmp, 'w');
    try {
      await writeAll(fh, prefix, 0);
      for (let i = 0; i < arrays.length; i++) {
        const a = arrays[i]![2];
        await writeAll(fh, new Uint8Array(a.buffer, a.byteOffset, a.byteLength), sections[i]!.offset);
      }
      await fh.truncate(offset);
    } finally {
      await fh.close();
    }
  });
}

/** Reads a file written by writeLegacyHsetFile; clear errors for foreign, corrupt or truncated files. */
export async function readLegacyHsetFile(file: string, shown = file): Promise<HistogramSet> {
  const fh = await fs.open(file, 'r');
  try {
    const { size } = await fh.stat();
    const prefix = Buffer.alloc(PREFIX);
    await fh.read(prefix, 0, PREFIX, 0);
    if (size < PREFIX || prefix.toString('latin1', 0, 8) !== LEGACY_MAGIC) {
      throw new DatasetError(`${shown} is not a HistogramSet file (it does not start with '${LEGACY_MAGIC}')`, { code: 'CORRUPT_FILE' });
    }
    const headerLength = prefix.readUInt32LE(8);
    if (PREFIX + headerLength > size) {
      throw new DatasetError(`${shown} is truncated: the header needs ${PREFIX + headerLength} bytes, the file has ${size}`, { code: 'CORRUPT_FILE' });
    }
    const headerBytes = Buffer.alloc(headerLength);
    await fh.read(headerBytes, 0, headerLength, PREFIX);
    const header = parseHeader(headerBytes, shown);
    if (size < header.byteLength) {
      throw new DatasetError(`${shown} is truncated: expected ${header.byteLength} bytes, found ${size}`, { code: 'CORRUPT_FILE' });
    }
    const buffer = new ArrayBuffer(header.byteLength);
    await readAll(fh, new Uint8Array(buffer), 0);
    const view = (name: Section['name']) => {
      const s = header.sections.find((x) => x.name === name);
      if (!s) return undefined;
      if (s.dtype === 'int32') return new Int32Array(buffer, s.offset, s.length);
      if (s.dtype === 'float32') return new Float32Array(buffer, s.offset, s.length);
      return new Float64Array(buffer, s.offset, s.length);
    };
    const rawSumSq = view('rawSumSq') as Float64Array | undefined;
    return {
      kind: 'histogram-set',
      title: header.title,
      run: view('run') as Int32Array,
      lumi: view('lumi') as Int32Array,
      entries: view('entries') as Float64Array,
      ny: header.ny,
      nx: header.nx,
      x: header.x,
      y: header.y,
      values: view('values') as Float32Array,
      ...(rawSumSq ? { rawSumSq } : {}),
      ...(header.rawBins ? { rawBins: header.rawBins } : {}),
      ...(header.normalisation ? { normalisation: header.normalisation } : {}),
      ...(header.name ? { name: header.name } : {}),
      ...(header.source ? { source: header.source } : {}),
    };
  } finally {
    await fh.close();
  }
}

function parseHeader(bytes: Buffer, shown: string): Header {
  let h: Header;
  try {
    h = JSON.parse(bytes.toString('utf8')) as Header;
  } catch (error) {
    throw new DatasetError(`${shown} has a corrupt header (not JSON): ${(error as Error).message}`, { code: 'CORRUPT_FILE', cause: error });
  }
  const expected: Record<string, [Dtype, number]> = {
    run: ['int32', h.n], lumi: ['int32', h.n], entries: ['float64', h.n], rawSumSq: ['float64', h.n], values: ['float32', h.n * h.ny * h.nx],
  };
  const bad = (why: string) => new DatasetError(`${shown} has a corrupt header: ${why}`, { code: 'CORRUPT_FILE' });
  if (h?.format !== 'dqm-histogram-set' || h.version !== 1) throw bad(`format ${JSON.stringify(h?.format)} version ${JSON.stringify(h?.version)}, expected dqm-histogram-set version 1`);
  if (![h.n, h.ny, h.nx, h.byteLength].every((v) => Number.isInteger(v) && v >= 0)) throw bad('n, ny, nx and byteLength must be non-negative integers');
  for (const name of ['run', 'lumi', 'entries', 'values']) {
    if (!h.sections?.some((s) => s.name === name)) throw bad(`section '${name}' is missing`);
  }
  for (const s of h.sections) {
    const want = expected[s.name];
    if (!want) throw bad(`unknown section '${s.name}'`);
    if (s.dtype !== want[0] || s.length !== want[1]) throw bad(`section '${s.name}' is ${s.length} × ${s.dtype}, expected ${want[1]} × ${want[0]}`);
    if (s.offset % 8 !== 0 || s.offset + s.length * BYTES[s.dtype] > h.byteLength) throw bad(`section '${s.name}' lies outside the file's ${h.byteLength} bytes`);
  }
  return h;
}

function align8(n: number): number {
  return Math.ceil(n / 8) * 8;
}

// fs reads and writes move at most 2 GB per call: loop.
const CHUNK = 1 << 30;

async function writeAll(fh: fs.FileHandle, bytes: Uint8Array, position: number): Promise<void> {
  for (let off = 0; off < bytes.length; ) {
    const { bytesWritten } = await fh.write(bytes, off, Math.min(CHUNK, bytes.length - off), position + off);
    off += bytesWritten;
  }
}

async function readAll(fh: fs.FileHandle, into: Uint8Array, position: number): Promise<void> {
  for (let off = 0; off < into.length; ) {
    const { bytesRead } = await fh.read(into, off, Math.min(CHUNK, into.length - off), position + off);
    if (bytesRead === 0) throw new DatasetError(`unexpected end of file at byte ${position + off}`, { code: 'CORRUPT_FILE' });
    off += bytesRead;
  }
}
