import { describe, expect, it } from 'vitest';
import { forwardedPrefix, normaliseBasePath, rewriteHtml, stripPrefix } from './base-path';

describe('base path', () => {
  it('normalises prefixes and refuses what is not a path', () => {
    expect(normaliseBasePath('/user/me/proxy/4141')).toBe('/user/me/proxy/4141/');
    expect(normaliseBasePath(undefined)).toBe('/');
    expect(() => normaliseBasePath('/a/"><script>')).toThrow("--base-path must be a URL path such as /user/NAME/proxy/4141/, got '/a/\"><script>'");
    expect(() => normaliseBasePath('/a/../b')).toThrow('--base-path must be a URL path');
    expect(forwardedPrefix('/x/y')).toBe('/x/y/');
    expect(forwardedPrefix('javascript:alert(1)')).toBeUndefined();
  });

  it('strips the prefix when the proxy kept it', () => {
    expect(stripPrefix('/p/q/api/main', '/p/q/')).toBe('/api/main');
    expect(stripPrefix('/p/q', '/p/q/')).toBe('/');
    expect(stripPrefix('/p/q?token=1', '/p/q/')).toBe('?token=1');
    expect(stripPrefix('/api/main', '/p/q/')).toBe('/api/main');
    expect(stripPrefix('/p/qq/api', '/p/q/')).toBe('/p/qq/api');
  });

  it('prefixes every asset of a page and tells the page where it lives', () => {
    const html = '<html><head><link rel="stylesheet" href="/_next/static/css/a.css"/></head><body><script src="/_next/static/chunks/b.js"></script><script>self.__next_f.push([1,"2:I[\\"/_next/static/chunks/c.js\\"]"])</script></body></html>';
    const out = rewriteHtml(html, '/p/q/');
    expect(out).not.toMatch(/["(\s]\/_next\//);
    expect(out).toContain('href="/p/q/_next/static/css/a.css"');
    expect(out).toContain('\\"/p/q/_next/static/chunks/c.js');
    expect(out).toContain('<head><script>window.__DQM_BASE__="/p/q/";self.TURBOPACK_CHUNK_BASE_PATH="/p/q/_next/";</script>');
    expect(rewriteHtml(html, '/')).toBe(html);
  });
});
