import { expect, type Page } from '@playwright/test';
import path from 'node:path';
import type { GraphJson } from '../lib/graph';
import { authHeaders, REPO } from './viz-server.fixtures';

export const shot = (name: string) => path.join(REPO, 'e2e', 'screenshots', `${name}.png`);

/** Waits until the graph is laid out and every visible node and edge is in the DOM. */
export async function waitForGraph(page: Page): Promise<number> {
  const fc = page.getByTestId('flowchart');
  await expect(fc).toHaveAttribute('data-layout', 'ready', { timeout: 60_000 });
  const want = Number(await fc.getAttribute('data-nodes'));
  // Above 300 nodes only those on screen are in the DOM (Flowchart's VISIBLE_ONLY_ABOVE).
  if (want > 300) await expect(page.locator('.react-flow__node-viz').first()).toBeVisible();
  else await expect(page.locator('.react-flow__node-viz')).toHaveCount(want);
  return want;
}

export const node = (page: Page, id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

/** How far (px) a node's centre is from the centre of the graph's area on screen. */
export async function offCentre(page: Page, id: string): Promise<number> {
  const n = await node(page, id).boundingBox();
  const fc = await page.getByTestId('flowchart').boundingBox();
  if (!n || !fc) return Infinity;
  return Math.hypot(n.x + n.width / 2 - (fc.x + fc.width / 2), n.y + n.height / 2 - (fc.y + fc.height / 2));
}

export async function graphOf(url: string): Promise<GraphJson> {
  const res = await authFetch(url);
  return (await res.json()) as GraphJson;
}

/** fetch() with the servers' access token (global-setup starts them with the shared test token). */
export function authFetch(url: string, init: RequestInit = {}): Promise<Response> {
  return fetch(url, { ...init, headers: { ...authHeaders(), ...(init.headers as Record<string, string> | undefined) } });
}
