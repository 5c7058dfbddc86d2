import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { warmRoutes } from './warm-routes';

describe('warmRoutes', () => {
  it('asks each run route once with the token, source maps off meanwhile and as they were after', async () => {
    const seen: Array<{ url?: string; auth?: string; maps: boolean }> = [];
    const server = http.createServer((req, res) => {
      seen.push({ url: req.url, auth: req.headers.authorization, maps: process.sourceMapsEnabled });
      res.writeHead(req.url === '/api/runs' ? 200 : 404).end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const was = process.sourceMapsEnabled;
    process.setSourceMapsEnabled(true);
    try {
      await warmRoutes(`http://127.0.0.1:${(server.address() as { port: number }).port}`, 'secret-token');
      expect(seen.map((s) => s.url)).toEqual(['/api/runs', '/api/runs/warm-up', '/api/runs/warm-up/logs', '/api/runs/warm-up/events']);
      expect(seen.every((s) => s.auth === 'Token secret-token' && !s.maps)).toBe(true);
      expect(process.sourceMapsEnabled).toBe(true);
    } finally {
      process.setSourceMapsEnabled(was);
      server.close();
    }
  });

  it('a server that does not answer costs nothing but the attempt (no throw, source maps restored)', async () => {
    const server = http.createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => server.close(() => r()));
    const was = process.sourceMapsEnabled;
    await expect(warmRoutes(`http://127.0.0.1:${port}`, undefined)).resolves.toBeUndefined();
    expect(process.sourceMapsEnabled).toBe(was);
  });
});
