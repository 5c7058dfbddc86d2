import { colorLut, isColorscale, type ColorscaleName } from './colorscales';
import { PngError } from './errors';
import { encodePng } from './png-codec';

export interface HeatmapOptions {
  colorscale?: ColorscaleName;
  /** Colour by log10(value); bins <= 0 get `emptyColor` (or the lowest colour). */
  logScale?: boolean;
  /** Pixels per bin in each direction (default 1). */
  scale?: number;
  /** Colour range; default the finite data range (positive range with logScale). */
  min?: number;
  max?: number;
  /** RGBA for bins equal to 0 (e.g. [255,255,255,255] for white, as ROOT draws empty bins). Default: colour scale. */
  emptyColor?: readonly [number, number, number, number];
}

/**
 * A map of ny rows × nx columns (row-major, `values[y * nx + x]`) as a PNG heatmap, drawn as a
 * physics plot: row 0 at the bottom, column 0 at the left. NaN bins are transparent.
 */
export function heatmapToPng(values: Float32Array | Float64Array, ny: number, nx: number, opts: HeatmapOptions = {}): Buffer {
  if (!Number.isInteger(ny) || !Number.isInteger(nx) || ny < 1 || nx < 1 || values.length !== ny * nx) {
    throw new PngError(`heatmap of ${ny}×${nx} bins needs ${ny * nx} values, got ${values.length}`);
  }
  const scale = opts.scale ?? 1;
  if (!Number.isInteger(scale) || scale < 1 || scale > 64) throw new PngError(`heatmap scale must be an integer from 1 to 64, got ${scale}`);
  const name = opts.colorscale ?? 'viridis';
  if (!isColorscale(name)) throw new PngError(`unknown colorscale '${String(name)}' (supported: viridis, greys)`);
  const lut = colorLut(name);
  const log = opts.logScale === true;
  const f = (v: number): number => (log ? (v > 0 ? Math.log10(v) : Number.NaN) : v);

  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = f(values[i]!);
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (opts.min !== undefined) lo = f(opts.min);
  if (opts.max !== undefined) hi = f(opts.max);
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) lo = hi = 0;
  const span = hi > lo ? hi - lo : 1;

  const width = nx * scale;
  const height = ny * scale;
  const rgba = new Uint8Array(width * height * 4);
  const row = new Uint8Array(width * 4);
  for (let y = 0; y < ny; y++) {
    for (let x = 0; x < nx; x++) {
      const raw = values[y * nx + x]!;
      const o = x * scale * 4;
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 255;
      if (Number.isNaN(raw)) a = 0;
      else if (raw === 0 && opts.emptyColor) [r, g, b, a] = opts.emptyColor;
      else {
        const v = f(raw);
        const t = Number.isNaN(v) ? 0 : Math.min(1, Math.max(0, (v - lo) / span));
        const k = Math.round(t * 255) * 3;
        r = lut[k]!;
        g = lut[k + 1]!;
        b = lut[k + 2]!;
      }
      for (let s = 0, p = o; s < scale; s++, p += 4) {
        row[p] = r;
        row[p + 1] = g;
        row[p + 2] = b;
        row[p + 3] = a;
      }
    }
    // data row y is drawn at image rows counted from the bottom
    const top = (ny - 1 - y) * scale;
    for (let s = 0; s < scale; s++) rgba.set(row, (top + s) * width * 4);
  }
  return encodePng(width, height, rgba);
}
