import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 48 hex characters (24 random bytes), as Jupyter's token. */
export function generateToken(): string {
  return randomBytes(24).toString('hex');
}

/** The expected token's digest, worked out once (every request is checked against the same token). */
let expectedDigest: { token: string; digest: Buffer } | undefined;

/** Constant-time comparison (hashes first, so lengths leak nothing either). */
export function tokensEqual(given: string, expected: string): boolean {
  if (expectedDigest?.token !== expected) expectedDigest = { token: expected, digest: createHash('sha256').update(expected).digest() };
  return timingSafeEqual(createHash('sha256').update(given).digest(), expectedDigest.digest);
}

/** Cookies are shared by every port of a host, so the name carries the port: two dashboards on one machine keep their own. */
export function cookieName(port: number): string {
  return `dqm_token_${port}`;
}

export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    const raw = part.slice(eq + 1).trim();
    try {
      out[name] = decodeURIComponent(raw);
    } catch {
      out[name] = raw;
    }
  }
  return out;
}

/** `Set-Cookie` value: HttpOnly (no script reads it), SameSite=Strict (no cross-site request carries it). */
export function tokenCookie(port: number, token: string): string {
  return `${cookieName(port)}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict`;
}

/** The token a request presents, and where: `Authorization: Token <t>`, the cookie, or `?token=`. */
export function presentedTokens(headers: { authorization?: string; cookie?: string }, query: URLSearchParams, port: number): { header?: string; cookie?: string; query?: string } {
  const auth = /^\s*token\s+(\S+)\s*$/i.exec(headers.authorization ?? '');
  return {
    header: auth?.[1],
    cookie: parseCookies(headers.cookie)[cookieName(port)],
    query: query.get('token') ?? undefined,
  };
}
