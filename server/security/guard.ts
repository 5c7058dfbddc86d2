import { badRequestPath } from './request-path';
import { allowedHosts, isAllowedHost } from './host';
import { presentedTokens, tokenCookie, tokensEqual } from './token';

export interface SecurityPolicy {
  /** undefined: no token (`dqm viz --no-token`, single-user machines only). */
  token?: string;
  port: number;
  boundHost: string;
  allowHosts?: string[];
}

export interface GuardRequest {
  method?: string;
  url?: string;
  headers: Record<string, string | string[] | undefined>;
}

/** What the server does with a request: hand it to Next, or answer here. */
export type GuardDecision =
  | { action: 'next' }
  | { action: 'respond'; status: number; headers: Record<string, string>; body: string };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Every method a route answers; anything else (TRACE, PUT, DELETE, made-up ones) is 405 here, never a 500 from Next. */
const KNOWN_METHODS = new Set([...SAFE_METHODS, 'POST']);
const ALLOW = [...KNOWN_METHODS].join(', ');
/** Public and data-free: the built JS/CSS (a folder) and the icon (one exact path; `/favicon.icox` is not it). */
const PUBLIC_FOLDERS = ['/_next/static/'];
const PUBLIC_FILES = new Set(['/favicon.ico']);
/** Routes that change state: POST only, and only from our own pages (or a non-browser client). */
const STATE_CHANGING = [/^\/api\/runs\/?$/, /^\/api\/runs\/[^/]+\/cancel\/?$/];

export function makeGuard(policy: SecurityPolicy): (req: GuardRequest) => GuardDecision {
  const hosts = allowedHosts(policy.boundHost, policy.allowHosts);
  return (req) => decide(req, policy, hosts);
}

function header(req: GuardRequest, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function decide(req: GuardRequest, policy: SecurityPolicy, hosts: Set<string>): GuardDecision {
  const method = (req.method ?? 'GET').toUpperCase();
  const rawUrl = req.url ?? '/';
  const host = header(req, 'host');
  if (!isAllowedHost(host, hosts)) {
    return json(403, 'FORBIDDEN_HOST', `Host '${host ?? ''}' is not allowed (DNS-rebinding protection). Browse to http://localhost:${policy.port}/ or start \`dqm viz --allow-host NAME\``);
  }
  const bad = badRequestPath(rawUrl);
  if (bad) return json(400, 'BAD_PATH', `Rejected request path: ${bad}`);
  const url = new URL(rawUrl, 'http://localhost');
  const pathname = url.pathname;
  const isApi = pathname === '/api' || pathname.startsWith('/api/');

  const isPublic = PUBLIC_FILES.has(pathname) || PUBLIC_FOLDERS.some((p) => pathname.startsWith(p));
  if (policy.token !== undefined && !isPublic) {
    const t = presentedTokens({ authorization: header(req, 'authorization'), cookie: header(req, 'cookie') }, url.searchParams, policy.port);
    const viaQuery = t.query !== undefined && tokensEqual(t.query, policy.token);
    const ok = viaQuery || (t.header !== undefined && tokensEqual(t.header, policy.token)) || (t.cookie !== undefined && tokensEqual(t.cookie, policy.token));
    if (!ok) {
      if (isApi) return json(401, 'UNAUTHORIZED', 'Missing or invalid access token: open the URL `dqm viz` printed (it ends in ?token=...), or send `Authorization: Token <token>`');
      return unauthorizedPage();
    }
    // First visit of a page with ?token=: keep it in a cookie and drop it from the address bar.
    if (viaQuery && !isApi && SAFE_METHODS.has(method) && method !== 'OPTIONS') {
      url.searchParams.delete('token');
      const location = url.pathname + (url.searchParams.size ? `?${url.searchParams}` : '');
      return { action: 'respond', status: 302, headers: { location, 'set-cookie': tokenCookie(policy.port, policy.token), 'cache-control': 'no-store' }, body: '' };
    }
  }

  if (!KNOWN_METHODS.has(method)) return json(405, 'METHOD_NOT_ALLOWED', `Method ${method} is not allowed: this server answers ${ALLOW}`, { allow: ALLOW });
  // GET /api/runs lists runs; cancelling and starting are POST only.
  const isCancel = STATE_CHANGING[1]!.test(pathname);
  if ((isCancel && method !== 'POST') || (STATE_CHANGING[0]!.test(pathname) && !['GET', 'HEAD', 'POST'].includes(method))) {
    return json(405, 'METHOD_NOT_ALLOWED', `${pathname} accepts POST only`, { allow: 'POST' });
  }
  if (!SAFE_METHODS.has(method)) {
    const why = crossOrigin(header(req, 'origin'), header(req, 'sec-fetch-site'), host!);
    if (why) return json(403, 'CROSS_ORIGIN', `Refused ${method} ${pathname}: ${why}. State-changing requests must come from the dashboard's own page`);
  }
  return { action: 'next' };
}

/**
 * Browsers send Origin on every POST and Sec-Fetch-Site on every request; a cross-site form or
 * fetch shows in one of them. A client without either (curl, scripts) is not a browser: the
 * token already guards it.
 */
export function crossOrigin(origin: string | undefined, fetchSite: string | undefined, host: string): string | undefined {
  if (fetchSite && fetchSite !== 'same-origin' && fetchSite !== 'none') return `Sec-Fetch-Site is '${fetchSite}'`;
  if (origin !== undefined) {
    let originHost: string;
    try {
      originHost = new URL(origin).host;
    } catch {
      return `Origin '${origin}' is not this server`;
    }
    if (originHost.toLowerCase() !== host.toLowerCase()) return `Origin '${origin}' is not this server`;
  }
  return undefined;
}

function json(status: number, code: string, message: string, extra: Record<string, string> = {}): GuardDecision {
  return { action: 'respond', status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store', ...extra }, body: JSON.stringify({ error: { code, message } }) };
}

function unauthorizedPage(): GuardDecision {
  const body = `<!doctype html><html><head><meta charset="utf-8"><title>DQM dashboard: access token needed</title></head>
<body style="font-family:sans-serif;max-width:40em;margin:4em auto">
<h1>Access token needed</h1>
<p>This dashboard is protected by a token, as Jupyter is. Open the URL that <code>dqm viz</code> printed when it started
(it ends in <code>?token=…</code>); the browser then keeps the token in a cookie.</p>
<p>Lost it? Stop the server and run <code>npx dqm viz</code> again, or choose your own with <code>--token</code>.</p>
</body></html>
`;
  return { action: 'respond', status: 401, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }, body };
}
