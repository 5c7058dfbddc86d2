/**
 * Serving under a path prefix (SWAN / jupyter-server-proxy `/user/NAME/proxy/4141/`, OpenShift
 * routes, any reverse proxy): requests may arrive with the prefix (kept by the proxy) or without
 * it (stripped, with `X-Forwarded-Prefix` telling it); either way Next sees the path without it,
 * and the pages are rewritten so every asset, API call and event stream goes through the prefix.
 */

const SAFE = /^\/[A-Za-z0-9._~@%+,=:/-]*$/;

/** `/a/b` -> `/a/b/`; '' or '/' -> '/'. Throws on what cannot be a URL path (it is written into pages). */
export function normaliseBasePath(p: string | undefined): string {
  if (!p || p === '/') return '/';
  const withSlashes = `/${p.replace(/^\/+|\/+$/g, '')}/`;
  if (!SAFE.test(withSlashes) || withSlashes.includes('/../') || withSlashes.includes('/./')) throw new Error(`--base-path must be a URL path such as /user/NAME/proxy/4141/, got '${p}'`);
  return withSlashes;
}

/** The prefix a proxy announces in X-Forwarded-Prefix, when it is a plain path; else undefined. */
export function forwardedPrefix(header: string | string[] | undefined): string | undefined {
  const v = Array.isArray(header) ? header[0] : header;
  if (!v || !v.trim().startsWith('/')) return undefined;
  try {
    const p = normaliseBasePath(v.trim());
    return p === '/' ? undefined : p;
  } catch {
    return undefined;
  }
}

/** The request path without the prefix (unchanged when it does not start with it). */
export function stripPrefix(url: string, prefix: string): string {
  if (prefix === '/') return url;
  const bare = prefix.slice(0, -1);
  if (url === bare) return '/';
  if (url.startsWith(bare) && (url[bare.length] === '/' || url[bare.length] === '?')) return url.slice(bare.length) || '/';
  return url;
}

/**
 * A page of the dashboard served under `prefix`: asset URLs (`/_next/...`) prefixed, and, before
 * anything runs, where the page lives (window.__DQM_BASE__) and where Turbopack loads chunks from.
 */
export function rewriteHtml(html: string, prefix: string): string {
  if (prefix === '/') return html;
  const head = `<script>window.__DQM_BASE__=${JSON.stringify(prefix)};self.TURBOPACK_CHUNK_BASE_PATH=${JSON.stringify(`${prefix}_next/`)};</script>`;
  return html.replace(/(["'(\s])\/_next\//g, `$1${prefix}_next/`).replace(/\/favicon\.ico/g, `${prefix}favicon.ico`).replace(/<head>/, `<head>${head}`);
}
