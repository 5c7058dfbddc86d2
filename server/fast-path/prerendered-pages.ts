import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { rewriteHtml } from '../base-path';

/** The two pages are prerendered at build time (static shells): read once, answered without Next. */
const PAGES: Record<string, string> = { '/': 'index.html', '/plots': 'plots.html', '/plots/': 'plots.html' };

/**
 * The pages answered from the build's prerendered HTML — under a prefix with their asset URLs
 * rewritten (rewriteHtml) — so the first view of a fresh `dqm viz` does not wait for Next to
 * load (≈ 0.5 s of its start here) nor pay its routing. Without a prefix only a browser's
 * document request is ours; the pages' RSC payloads (client-side navigation, prefetches) go
 * to Next. `prefix` is the one the request came under ('/' when none). True when answered.
 */
export function makePrerenderedPages(dir: string): (req: http.IncomingMessage, res: http.ServerResponse, prefix: string) => boolean {
  const cache = new Map<string, string | null>();
  const shellOf = (file: string): string | null => {
    let html = cache.get(file);
    if (html === undefined) {
      // A build without this prerendered page (not static any more): Next renders it.
      const shell = path.join(dir, '.next', 'server', 'app', file);
      html = fs.existsSync(shell) ? fs.readFileSync(shell, 'utf8') : null;
      if (html !== null) cache.set(file, html);
    }
    return html;
  };
  return (req, res, prefix) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    if (prefix === '/' && !isDocumentRequest(req)) return false;
    const [pathname] = (req.url ?? '/').split('?');
    const file = PAGES[pathname!];
    const html = file ? shellOf(file) : null;
    if (html === null) return false;
    const body = rewriteHtml(html, prefix);
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': Buffer.byteLength(body), 'cache-control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : body);
    return true;
  };
}

/**
 * A browser asking for the page itself, not for its RSC payload (client-side navigation and
 * prefetches send `RSC: 1` / `?_rsc=`; Next answers those).
 */
function isDocumentRequest(req: http.IncomingMessage): boolean {
  return req.headers.rsc === undefined && req.headers['next-router-prefetch'] === undefined && !/[?&]_rsc(=|&|$)/.test(req.url ?? '');
}
