/**
 * Rejects request targets no route should ever see: NUL bytes, `..` segments (plain or
 * percent-encoded, once or twice), encoded slashes or backslashes in a path, absolute paths
 * smuggled in a segment. Returns the reason, or undefined when the path is fine.
 */
export function badRequestPath(rawUrl: string): string | undefined {
  const q = rawUrl.indexOf('?');
  const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
  let decoded = rawPath;
  // Decode up to three times: `%252e%252e` is `..` after two decodes.
  for (let i = 0; i < 3; i++) {
    let next: string;
    try {
      next = decodeURIComponent(decoded);
    } catch {
      return 'malformed percent-encoding in the path';
    }
    if (next === decoded) break;
    decoded = next;
  }
  if (decoded.includes('\0') || /%00/i.test(rawUrl)) return 'NUL byte in the request';
  if (decoded.includes('\\')) return 'backslash in the path';
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..' || s === '.')) return "'..' or '.' segment in the path";
  if (/%2f/i.test(rawPath)) return 'encoded slash in the path';
  if (segments.slice(1, -1).some((s) => s === '')) return 'empty segment (an absolute path) in the path';
  return undefined;
}
