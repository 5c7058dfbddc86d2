import { describe, expect, it } from 'vitest';
import { mapPixels, mapRange } from './heatmap-canvas';

const rgba = (px: Uint8ClampedArray, i: number) => Array.from(px.subarray(i * 4, i * 4 + 4));

describe('heatmap canvas colours', () => {
  it('maps the min to Viridis bottom and the max to its top, row 0 at the bottom of the canvas', () => {
    // 2 rows of 2 bins: row 0 = [0, 1], row 1 = [2, 3]
    const px = mapPixels(Float32Array.of(0, 1, 2, 3), 2, 2);
    expect(rgba(px, 2)).toEqual([68, 1, 84, 255]); // row 0, first bin: the canvas's bottom row
    expect(rgba(px, 1)).toEqual([253, 231, 37, 255]); // row 1, last bin: the canvas's top row
  });

  it('interpolates between stops in RGB as Plotly does (stops at k·16/255)', () => {
    // 16/255 of the range is exactly the second stop, #48186a
    const px = mapPixels(Float32Array.of(0, 16, 255), 3, 1);
    expect(rgba(px, 1)).toEqual([0x48, 0x18, 0x6a, 255]);
  });

  it('draws non-finite bins transparent and leaves them out of the range', () => {
    const map = Float32Array.of(NaN, 2, 4, Infinity);
    expect(mapRange(map)).toEqual([2, 4]);
    const px = mapPixels(map, 4, 1);
    expect(px[3]).toBe(0);
    expect(rgba(px, 1)).toEqual([68, 1, 84, 255]);
    expect(rgba(px, 2)).toEqual([253, 231, 37, 255]);
    expect(px[15]).toBe(0);
  });

  it('gives a flat map the mid colour, as Plotly widens its range by 0.5 each side', () => {
    expect(mapRange(Float32Array.of(5, 5))).toEqual([4.5, 5.5]);
    expect(mapRange(new Float32Array(0))).toEqual([0, 1]);
  });
});
