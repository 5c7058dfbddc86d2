import { expect, type Page } from '@playwright/test';
import { pixelDifference } from './image-pixels.fixtures';

/** The React Flow viewport's zoom (its transform's scale). */
export async function zoomOf(page: Page): Promise<number> {
  const t = await page.locator('.react-flow__viewport').getAttribute('style');
  return Number(/scale\(([\d.]+)\)/.exec(t ?? '')?.[1] ?? NaN);
}

/** Labels drawn cut (text wider than its box): none should be. */
export async function cutLabels(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('.viz-node .label')].filter((l) => l.scrollWidth > l.clientWidth + 1).map((l) => l.textContent ?? ''),
  );
}

/**
 * Labels whose clipping box (overflow: hidden, one line box tall) is shorter than their font's
 * ascent + descent: the bottom of `_`, `g`, `p` is cut, and at zoom 0.72 underscores vanish.
 * Measured with the label's own font (canvas fontBoundingBox*).
 */
export async function clippedDescenders(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const ctx = document.createElement('canvas').getContext('2d')!;
    return [...document.querySelectorAll<HTMLElement>('.viz-node .label')]
      .filter((l) => {
        ctx.font = getComputedStyle(l).font;
        const m = ctx.measureText(l.textContent ?? '');
        return l.clientHeight + 0.5 < m.fontBoundingBoxAscent + m.fontBoundingBoxDescent;
      })
      .map((l) => l.textContent ?? '');
  });
}

/** On-screen label size in px: font size times zoom. */
export async function labelPx(page: Page): Promise<number> {
  const font = await page.locator('.viz-node .label').first().evaluate((l) => parseFloat(getComputedStyle(l).fontSize));
  return font * (await zoomOf(page));
}

export interface ImageStats {
  width: number;
  height: number;
  /** Share of pixels that differ from the corner (background) colour. */
  inked: number;
}

/** Decodes an image (PNG bytes or SVG text) in the page and measures it: size, share of drawn pixels. */
export async function imageStats(page: Page, bytes: Buffer, mime: string): Promise<ImageStats> {
  const { width, height, share } = await pixelDifference(page, [{ bytes, mime }]);
  return { width, height, inked: share };
}

/** Boxes of the drawn modular pipelines, in screen pixels. */
export async function groupBoxes(page: Page): Promise<Array<{ id: string; x: number; y: number; width: number; height: number }>> {
  const boxes = page.getByTestId('group-box');
  const out = [];
  for (let i = 0; i < (await boxes.count()); i++) {
    const b = boxes.nth(i);
    const r = (await b.boundingBox())!;
    out.push({ id: (await b.getAttribute('data-group-id'))!, ...r });
  }
  return out;
}

export async function expectNoOverlap(boxes: Array<{ x: number; y: number; width: number; height: number }>): Promise<void> {
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
      expect(apart, `boxes ${i} and ${j} overlap`).toBe(true);
    }
}

/**
 * What is drawn over a layer band's label: every node and modular-pipeline box whose screen
 * rectangle intersects a `.band-label` (as `label × element`), and how far below the graph
 * area's top the topmost node or box starts (px).
 */
export async function bandLabelsAndTop(page: Page): Promise<{ covered: string[]; labels: string[]; top: number }> {
  return page.evaluate(() => {
    const fc = document.querySelector('[data-testid="flowchart"]')!.getBoundingClientRect();
    const drawn = [
      ...[...document.querySelectorAll<HTMLElement>('.react-flow__node-viz')].map((e) => ({ name: e.getAttribute('data-id') ?? '?', r: e.getBoundingClientRect() })),
      ...[...document.querySelectorAll<HTMLElement>('[data-testid="group-box"]')].map((e) => ({ name: `box ${e.getAttribute('data-group-id')}`, r: e.getBoundingClientRect() })),
    ];
    const labels = [...document.querySelectorAll<HTMLElement>('.band-label')].map((e) => ({ name: e.textContent ?? '', r: e.getBoundingClientRect() }));
    const meets = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
    const covered = labels.flatMap((l) => drawn.filter((d) => meets(l.r, d.r)).map((d) => `${l.name} × ${d.name}`));
    return { covered, labels: labels.map((l) => l.name), top: Math.min(...drawn.map((d) => d.r.top)) - fc.top };
  });
}
