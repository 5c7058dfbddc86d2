/** PNG output: encoding RGBA images and drawing heatmaps (node:zlib, no dependency). */
export { checkPngSignature, crc32, decodePngSize, encodePng, PNG_SIGNATURE } from './png-codec';
export { heatmapToPng, type HeatmapOptions } from './heatmap';
export { colorLut, type ColorscaleName } from './colorscales';
export { PngError } from './errors';
