import http from 'node:http';

export interface Proxy {
  url: string;
  close(): Promise<void>;
}

/**
 * A small reverse proxy, as SWAN's jupyter-server-proxy or an OpenShift route: `/keep/...` is
 * forwarded with its prefix (`keep` mode, like `--base-path`), `/strip/...` without it and with
 * `X-Forwarded-Prefix` (how Traefik and nginx setups announce it). Streams both ways (SSE too).
 */
export async function startProxy(target: string, routes: { keep: string; strip: string }): Promise<Proxy> {
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    let path: string;
    const headers: http.OutgoingHttpHeaders = { ...req.headers, host: upstream.host };
    if (url.startsWith(routes.keep)) path = url;
    else if (url.startsWith(routes.strip)) {
      path = `/${url.slice(routes.strip.length)}`;
      headers['x-forwarded-prefix'] = routes.strip;
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end(`proxy: no route for ${url}`);
      return;
    }
    const fwd = http.request({ host: upstream.hostname, port: upstream.port, method: req.method, path, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    fwd.on('error', (e) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: ${e.message}`);
    });
    req.pipe(fwd);
    res.on('close', () => fwd.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
