/**
 * The access token, Host check, same-origin check and path checks against the REAL server
 * (`node bin/dqm.js viz` on a temp project), and a grep for secrets everywhere they could leak.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startViz, type VizProcess } from '../../e2e/viz-server.fixtures';
import { makeTempProject, registrySource, REPO } from '../../lib/session/temp-project.fixtures';

const VIZ_TOKEN = 'vizTOKEN-4f1c9a2b7e6d5c3a';
const CRED_TOKEN = 'credSECRET-8d7e6f5a4b3c2d1e';
const CREDENTIALS = `api:\n  token: "\${oc.env:DQM_PLAYGROUND_TOKEN, ''}"\n`;
const CATALOG = `numbers:
  type: json.JSONDataset
  filepath: data/01_raw/numbers.json
  credentials: api
total:
  type: json.JSONDataset
  filepath: data/03_primary/total.json
report:
  type: json.JSONDataset
  filepath: data/08_reporting/report.json
  credentials: api
outside:
  type: json.JSONDataset
  filepath: /etc/hostname
`;

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request: the path is sent as written (fetch would normalise `..`) and Host can be set. */
function raw(base: string, method: string, target: string, headers: Record<string, string> = {}): Promise<Raw> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const r = http.request({ host: '127.0.0.1', port, method, path: target, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
    });
    r.on('error', reject);
    r.end();
  });
}

let root: string;
let viz: VizProcess;
const responses: string[] = [];
const auth = { authorization: `Token ${VIZ_TOKEN}` };
const api = async (method: string, target: string, headers: Record<string, string> = {}) => {
  const r = await raw(viz.url, method, target, headers);
  // Set-Cookie carries the token by design (the 302 of a first visit); every other header and body counts.
  const { 'set-cookie': _cookie, ...rest } = r.headers;
  responses.push(JSON.stringify(rest) + r.body);
  return r;
};

