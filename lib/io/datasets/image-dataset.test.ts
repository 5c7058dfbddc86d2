import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodePngSize, encodePng, heatmapToPng } from '../png';
import { ImageDataset } from './image-dataset';
import { named, rejection, tempProjectRoot } from './dataset-test.fixtures';

const root = tempProjectRoot('dqm-image-');

function dataset(filepath: string, extra: Record<string, unknown> = {}, name = 'layer_1.mean_image_plot'): ImageDataset {
  return named(new ImageDataset({ filepath, ...extra }, { projectRoot: root }), name);
}

const pixels = { width: 2, height: 1, rgba: Uint8Array.from([255, 0, 0, 255, 0, 0, 255, 255]) };

describe('ImageDataset', () => {
  it('saves PNG bytes and loads them back unchanged', async () => {
    const png = heatmapToPng(Float32Array.from([1, 2, 3, 4, 5, 6]), 2, 3, { scale: 4 });
    const ds = dataset('data/08_reporting/mean_image.png');
    expect(await ds.exists()).toBe(false);
    await ds.save(png);
    expect(await ds.exists()).toBe(true);
    const back = (await ds.load()) as Uint8Array;
    expect(Buffer.from(back).equals(png)).toBe(true);
    expect(decodePngSize(back)).toEqual({ width: 12, height: 8 });
    expect(ds.describe()).toEqual({ type: 'ImageDataset', filepath: 'data/08_reporting/mean_image.png', format: 'png' });
  });

  it('encodes {width, height, rgba} pixels', async () => {
    const ds = dataset('pixels.png');
    await ds.save(pixels);
    expect(Buffer.from((await ds.load()) as Uint8Array).equals(encodePng(2, 1, pixels.rgba))).toBe(true);
  });

  it('saves a mapping or a list of images as a folder, as MatplotlibWriter does', async () => {
    const ds = dataset('data/08_reporting/time_series');
    await ds.save({ mean: pixels, std: encodePng(1, 1, Uint8Array.from([1, 2, 3, 4])) });
    expect(fs.readdirSync(path.join(root, 'data/08_reporting/time_series')).sort()).toEqual(['mean.png', 'std.png']);
    expect(Object.keys((await ds.load()) as Record<string, Uint8Array>)).toEqual(['mean', 'std']);
    await ds.save([pixels, pixels, pixels]); // replaces the folder whole
    expect(fs.readdirSync(path.join(root, 'data/08_reporting/time_series')).sort()).toEqual(['0.png', '1.png', '2.png']);
  });

  it('refuses bytes that are not a PNG, keeping the old file', async () => {
    const ds = dataset('keep.png', {}, 'plot');
    await ds.save(pixels);
    expect(await rejection(ds.save(Buffer.from('<svg/>')))).toBe(
      "Failed while saving data to dataset 'plot' (keep.png): not a PNG: the file starts with [3c 73 76 67 2f 3e] (6 bytes), not the PNG signature [89 50 4e 47 0d 0a 1a 0a]",
    );
    expect(await rejection(ds.save({ ...pixels, width: 3 }))).toBe("Failed while saving data to dataset 'plot' (keep.png): RGBA data has 8 bytes, expected 12 (3×1×4)");
    expect(await rejection(ds.save({ a: pixels, b: 'x' as unknown as Uint8Array }))).toBe(
      "Failed while saving data to dataset 'plot' (keep.png): image 'b': expected PNG bytes or {width, height, rgba}, got a string",
    );
    expect(await rejection(ds.save([]))).toBe(
      "Failed while saving data to dataset 'plot' (keep.png): ImageDataset saves PNG bytes, {width, height, rgba} pixels, or a list/mapping of them; got an empty list",
    );
    expect(decodePngSize((await ds.load()) as Uint8Array)).toEqual({ width: 2, height: 1 });
    expect(fs.readdirSync(root).filter((f) => f.startsWith('keep'))).toEqual(['keep.png']);
  });

  it('checks the PNG signature on load', async () => {
    fs.writeFileSync(path.join(root, 'fake.png'), 'GIF89a');
    expect(await rejection(dataset('fake.png', {}, 'plot').load())).toBe(
      "Failed while loading data from dataset 'plot' (fake.png): not a PNG: the file starts with [47 49 46 38 39 61] (6 bytes), not the PNG signature [89 50 4e 47 0d 0a 1a 0a]",
    );
  });

  it('a missing file, and a format other than png', async () => {
    expect(await rejection(dataset('none.png', {}, 'plot').load())).toBe(
      "Failed while loading data from dataset 'plot' (none.png): the file does not exist (run the node that produces it first, or check 'filepath' in the catalog)",
    );
    expect(() => dataset('x.svg', { save_args: { format: 'svg' } })).toThrow("ImageDataset save_args.format 'svg' is not supported (only png)");
  });
});
