import type { Page } from '@playwright/test';

/** An encoded image: PNG bytes or SVG text, with its MIME type. */
export interface EncodedImage {
  bytes: Buffer;
  mime: string;
}

export interface PixelDifference {
  width: number;
  height: number;
  /** Share of the compared pixels whose colour differs (sum of |ΔR|,|ΔG|,|ΔB| > 30). */
  share: number;
}

/**
 * Decodes images in the page (the browser's own decoder: no PNG library needed in the tests) and
 * compares the first with the second, pixel by pixel, or, with one image, with its corner
 * (background) colour. `rect` limits the comparison to an area, in image pixels.
 */
export async function pixelDifference(page: Page, images: EncodedImage[], rect?: { x: number; y: number; width: number; height: number }): Promise<PixelDifference> {
  return page.evaluate(
    async ({ encoded, rect }) => {
      const decoded = await Promise.all(
        encoded.map(async ({ b64, mime }) => {
          const img = new Image();
          img.src = `data:${mime};base64,${b64}`;
          await img.decode();
          const c = document.createElement('canvas');
          c.width = img.naturalWidth;
          c.height = img.naturalHeight;
          const ctx = c.getContext('2d')!;
          ctx.drawImage(img, 0, 0);
          const r = rect ?? { x: 0, y: 0, width: c.width, height: c.height };
          return { width: c.width, height: c.height, data: ctx.getImageData(r.x, r.y, r.width, r.height).data };
        }),
      );
      const a = decoded[0]!.data;
      const b = decoded[1]?.data;
      let changed = 0;
      for (let i = 0; i < a.length; i += 4) {
        const [r, g, bl] = b ? [b[i]!, b[i + 1]!, b[i + 2]!] : [a[0]!, a[1]!, a[2]!];
        if (Math.abs(a[i]! - r) + Math.abs(a[i + 1]! - g) + Math.abs(a[i + 2]! - bl) > 30) changed++;
      }
      return { width: decoded[0]!.width, height: decoded[0]!.height, share: changed / (a.length / 4) };
    },
    { encoded: images.map((i) => ({ b64: i.bytes.toString('base64'), mime: i.mime })), rect },
  );
}