beforeAll(async () => {
  // Pipeline 'peek' reads the catalog entry whose file is outside the project (/etc/hostname).
  const registry = registrySource({ pipelines: { peek: "new Pipeline([node(count_of, 'outside', 'peeked')])" } });
  root = makeTempProject({ files: { 'conf/base/credentials.yml': CREDENTIALS, 'conf/base/catalog.yml': CATALOG, 'pipelines/registry.ts': registry } });
  viz = await startViz(['--allow-host', 'dqm.example.org'], { cwd: root, token: VIZ_TOKEN, env: { DQM_PLAYGROUND_TOKEN: CRED_TOKEN } });
});
afterAll(async () => {
  await viz?.stop();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe('access token (real server)', () => {
  it('prints the URL with the token', async () => {
    await expect.poll(() => viz.output(), { timeout: 10_000 }).toContain(`Dashboard ready at ${viz.url}?token=${VIZ_TOKEN} `);
  });
  it('--token must be long enough', () => {
    const r = spawnSync(process.execPath, [path.join(REPO, 'bin/dqm.js'), 'viz', '--no-browser', '--token', 'abc'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe('Error: --token must be at least 8 characters long, got 3');
  });
  it('API: 401 JSON without it; header, cookie or ?token= pass', async () => {
    const none = await api('GET', '/api/main');
    expect(none.status).toBe(401);
    expect(JSON.parse(none.body).error.code).toBe('UNAUTHORIZED');
    expect((await api('GET', '/api/main', { authorization: 'Token nope' })).status).toBe(401);
    expect((await api('GET', '/api/main', auth)).status).toBe(200);
    expect((await api('GET', `/api/main?token=${VIZ_TOKEN}`)).status).toBe(200);
    const port = new URL(viz.url).port;
    expect((await api('GET', '/api/runs', { cookie: `dqm_token_${port}=${VIZ_TOKEN}` })).status).toBe(200);
  });
  it('page: 401 HTML without it; first visit with ?token= sets the cookie and redirects', async () => {
    const page = await api('GET', '/');
    expect(page.status).toBe(401);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('Open the URL that <code>dqm viz</code> printed');
    const first = await api('GET', `/?pipeline=__default__&token=${VIZ_TOKEN}`);
    expect(first.status).toBe(302);
    expect(first.headers.location).toBe('/?pipeline=__default__');
    const cookie = String(first.headers['set-cookie']);
    expect(cookie).toMatch(/; HttpOnly; SameSite=Strict$/);
    const again = await api('GET', '/?pipeline=__default__', { cookie: cookie.split(';')[0]! });
    expect(again.status).toBe(200);
    expect(again.body).toContain('<html');
  });
});

describe('Host check and state-changing routes (real server)', () => {
  it('403 for a foreign Host; allowed: localhost, 127.0.0.1, [::1], --allow-host', async () => {
    const evil = await api('GET', '/api/main', { ...auth, host: 'attacker.example.com' });
    expect(evil.status).toBe(403);
    expect(JSON.parse(evil.body).error.code).toBe('FORBIDDEN_HOST');
    for (const host of ['localhost', '127.0.0.1:1', '[::1]:4141', 'dqm.example.org']) expect((await api('GET', '/api/main', { ...auth, host })).status).toBe(200);
  });
  it('start/cancel need POST from the same origin', async () => {
    expect((await api('GET', '/api/runs/x/cancel', auth)).status).toBe(405);
    const cross = await api('POST', '/api/runs', { ...auth, origin: 'http://attacker.example.com', 'content-type': 'application/json' });
    expect(cross.status).toBe(403);
    expect(JSON.parse(cross.body).error.code).toBe('CROSS_ORIGIN');
    expect((await api('POST', '/api/runs/x/cancel', { ...auth, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await api('POST', '/api/runs', { origin: viz.url.replace(/\/$/, ''), 'content-type': 'application/json' })).status).toBe(401);
  });
});

describe('path traversal (real server)', () => {
  it.each([
    '/api/nodes/..%2F..%2Fetc%2Fpasswd',
    '/api/nodes/../../etc/passwd',
    '/api/nodes/%2e%2e%2fconf%2fbase%2fcredentials.yml',
    '/api/nodes/%252e%252e%252fconf',
    '/api/nodes/a%00b',
    '/api/nodes//etc/passwd',
    '/api/nodes/%2Fetc%2Fpasswd',
    '/api/nodes/..%5C..%5Cetc',
    '/_next/static/..%2F..%2F..%2Fconf%2Fbase%2Fcredentials.yml',
    '/%2e%2e/%2e%2e/etc/passwd',
  ])('%s -> 400', async (target) => {
    const r = await api('GET', target, auth);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body).error.code).toBe('BAD_PATH');
  });
  it('ids that are no catalog dataset: 404; a catalog entry outside the project is never read', async () => {
    for (const id of ['conf', 'data.01_raw.numbers.json', 'etc-passwd', 'credentials']) expect((await api('GET', `/api/nodes/${id}`, auth)).status).toBe(404);
    const numbers = JSON.parse((await api('GET', '/api/nodes/numbers', auth)).body);
    expect(numbers.preview.kind).toBe('json');
    const outside = JSON.parse((await api('GET', '/api/nodes/outside?pipeline=peek', auth)).body);
    expect(outside.preview).toEqual({ kind: 'none', reason: 'The dashboard previews only files inside the project folder' });
  });
});

describe('secrets never leak', () => {
  it('the credentials token and the viz token appear in no API answer, log, run record or data file', async () => {
    // Same-origin POST from a page (Origin + Sec-Fetch-Site as a browser sends them).
    const start = await api('POST', '/api/runs', { ...auth, origin: viz.url.replace(/\/$/, ''), 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' });
    const started = start.body;
    expect(start.status).toBe(202);
    const id = JSON.parse(started).run.id as string;
    const events = await (await viz.fetch(`api/runs/${id}/events`)).text();
    responses.push(events);
    for (const p of ['/api/main', '/api/runs', `/api/runs/${id}`, '/api/nodes/numbers', '/api/nodes/report', '/api/nodes/outside?pipeline=peek', '/api/nodes/scale', '/api/info']) responses.push((await api('GET', p, auth)).body);
    expect(JSON.parse((await api('GET', `/api/runs/${id}`, auth)).body).run.status).toBe('success');
    const cli = spawnSync(process.execPath, [path.join(REPO, 'bin/dqm.js'), 'run'], { cwd: root, encoding: 'utf8', env: { ...process.env, DQM_PLAYGROUND_TOKEN: CRED_TOKEN } });
    expect(cli.status).toBe(0);
    const list = spawnSync(process.execPath, [path.join(REPO, 'bin/dqm.js'), 'catalog', 'list'], { cwd: root, encoding: 'utf8', env: { ...process.env, DQM_PLAYGROUND_TOKEN: CRED_TOKEN } });
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const f = path.join(d, e.name);
        if (e.isDirectory()) walk(f);
        else files.push(f);
      }
    };
    walk(path.join(root, 'data'));
    walk(path.join(root, '.dqm'));
    expect(files.some((f) => f.endsWith('runs.sqlite'))).toBe(true);
    // The printed URL carries the viz token by design (as Jupyter's); nothing else may.
    const serverLog = viz.output().replace(`?token=${VIZ_TOKEN}`, '?token=<printed>').replace(`?token=${VIZ_TOKEN}`, '?token=<printed>');
    const haystacks: Record<string, string> = {
      'API responses': responses.join('\n'),
      'server stdout/stderr': serverLog,
      'CLI output': cli.stdout + cli.stderr + list.stdout + list.stderr,
      ...Object.fromEntries(files.map((f) => [path.relative(root, f), fs.readFileSync(f).toString('latin1')])),
    };
    expect(Object.keys(haystacks).length).toBeGreaterThan(6);
    for (const [where, text] of Object.entries(haystacks)) {
      expect(text.includes(CRED_TOKEN), `credentials token in ${where}`).toBe(false);
      expect(text.includes(VIZ_TOKEN), `viz token in ${where}`).toBe(false);
    }
  });
});
