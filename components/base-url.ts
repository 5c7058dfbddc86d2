import { staticFile } from '../lib/graph';

/**
 * Where the dashboard lives: `/` by default, a prefix behind a proxy (`dqm viz --base-path`,
 * X-Forwarded-Prefix: the server writes window.__DQM_BASE__ into the page), or a static site
 * (`dqm viz build`: __DQM_STATIC__, answers read from JSON files beside the page).
 */
interface DqmWindow {
  __DQM_BASE__?: string;
  __DQM_STATIC__?: boolean;
}

const w = () => (typeof window === 'undefined' ? ({} as DqmWindow) : (window as unknown as DqmWindow));

export function basePath(): string {
  const b = w().__DQM_BASE__ ?? '/';
  return b.endsWith('/') ? b : `${b}/`;
}

export function isStatic(): boolean {
  return w().__DQM_STATIC__ === true;
}

type Query = Record<string, string | number | null | undefined>;

/** The URL of an API answer (`/api/main`, `/api/nodes/x?ls=3`), or of its file on a static site. */
export function apiUrl(path: string, query: Query = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== null && v !== undefined && v !== '') q.set(k, String(v));
  if (isStatic()) {
    const file = staticFile(path, q);
    return file ? `${basePath()}${file}` : `${basePath()}__not_in_static_site__`;
  }
  const qs = q.toString();
  return `${basePath()}${path.replace(/^\/+/, '')}${qs ? `?${qs}` : ''}`;
}

/** A page of the dashboard: '' (the graph) or 'plots'. */
export function pageUrl(page: '' | 'plots'): string {
  return `${basePath()}${page && isStatic() ? `${page}/` : page}`;
}
