/**
 * Issue 15's attacks against the REAL server (`node bin/dqm.js viz` on a temp project, with the
 * browser opener on): each test performs the attack and checks the refusal, its exact message,
 * and that nothing leaked or was left behind.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startViz, type VizProcess } from '../../e2e/viz-server.fixtures';
import { makeTempProject } from '../../lib/session/temp-project.fixtures';

const VIZ_TOKEN = 'vizTOKEN-attack-9b8a7c6d5e4f';

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw HTTP request (any method, the path as written, a body of any size). */
export function raw(base: string, method: string, target: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<Raw> {
  const { port } = new URL(base);
  return new Promise((resolve, reject) => {
    const r = http.request({ host: '127.0.0.1', port, method, path: target, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: text }));
    });
    r.on('error', reject);
    r.end(body);
  });
}

let root: string;
let runtime: string;
let viz: VizProcess;
const auth = { authorization: `Token ${VIZ_TOKEN}` };
const argvFile = () => path.join(runtime, 'opener-argv.txt');

beforeAll(async () => {
  root = makeTempProject();
  runtime = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-runtime-'));
  // The "browser": records its argv and environment, as `ps` and /proc would show them.
  const opener = path.join(runtime, 'fake-browser.sh');
  fs.writeFileSync(opener, `#!/bin/sh\nprintf '%s\\n' "$@" > "${argvFile()}.part"\nenv > "${runtime}/opener-env.txt"\nmv "${argvFile()}.part" "${argvFile()}"\n`, { mode: 0o755 });
  viz = await startViz([], { cwd: root, token: VIZ_TOKEN, browser: true, env: { DQM_BROWSER: opener, XDG_RUNTIME_DIR: runtime } });
});
afterAll(async () => {
  await viz?.stop();
  for (const d of [root, runtime]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

describe('1. the browser opener never sees the token', () => {
  it('opens a mode-0600 redirect file; argv and env of the opener hold no token', async () => {
    await expect.poll(() => fs.existsSync(argvFile()), { timeout: 15_000 }).toBe(true);
    const argv = fs.readFileSync(argvFile(), 'utf8').trimEnd().split('\n');
    const port = new URL(viz.url).port;
    const file = path.join(runtime, 'dqm', `dqm-viz-${port}-open.html`);
    expect(argv).toEqual([file]);
    expect(argv.join(' ')).not.toContain(VIZ_TOKEN);
    expect(fs.readFileSync(path.join(runtime, 'opener-env.txt'), 'utf8')).not.toContain(VIZ_TOKEN);
    // The server's own command line holds no token either (it came in DQM_VIZ_TOKEN).
    expect(fs.readFileSync(`/proc/${viz.child.pid}/cmdline`, 'utf8')).not.toContain(VIZ_TOKEN);
    const stat = fs.statSync(file);
    expect(stat.mode & 0o777).toBe(0o600);
    expect(stat.uid).toBe(os.userInfo().uid);
    expect(fs.statSync(path.dirname(file)).mode & 0o077).toBe(0);
    const html = fs.readFileSync(file, 'utf8');
    expect(html).toContain(`<meta http-equiv="refresh" content="0;url=${viz.url}?token=${VIZ_TOKEN}">`);
    expect(html).toContain(`window.location.replace("${viz.url}?token=${VIZ_TOKEN}")`);
  });
});

describe('7. HTTP odds', () => {
  it('TRACE and other unknown methods: 405 with Allow, with or without a token', async () => {
    for (const [method, target] of [['TRACE', '/api/main'], ['TRACE', '/'], ['DELETE', '/api/runs'], ['PUT', '/api/nodes/numbers'], ['PROPFIND', '/api/main']] as const) {
      const r = await raw(viz.url, method, target, auth);
      expect(r.status, `${method} ${target}`).toBe(405);
      expect(r.headers.allow).toBe('GET, HEAD, OPTIONS, POST');
      expect(JSON.parse(r.body)).toEqual({ error: { code: 'METHOD_NOT_ALLOWED', message: `Method ${method} is not allowed: this server answers GET, HEAD, OPTIONS, POST` } });
      expect(r.body).not.toContain(VIZ_TOKEN);
    }
    // Without a token the method is refused too (never a 500).
    expect((await raw(viz.url, 'TRACE', '/api/main')).status).toBe(401);
  });
  it('public paths are exact: /favicon.icox and /_next/staticx need the token', async () => {
    for (const target of ['/favicon.icox', '/favicon.ico.json', '/favicon.ico/x', '/_next/staticx/chunk.js']) {
      const r = await raw(viz.url, 'GET', target);
      expect(r.status, target).toBe(401);
      expect(r.body).toContain('Access token needed');
    }
    expect((await raw(viz.url, 'GET', '/favicon.ico')).status).not.toBe(401);
  });
});

describe('the end', () => {
  it('stopping the server removes the redirect file', async () => {
    const file = path.join(runtime, 'dqm', `dqm-viz-${new URL(viz.url).port}-open.html`);
    expect(fs.existsSync(file)).toBe(true);
    await viz.stop();
    expect(fs.existsSync(file)).toBe(false);
  });
});
