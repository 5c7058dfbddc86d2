/** Hostname of a Host header without its port: `localhost:4141` -> `localhost`, `[::1]:4141` -> `[::1]`. */
export function hostnameOf(hostHeader: string): string {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end < 0 ? h : h.slice(0, end + 1);
  }
  const colon = h.indexOf(':');
  return colon < 0 ? h : h.slice(0, colon);
}

/**
 * The Host names this server answers to. A DNS-rebinding page reaches 127.0.0.1 under its own
 * domain name, so any other Host is refused. A wildcard bind (0.0.0.0, ::) adds nothing by itself:
 * remote names come through `--allow-host`.
 */
export function allowedHosts(boundHost: string, extra: string[] = []): Set<string> {
  const set = new Set(['localhost', '127.0.0.1', '[::1]']);
  const bound = boundHost.trim().toLowerCase();
  if (bound && bound !== '0.0.0.0' && bound !== '::') set.add(bound.includes(':') && !bound.startsWith('[') ? `[${bound}]` : bound);
  for (const e of extra) if (e.trim()) set.add(hostnameOf(e));
  return set;
}

export function isAllowedHost(hostHeader: string | undefined, allowed: Set<string>): boolean {
  if (!hostHeader) return false;
  return allowed.has(hostnameOf(hostHeader));
}
