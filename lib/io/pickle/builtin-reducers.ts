import type { PickleError } from './errors';
import { PySlice, type Reducer } from './py-values';

/** What calling a few Python builtins in a pickle produces (slices, sets, bytes). */
export const BASE_REDUCERS: ReadonlyMap<string, Reducer> = new Map<string, Reducer>([
  ['builtins.slice', (a) => new PySlice(num(a[0]), num(a[1]), num(a[2]))],
  ['builtins.set', (a) => new Set(iterableArg(a[0]))],
  ['builtins.frozenset', (a) => new Set(iterableArg(a[0]))],
  ['builtins.bytearray', (a) => (a[0] instanceof Uint8Array ? new Uint8Array(a[0]) : new Uint8Array(0))],
  ['builtins.bytes', (a) => (a[0] instanceof Uint8Array ? a[0] : new Uint8Array(0))],
  // Protocol 2 pickles Python 3 bytes as _codecs.encode('<latin-1 text>', 'latin1').
  ['_codecs.encode', (a) => (typeof a[0] === 'string' ? Uint8Array.from(Buffer.from(a[0], 'latin1')) : new Uint8Array(0))],
]);

function num(v: unknown): number | null {
  return typeof v === 'number' ? v : null;
}

function iterableArg(v: unknown): Iterable<unknown> {
  return Array.isArray(v) || v instanceof Set ? v : [];
}

/** Little-endian two's complement (LONG1/LONG4): a number when exact, else a bigint. */
export function decodeLong(b: Uint8Array): number | bigint {
  if (b.length === 0) return 0;
  if (b.length <= 6) {
    let v = 0;
    for (let i = b.length - 1; i >= 0; i--) v = v * 256 + b[i]!;
    return b[b.length - 1]! & 0x80 ? v - 2 ** (8 * b.length) : v;
  }
  let v = 0n;
  for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]!);
  if (b[b.length - 1]! & 0x80) v -= 1n << BigInt(8 * b.length);
  return v >= -BigInt(Number.MAX_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

export function parseIntText(s: string, corrupt: (what: string) => PickleError): number | bigint {
  if (!/^[-+]?\d+$/.test(s.trim())) throw corrupt(`bad integer literal '${s}'`);
  const v = BigInt(s.trim());
  return v >= -BigInt(Number.MAX_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}
