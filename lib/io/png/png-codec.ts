import * as zlib from 'node:zlib';
import { PngError } from './errors';

/**
 * PNG writing by hand with node:zlib: an RGBA8 image is 3 chunks (IHDR, IDAT, IEND), CRC-32
 * and one filter byte per row, about 50 lines. A dependency (pngjs, fast-png) would add a
 * whole decoder/encoder in JavaScript and its own deflate, where node's native zlib is faster.
 */
export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = (() => {
  const t = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c;
  }
  return t;
})();

export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = ~crc;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/** An RGBA8 image (`rgba` row-major from the top-left, 4 bytes per pixel) as PNG bytes. */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new PngError(`a PNG needs a positive integer width and height, got ${width}×${height}`);
  }
  if (rgba.length !== width * height * 4) {
    throw new PngError(`RGBA data has ${rgba.length} bytes, expected ${width * height * 4} (${width}×${height}×4)`);
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8-bit depth, colour type 6 (RGBA), deflate, adaptive filters, no interlace
  // Filter "Up" (2) on every row but the first: heatmaps change little from row to row,
  // which deflate then compresses well.
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const o = y * (stride + 1);
    const row = rgba.subarray(y * stride, (y + 1) * stride);
    if (y === 0) {
      raw[o] = 0;
      raw.set(row, o + 1);
    } else {
      raw[o] = 2;
      const above = rgba.subarray((y - 1) * stride, y * stride);
      for (let i = 0; i < stride; i++) raw[o + 1 + i] = (row[i]! - above[i]!) & 0xff;
    }
  }
  const idat = zlib.deflateSync(raw, { level: 6 });
  return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', new Uint8Array(0))]);
}

/** Throws a PngError unless `bytes` start with the PNG signature. */
export function checkPngSignature(bytes: Uint8Array): void {
  if (bytes.length < 8 || !PNG_SIGNATURE.equals(Buffer.from(bytes.buffer, bytes.byteOffset, 8))) {
    const head = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
    throw new PngError(`not a PNG: the file starts with [${head}] (${bytes.length} bytes), not the PNG signature [89 50 4e 47 0d 0a 1a 0a]`);
  }
}

/** Width and height from the IHDR chunk (which must come first, as the PNG spec requires). */
export function decodePngSize(bytes: Uint8Array): { width: number; height: number } {
  checkPngSignature(bytes);
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < 33 || b.toString('latin1', 12, 16) !== 'IHDR') {
    throw new PngError(`corrupt PNG: no IHDR chunk after the signature (${bytes.length} bytes)`);
  }
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}
