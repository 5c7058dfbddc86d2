import { describe, expect, it } from 'vitest';
import { allowedHosts, badRequestPath, cookieName, crossOrigin, generateToken, hostnameOf, isAllowedHost, makeGuard, parseCookies, presentedTokens, tokenCookie, tokensEqual } from '.';

const TOKEN = 'a'.repeat(48);
const guard = makeGuard({ token: TOKEN, port: 4141, boundHost: '127.0.0.1', allowHosts: ['dqm.example.org'] });
const req = (url: string, headers: Record<string, string> = {}, method = 'GET') => guard({ method, url, headers: { host: 'localhost:4141', ...headers } });
const body = (d: ReturnType<typeof guard>) => (d.action === 'respond' ? JSON.parse(d.body) : undefined);

describe('token', () => {
  it('is random, 48 hex characters', () => {
    const a = generateToken();
    expect(a).toMatch(/^[0-9a-f]{48}$/);
    expect(generateToken()).not.toBe(a);
  });
  it('compares in constant time, any length', () => {
    expect(tokensEqual(TOKEN, TOKEN)).toBe(true);
    expect(tokensEqual('short', TOKEN)).toBe(false);
    expect(tokensEqual('', TOKEN)).toBe(false);
  });
  it('is found in the header, the per-port cookie or the query', () => {
    expect(cookieName(4141)).toBe('dqm_token_4141');
    expect(parseCookies('a=1; dqm_token_4141=xy%20z; bad')).toEqual({ a: '1', dqm_token_4141: 'xy z' });
    expect(presentedTokens({ authorization: 'Token abc', cookie: 'dqm_token_4141=def' }, new URLSearchParams('token=ghi'), 4141)).toEqual({ header: 'abc', cookie: 'def', query: 'ghi' });
    expect(presentedTokens({ authorization: 'Bearer abc', cookie: 'dqm_token_9999=def' }, new URLSearchParams(), 4141)).toEqual({ header: undefined, cookie: undefined, query: undefined });
    expect(tokenCookie(4141, TOKEN)).toBe(`dqm_token_4141=${TOKEN}; Path=/; HttpOnly; SameSite=Strict`);
  });
});

describe('host check (DNS rebinding)', () => {
  it('allows the bound host, localhost, 127.0.0.1, [::1] and --allow-host only', () => {
    const hosts = allowedHosts('127.0.0.1', ['proxy.cern.ch:443']);
    for (const h of ['localhost:4141', '127.0.0.1:4141', '[::1]:4141', 'LOCALHOST', 'proxy.cern.ch']) expect(isAllowedHost(h, hosts)).toBe(true);
    for (const h of ['evil.com', 'localhost.evil.com:4141', '127.0.0.2', '', undefined]) expect(isAllowedHost(h, hosts)).toBe(false);
    expect(hostnameOf('[::1]:80')).toBe('[::1]');
    expect([...allowedHosts('0.0.0.0')].sort()).toEqual(['127.0.0.1', '[::1]', 'localhost']);
    expect(allowedHosts('::1').has('[::1]')).toBe(true);
    expect(allowedHosts('myhost.cern.ch').has('myhost.cern.ch')).toBe(true);
  });
  it('answers 403 JSON to any other Host', () => {
    const d = req('/api/main', { host: 'evil.com:4141', authorization: `Token ${TOKEN}` });
    expect(d).toMatchObject({ action: 'respond', status: 403 });
    expect(body(d)).toEqual({ error: { code: 'FORBIDDEN_HOST', message: "Host 'evil.com:4141' is not allowed (DNS-rebinding protection). Browse to http://localhost:4141/ or start `dqm viz --allow-host NAME`" } });
    expect(req('/api/main', { host: 'dqm.example.org', authorization: `Token ${TOKEN}` })).toEqual({ action: 'next' });
  });
});

describe('request paths', () => {
  it.each([
    ['/api/nodes/..%2F..%2Fetc%2Fpasswd', "'..' or '.' segment in the path"],
    ['/api/nodes/%2e%2e', "'..' or '.' segment in the path"],
    ['/api/nodes/%252e%252e%252fconf', "'..' or '.' segment in the path"],
    ['/api/nodes/a%00b', 'NUL byte in the request'],
    ['/api/nodes/x?ls=%00', 'NUL byte in the request'],
    ['/api/nodes/..\\..\\etc', 'backslash in the path'],
    ['/api/nodes/conf%2Fbase%2Fcredentials.yml', 'encoded slash in the path'],
    ['/api/nodes//etc/passwd', 'empty segment (an absolute path) in the path'],
    ['/api/nodes/%E0%A4%A', 'malformed percent-encoding in the path'],
  ])('%s is refused: %s', (url, reason) => {
    expect(badRequestPath(url)).toBe(reason);
    expect(req(url, { authorization: `Token ${TOKEN}` })).toMatchObject({ status: 400 });
  });
  it('lets ordinary ids through', () => {
    for (const u of ['/', '/api/main', '/api/nodes/layer_1.compute_rmse_node?ls=3', '/api/nodes/params%3Afactor', '/api/runs/', '/_next/static/chunks/a.js']) expect(badRequestPath(u)).toBeUndefined();
  });
});

