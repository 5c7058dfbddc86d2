import type { SerializedError } from './worker-messages.types';

/**
 * The ArrayBuffers under typed arrays in `value` that can move to another thread without a copy.
 * Only buffers a view owns entirely: a slice of Node's shared Buffer pool must not be detached.
 */
export function transferables(value: unknown, out = new Set<ArrayBuffer>(), depth = 0): Set<ArrayBuffer> {
  if (value === null || typeof value !== 'object' || depth > 8) return out;
  if (ArrayBuffer.isView(value)) {
    const buf = value.buffer;
    if (buf instanceof ArrayBuffer && value.byteOffset === 0 && value.byteLength === buf.byteLength) out.add(buf);
    return out;
  }
  if (value instanceof ArrayBuffer) {
    out.add(value);
    return out;
  }
  if (Array.isArray(value)) {
    // Arrays of numbers or strings hold no buffers; look at a few elements only when they are objects.
    for (const v of value) {
      if (v === null || typeof v !== 'object') break;
      transferables(v, out, depth + 1);
    }
    return out;
  }
  if (value instanceof Map) {
    for (const v of value.values()) transferables(v, out, depth + 1);
    return out;
  }
  for (const v of Object.values(value)) transferables(v, out, depth + 1);
  return out;
}

export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, message: error.message, stack: error.stack, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { name: 'Error', message: String(error) };
}

/** An Error in this thread that carries the worker's name, message, code and stack. */
export function deserializeError(e: SerializedError): Error {
  const error = new Error(e.message);
  error.name = e.name;
  if (e.stack) error.stack = e.stack;
  if (e.code) (error as { code?: string }).code = e.code;
  return error;
}
