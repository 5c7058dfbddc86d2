import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { withAtomicPath, writeFileAtomic } from '../atomic-write';
import type { DatasetContext } from '../dataset-context';
import { DatasetError } from '../errors';
import { checkPngSignature, encodePng } from '../png';
import { FileDataset } from './file-dataset';

/** Raw pixels: `rgba` row-major from the top-left, 4 bytes per pixel. */
export interface RgbaImage {
  width: number;
  height: number;
  rgba: Uint8Array;
}

export type ImageData = Uint8Array | RgbaImage;

/** What ImageDataset saves: one image, or (as Kedro's MatplotlibWriter) a list or a name -> image mapping. */
export type ImageInput = ImageData | ImageData[] | Record<string, ImageData>;

/**
 * PNG images: Kedro's `pillow.ImageDataset` and `matplotlib.MatplotlibWriter`. Saves PNG
 * bytes (checked to be a PNG) or `{width, height, rgba}` pixels (encoded with node:zlib);
 * like MatplotlibWriter, a list or a mapping of images is saved as a folder `filepath/` of
 * `0.png, 1.png, ...` or `<key>.png`. Loads the PNG bytes (a folder: key -> bytes), checking
 * the PNG signature. Writes are atomic (a folder is replaced whole).
 */
export class ImageDataset extends FileDataset<ImageInput> {
  constructor(config: Record<string, unknown>, ctx: DatasetContext) {
    super(config, ctx, 'ImageDataset');
    const format = this.saveArgs.format;
    if (format !== undefined && String(format).toLowerCase() !== 'png') {
      throw new DatasetError(`ImageDataset save_args.format '${String(format)}' is not supported (only png)`);
    }
  }

  protected async doLoad(): Promise<Uint8Array | Record<string, Uint8Array>> {
    const stat = await fs.stat(this.path).catch(() => undefined);
    if (stat?.isDirectory()) {
      const out: Record<string, Uint8Array> = {};
      const names = (await fs.readdir(this.path)).filter((f) => f.toLowerCase().endsWith('.png')).sort(byNumberThenName);
      for (const f of names) out[f.slice(0, -4)] = checked(await fs.readFile(path.join(this.path, f)), f);
      return out;
    }
    return checked(await this.readBytes());
  }

  protected async doSave(data: ImageInput): Promise<void> {
    if (isImage(data)) {
      const png = toPng(data, undefined);
      await writeFileAtomic(this.path, png);
      return;
    }
    const entries: Array<[string, ImageData]> = Array.isArray(data) ? data.map((d, i) => [String(i), d]) : isRecord(data) ? Object.entries(data) : [];
    if (entries.length === 0) {
      throw new DatasetError(`ImageDataset saves PNG bytes, {width, height, rgba} pixels, or a list/mapping of them; got ${describe(data)}`);
    }
    const pngs = entries.map(([k, d]) => [k, toPng(d, k)] as const); // encode all before touching the disk
    await withAtomicPath(this.path, async (tmp) => {
      await fs.mkdir(tmp, { recursive: true });
      for (const [k, png] of pngs) await fs.writeFile(path.join(tmp, `${k}.png`), png);
    });
  }

  protected override async doExists(): Promise<boolean> {
    return (await fs.stat(this.path).catch(() => undefined)) !== undefined;
  }

  protected override doDescribe(): Record<string, unknown> {
    return { ...super.doDescribe(), format: 'png' };
  }
}

function isImage(d: unknown): d is ImageData {
  return d instanceof Uint8Array || (isRecord(d) && 'rgba' in d && 'width' in d && 'height' in d);
}

function isRecord(d: unknown): d is Record<string, unknown> {
  return typeof d === 'object' && d !== null && !Array.isArray(d) && !ArrayBuffer.isView(d);
}

function toPng(d: ImageData, key: string | undefined): Uint8Array {
  const where = key === undefined ? '' : `image '${key}': `;
  if (d instanceof Uint8Array) {
    try {
      checkPngSignature(d);
    } catch (error) {
      throw new DatasetError(`${where}${(error as Error).message}`, { cause: error });
    }
    return d;
  }
  if (isRecord(d) && d.rgba instanceof Uint8Array && typeof d.width === 'number' && typeof d.height === 'number') {
    try {
      return encodePng(d.width, d.height, d.rgba);
    } catch (error) {
      throw new DatasetError(`${where}${(error as Error).message}`, { cause: error });
    }
  }
  throw new DatasetError(`${where}expected PNG bytes or {width, height, rgba}, got ${describe(d)}`);
}

function checked(bytes: Uint8Array, file?: string): Uint8Array {
  try {
    checkPngSignature(bytes);
  } catch (error) {
    throw new DatasetError(file ? `${file}: ${(error as Error).message}` : (error as Error).message, { cause: error });
  }
  return bytes;
}

function describe(d: unknown): string {
  if (d === null || d === undefined) return String(d);
  if (Array.isArray(d)) return 'an empty list';
  if (typeof d !== 'object') return `a ${typeof d}`;
  const keys = Object.keys(d);
  return keys.length ? `an object with keys ${keys.slice(0, 5).join(', ')}` : 'an empty object';
}

function byNumberThenName(a: string, b: string): number {
  const na = Number.parseInt(a, 10);
  const nb = Number.parseInt(b, 10);
  return Number.isNaN(na) || Number.isNaN(nb) ? a.localeCompare(b) : na - nb;
}