describe('access token', () => {
  it('API without a valid token: 401 JSON', () => {
    for (const headers of [{}, { authorization: 'Token wrong' }, { cookie: 'dqm_token_4141=wrong' }, { cookie: `dqm_token_9999=${TOKEN}` }] as Record<string, string>[]) {
      const d = req('/api/main', headers);
      expect(d).toMatchObject({ status: 401, headers: { 'content-type': 'application/json' } });
      expect(body(d).error.code).toBe('UNAUTHORIZED');
    }
    expect(body(req('/api/main')).error.message).toBe('Missing or invalid access token: open the URL `dqm viz` printed (it ends in ?token=...), or send `Authorization: Token <token>`');
  });
  it('API with the header, the cookie or ?token=: passes', () => {
    expect(req('/api/main', { authorization: `Token ${TOKEN}` })).toEqual({ action: 'next' });
    expect(req('/api/main', { cookie: `x=1; dqm_token_4141=${TOKEN}` })).toEqual({ action: 'next' });
    expect(req(`/api/main?token=${TOKEN}`)).toEqual({ action: 'next' });
  });
  it('a page without it: a short 401 HTML page saying how to get the URL', () => {
    const d = req('/');
    expect(d).toMatchObject({ status: 401, headers: { 'content-type': 'text/html; charset=utf-8' } });
    expect(d.action === 'respond' && d.body).toContain('it ends in <code>?token=…</code>');
  });
  it('a page with ?token=: cookie set, redirected to the same URL without it', () => {
    expect(req(`/?pipeline=ds&token=${TOKEN}&ls=2`)).toEqual({
      action: 'respond',
      status: 302,
      headers: { location: '/?pipeline=ds&ls=2', 'set-cookie': `dqm_token_4141=${TOKEN}; Path=/; HttpOnly; SameSite=Strict`, 'cache-control': 'no-store' },
      body: '',
    });
    expect(req(`/?token=${TOKEN}`)).toMatchObject({ headers: { location: '/' } });
  });
  it('static assets and the icon need no token; --no-token lets everything through', () => {
    expect(req('/_next/static/chunks/main.js')).toEqual({ action: 'next' });
    expect(req('/favicon.ico')).toEqual({ action: 'next' });
    // Exact paths only: a longer name starting with the icon's is a route like any other.
    for (const p of ['/favicon.icox', '/favicon.ico/x', '/favicon.ico.json', '/_next/staticx/a.js']) expect(req(p)).toMatchObject({ status: 401 });
    const open = makeGuard({ port: 4141, boundHost: '127.0.0.1' });
    expect(open({ method: 'GET', url: '/api/main', headers: { host: 'localhost:4141' } })).toEqual({ action: 'next' });
    expect(open({ method: 'GET', url: '/api/main', headers: { host: 'evil.com' } })).toMatchObject({ status: 403 });
  });
});

describe('state-changing routes', () => {
  const auth = { authorization: `Token ${TOKEN}` };
  it('need POST', () => {
    const d = req('/api/runs/abc/cancel', auth, 'GET');
    expect(d).toMatchObject({ status: 405, headers: { allow: 'POST' } });
    expect(body(d).error).toEqual({ code: 'METHOD_NOT_ALLOWED', message: '/api/runs/abc/cancel accepts POST only' });
    expect(req('/api/runs', auth, 'PUT')).toMatchObject({ status: 405 });
    expect(req('/api/runs', auth, 'GET')).toEqual({ action: 'next' });
  });
  it('unknown methods are 405 with Allow, on every path', () => {
    for (const [method, p] of [['TRACE', '/api/main'], ['TRACE', '/'], ['DELETE', '/api/runs/x'], ['PATCH', '/api/nodes/a'], ['PROPFIND', '/'], ['CONNECT', '/api/main']] as const) {
      const d = req(p, auth, method);
      expect(d).toMatchObject({ status: 405, headers: { allow: 'GET, HEAD, OPTIONS, POST' } });
      expect(body(d).error).toEqual({ code: 'METHOD_NOT_ALLOWED', message: `Method ${method} is not allowed: this server answers GET, HEAD, OPTIONS, POST` });
    }
  });
  it('need the same origin', () => {
    expect(req('/api/runs', { ...auth, origin: 'http://localhost:4141', 'sec-fetch-site': 'same-origin' }, 'POST')).toEqual({ action: 'next' });
    expect(req('/api/runs', auth, 'POST')).toEqual({ action: 'next' }); // curl: no Origin, no Sec-Fetch-Site
    const evil = req('/api/runs', { ...auth, origin: 'http://evil.com' }, 'POST');
    expect(evil).toMatchObject({ status: 403 });
    expect(body(evil).error).toEqual({ code: 'CROSS_ORIGIN', message: "Refused POST /api/runs: Origin 'http://evil.com' is not this server. State-changing requests must come from the dashboard's own page" });
    expect(req('/api/runs/x/cancel', { ...auth, 'sec-fetch-site': 'cross-site' }, 'POST')).toMatchObject({ status: 403 });
    expect(req('/api/runs', { ...auth, origin: 'null' }, 'POST')).toMatchObject({ status: 403 });
    expect(crossOrigin('http://localhost:4141', 'same-site', 'localhost:4141')).toBe("Sec-Fetch-Site is 'same-site'");
  });
});
