/**
 * Colour scales as control points (position 0..1, RGB). Viridis is Plotly's 17-point
 * version (sampled from matplotlib's), so PNG heatmaps match the dashboard's Plotly plots.
 */
export type ColorscaleName = 'viridis' | 'greys';

const VIRIDIS = [
  '#440154', '#48186a', '#472d7b', '#424086', '#3b528b', '#33638d', '#2c728e', '#26828e', '#21918c',
  '#1fa088', '#28ae80', '#3fbc73', '#5ec962', '#84d44b', '#addc30', '#d8e219', '#fde725',
];

const SCALES: Record<ColorscaleName, string[]> = { viridis: VIRIDIS, greys: ['#ffffff', '#000000'] };

/** A 256-entry RGB lookup table (768 bytes) interpolated linearly between control points. */
export function colorLut(name: ColorscaleName): Uint8Array {
  const stops = SCALES[name].map((hex) => [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)));
  const lut = new Uint8Array(256 * 3);
  const segments = stops.length - 1;
  for (let i = 0; i < 256; i++) {
    const t = (i / 255) * segments;
    const k = Math.min(segments - 1, Math.floor(t));
    const f = t - k;
    for (let c = 0; c < 3; c++) lut[i * 3 + c] = Math.round(stops[k]![c]! * (1 - f) + stops[k + 1]![c]! * f);
  }
  return lut;
}

export function isColorscale(name: unknown): name is ColorscaleName {
  return typeof name === 'string' && name in SCALES;
}
