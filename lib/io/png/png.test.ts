import * as zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodePngSize, encodePng, heatmapToPng } from './index';

/**
 * An independent PNG reader for the tests (spec, section 9: the five filter types), built on
 * node's zlib for inflate and CRC-32: it checks every chunk CRC and returns RGBA pixels.
 */
function decodePng(png: Uint8Array): { width: number; height: number; rgba: Uint8Array; chunks: string[] } {
  const b = Buffer.from(png);
  expect([...b.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  let pos = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  const chunks: string[] = [];
  while (pos < b.length) {
    const len = b.readUInt32BE(pos);
    const type = b.toString('latin1', pos + 4, pos + 8);
    const data = b.subarray(pos + 8, pos + 8 + len);
    expect(b.readUInt32BE(pos + 8 + len)).toBe(zlib.crc32(b.subarray(pos + 4, pos + 8 + len)));
    chunks.push(type);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      expect([...data.subarray(8)]).toEqual([8, 6, 0, 0, 0]);
    }
    if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * 4;
  const rgba = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i]!;
      const a = i >= 4 ? rgba[y * stride + i - 4]! : 0;
      const up = y > 0 ? rgba[(y - 1) * stride + i]! : 0;
      const c = i >= 4 && y > 0 ? rgba[(y - 1) * stride + i - 4]! : 0;
      const p = a + up - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - up) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - up) <= Math.abs(p - c) ? up : c;
      const pred = [0, a, up, (a + up) >> 1, paeth][filter]!;
      rgba[y * stride + i] = (x + pred) & 0xff;
    }
  }
  return { width, height, rgba, chunks };
}

function pixel(img: { width: number; rgba: Uint8Array }, x: number, y: number): number[] {
  const o = (y * img.width + x) * 4;
  return [...img.rgba.subarray(o, o + 4)];
}

describe('encodePng', () => {
  it('encodes RGBA pixels that a PNG reader gets back exactly', () => {
    const width = 37;
    const height = 23;
    const rgba = new Uint8Array(width * height * 4);
    for (let i = 0; i < rgba.length; i++) rgba[i] = (i * 31 + (i >> 7)) & 0xff;
    const png = encodePng(width, height, rgba);
    const img = decodePng(png);
    expect(img.chunks).toEqual(['IHDR', 'IDAT', 'IEND']);
    expect({ width: img.width, height: img.height }).toEqual({ width, height });
    expect(Buffer.from(img.rgba).equals(Buffer.from(rgba))).toBe(true);
    expect(decodePngSize(png)).toEqual({ width, height });
  });

  it.each([
    [() => encodePng(2, 2, new Uint8Array(15)), 'RGBA data has 15 bytes, expected 16 (2×2×4)'],
    [() => encodePng(0, 2, new Uint8Array(0)), 'a PNG needs a positive integer width and height, got 0×2'],
    [() => decodePngSize(Buffer.from('GIF89a...')), 'not a PNG: the file starts with [47 49 46 38 39 61 2e 2e] (9 bytes), not the PNG signature [89 50 4e 47 0d 0a 1a 0a]'],
    [() => decodePngSize(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0])), 'corrupt PNG: no IHDR chunk after the signature (10 bytes)'],
  ])('bad input %#', (fn, message) => {
    expect(fn).toThrow(message);
  });
});

describe('heatmapToPng', () => {
  const VIRIDIS_MIN = [0x44, 0x01, 0x54, 255];
  const VIRIDIS_MAX = [0xfd, 0xe7, 0x25, 255];

  it('draws row 0 at the bottom, min in dark purple and max in yellow (viridis)', () => {
    // 2 rows x 3 columns: row 0 = [0, 1, 2], row 1 = [3, 4, 8]
    const img = decodePng(heatmapToPng(Float32Array.from([0, 1, 2, 3, 4, 8]), 2, 3));
    expect([img.width, img.height]).toEqual([3, 2]);
    expect(pixel(img, 0, 1)).toEqual(VIRIDIS_MIN); // value 0: bottom-left
    expect(pixel(img, 2, 0)).toEqual(VIRIDIS_MAX); // value 8: top-right
    expect(pixel(img, 1, 0)).toEqual([0x21, 0x91, 0x8c, 255]); // value 4 = middle of the scale: viridis(0.5)
  });

  it('scales pixels, makes NaN transparent, paints empty bins, takes a fixed range', () => {
    const img = decodePng(heatmapToPng(Float64Array.from([Number.NaN, 0, 5, 10]), 2, 2, { scale: 3, emptyColor: [255, 255, 255, 255], min: 0, max: 5 }));
    expect([img.width, img.height]).toEqual([6, 6]);
    expect(pixel(img, 0, 5)[3]).toBe(0); // NaN, bottom-left block
    expect(pixel(img, 2, 3)[3]).toBe(0);
    expect(pixel(img, 3, 4)).toEqual([255, 255, 255, 255]); // 0 -> empty colour
    expect(pixel(img, 0, 0)).toEqual(VIRIDIS_MAX); // 5 = max
    expect(pixel(img, 5, 2)).toEqual(VIRIDIS_MAX); // 10 clipped to max
  });

  it('log scale: decades are equally spaced, zero takes the lowest colour', () => {
    const img = decodePng(heatmapToPng(Float32Array.from([0, 1, 100, 10000]), 1, 4, { logScale: true }));
    expect(pixel(img, 0, 0)).toEqual(VIRIDIS_MIN);
    expect(pixel(img, 1, 0)).toEqual(VIRIDIS_MIN);
    expect(pixel(img, 2, 0)).toEqual([0x21, 0x91, 0x8c, 255]);
    expect(pixel(img, 3, 0)).toEqual(VIRIDIS_MAX);
  });

  it('refuses a shape that does not match the values', () => {
    expect(() => heatmapToPng(new Float32Array(5), 2, 3)).toThrow('heatmap of 2×3 bins needs 6 values, got 5');
    expect(() => heatmapToPng(new Float32Array(6), 2, 3, { scale: 0 })).toThrow('heatmap scale must be an integer from 1 to 64, got 0');
  });
});
