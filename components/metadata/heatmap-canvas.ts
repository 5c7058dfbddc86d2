/**
 * Draws one lumisection's map into a canvas, one pixel a bin, in the colours Plotly gives the same
 * heatmap (Viridis, the map's own min..max), so an LS step costs ~1 ms of drawing instead of a
 * whole Plotly redraw (axes, colour bar, styles, PNG encoding of the image).
 *
 * Hand-written because Plotly has no public call that redraws a heatmap's image alone; it mirrors
 * plotly.js 4's heatmap "fast" drawing: colours interpolated linearly in RGB between the scale's
 * stops (d3 linear scale, clamped), written unrounded into a Uint8ClampedArray, non-finite bins
 * transparent, a flat map drawn at mid-scale, row 0 at the bottom, and the canvas scaled with
 * `image-rendering: pixelated`. The e2e test compares these pixels with Plotly's own image.
 */

/** Plotly's 'Viridis' colour scale (src/components/colorscale/scales.js): stops at k·16/255, the last at 1. */
const VIRIDIS = ['#440154', '#48186a', '#472d7b', '#424086', '#3b528b', '#33638d', '#2c728e', '#26828e', '#21918c', '#1fa088', '#28ae80', '#3fbc73', '#5ec962', '#84d44b', '#addc30', '#d8e219', '#fde725'];
const STOPS = VIRIDIS.map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)) as [number, number, number]);
const SEGMENTS = STOPS.length - 1;
const AT = STOPS.map((_, k) => (k === SEGMENTS ? 1 : (k * 16) / 255));

/** The colour range Plotly's autoscale gives a map: its finite min..max (a flat map ± 0.5). */
export function mapRange(map: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < map.length; i++) {
    const v = map[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) return [0, 1];
  return lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi];
}

/** RGBA pixels of a row-major map (`nx` bins a row, row 0 = lowest y) as the canvas shows them. */
export function mapPixels(map: ArrayLike<number>, nx: number, ny: number, out = new Uint8ClampedArray(nx * ny * 4)): Uint8ClampedArray {
  const [lo, hi] = mapRange(map);
  // Position on the scale in 255ths: segment k spans [16k, 16k + 16) but the last ends at 255.
  const scale = 255 / (hi - lo);
  for (let r = 0; r < ny; r++) {
    const src = r * nx;
    let px = (ny - 1 - r) * nx * 4;
    for (let c = 0; c < nx; c++, px += 4) {
      const v = map[src + c]!;
      if (!Number.isFinite(v)) {
        out[px + 3] = 0;
        continue;
      }
      const t = Math.min(Math.max((v - lo) * scale, 0), 255);
      const k = Math.min(Math.floor(t / 16), SEGMENTS - 1);
      const f = (t / 255 - AT[k]!) / (AT[k + 1]! - AT[k]!);
      const a = STOPS[k]!;
      const b = STOPS[k + 1]!;
      out[px] = a[0] + (b[0] - a[0]) * f;
      out[px + 1] = a[1] + (b[1] - a[1]) * f;
      out[px + 2] = a[2] + (b[2] - a[2]) * f;
      out[px + 3] = 255;
    }
  }
  return out;
}

/** Draws the map into `canvas` (resized to one pixel a bin). */
export function drawMap(canvas: HTMLCanvasElement, map: ArrayLike<number>, nx: number, ny: number): void {
  if (canvas.width !== nx) canvas.width = nx;
  if (canvas.height !== ny) canvas.height = ny;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const img = ctx.createImageData(nx, ny);
  mapPixels(map, nx, ny, img.data);
  ctx.putImageData(img, 0, 0);
}
