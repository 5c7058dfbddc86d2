import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiRequestError, describeError, requestJson } from './api';

let server: Server;
let base = '';
beforeAll(async () => {
  // A real HTTP server answering as our routes do: `{error: {code, message}}` with a status.
  server = createServer((req, res) => {
    if (req.url === '/conflict') {
      res.writeHead(409, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'RUN_CONFLICT', message: 'A run is already in progress in this project: r1' } }));
    } else if (req.url === '/ok') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"runs":[]}');
    } else {
      res.writeHead(502, { 'content-type': 'text/html' });
      res.end('<h1>Bad gateway</h1>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('requestJson and describeError', () => {
  it('returns the JSON of a 200', async () => {
    expect(await requestJson(`${base}/ok`)).toEqual({ runs: [] });
  });

  it("throws the answer's ErrorCode and message; the page adds what to do for the codes it knows", async () => {
    const error = await requestJson(`${base}/conflict`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiRequestError);
    expect(error).toMatchObject({ code: 'RUN_CONFLICT', status: 409, message: 'A run is already in progress in this project: r1' });
    expect(describeError(error)).toBe('A run is already in progress in this project: r1. The Runs panel shows it.');
  });

  it('an answer that is not our JSON is a NETWORK error naming the URL and status', async () => {
    const error = await requestJson(`${base}/proxy`).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'NETWORK', status: 502 });
    expect(describeError(error)).toBe(`${base}/proxy answered 502. Is \`dqm viz\` still running? Restart it, then reload this page.`);
    expect(describeError(new Error('plain'))).toBe('plain');
  });
});
