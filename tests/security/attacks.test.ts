/**
 * Issue 15's attacks against the REAL server (`node bin/dqm.js viz` on a temp project, with the
 * browser opener on): each test performs the attack and checks the refusal, its exact message,
 * and that nothing leaked or was left behind.
 */
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startViz, type VizProcess } from '../../e2e/viz-server.fixtures';
import { FakeWebsite } from '../../lib/io/api/fake-website.fixtures';
import { makeTempProject, registrySource, REPO } from '../../lib/session/temp-project.fixtures';

const VIZ_TOKEN = 'vizTOKEN-attack-9b8a7c6d5e4f';
/** The website token: the stand-in website answers non-JSON bodies that START with it. */
const CRED = 'credSECRET-attack-5c4d3e2f1a0b';
const OUTSIDE_SECRET = 'TOPSECRET-outside-the-project';
const PEEKED = ['linked_file', 'linked_folder_file', 'file_url_up', 'file_url_abs', 'file_url_secret', 'parts', 'website'];

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
let outside: string;
let site: FakeWebsite;
let viz: VizProcess;
const auth = { authorization: `Token ${VIZ_TOKEN}` };
const argvFile = () => path.join(runtime, 'opener-argv.txt');

function catalog(): string {
  const up = path.relative(root, path.join(outside, 'secret.csv'));
  return `numbers:
  type: json.JSONDataset
  filepath: data/01_raw/numbers.json
linked_file:
  type: pandas.CSVDataset
  filepath: data/01_raw/website/lumisections.csv
linked_folder_file:
  type: json.JSONDataset
  filepath: data/02_intermediate/ext/secret.json
file_url_up:
  type: text.TextDataset
  filepath: "file://../../../../../../../../../etc/passwd"
file_url_abs:
  type: text.TextDataset
  filepath: "file:///etc/passwd"
file_url_secret:
  type: text.TextDataset
  filepath: "file://${up}"
parts:
  type: partitions.PartitionedDataset
  path: data/01_raw/parts
  dataset: json.JSONDataset
  filename_suffix: .json
website:
  type: api.APIDataset
  url: ${site.playgroundUrl}runs/
  credentials: website
  retries: 0
`;
}

beforeAll(async () => {
  site = await FakeWebsite.start({ token: CRED });
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-outside-'));
  fs.writeFileSync(path.join(outside, 'secret.csv'), `secret\n${OUTSIDE_SECRET}\n`);
  fs.mkdirSync(path.join(outside, 'ext'));
  fs.writeFileSync(path.join(outside, 'ext', 'secret.json'), JSON.stringify({ secret: OUTSIDE_SECRET }));
  fs.writeFileSync(path.join(outside, 'secret.json'), JSON.stringify([OUTSIDE_SECRET]));
  const registry = registrySource({
    functions: 'export function peek_all(...xs: unknown[]): number {\n  return xs.length;\n}\n',
    pipelines: { peek: `new Pipeline([node(peek_all, ${JSON.stringify(PEEKED)}, 'peeked')])`, fetch: "new Pipeline([node(count_of, 'website', 'fetched')])" },
  });
  root = makeTempProject({ files: { 'pipelines/registry.ts': registry, 'conf/base/credentials.yml': "website:\n  token: \"${oc.env:DQM_PLAYGROUND_TOKEN, ''}\"\n", 'data/01_raw/parts/a.json': '[1, 2]' } });
  fs.writeFileSync(path.join(root, 'conf/base/catalog.yml'), catalog());
  // A symlinked file, a symlinked folder, and a link inside a partitioned folder, all pointing out.
  fs.mkdirSync(path.join(root, 'data/01_raw/website'), { recursive: true });
  fs.symlinkSync(path.join(outside, 'secret.csv'), path.join(root, 'data/01_raw/website/lumisections.csv'));
  fs.mkdirSync(path.join(root, 'data/02_intermediate'), { recursive: true });
  fs.symlinkSync(path.join(outside, 'ext'), path.join(root, 'data/02_intermediate/ext'));
  fs.symlinkSync(path.join(outside, 'secret.json'), path.join(root, 'data/01_raw/parts/b.json'));
  runtime = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-runtime-'));
  // The "browser": records its argv and environment, as `ps` and /proc would show them.
  const opener = path.join(runtime, 'fake-browser.sh');
  fs.writeFileSync(opener, `#!/bin/sh\nprintf '%s\\n' "$@" > "${argvFile()}.part"\nenv > "${runtime}/opener-env.txt"\nmv "${argvFile()}.part" "${argvFile()}"\n`, { mode: 0o755 });
  viz = await startViz([], { cwd: root, token: VIZ_TOKEN, browser: true, env: { DQM_BROWSER: opener, XDG_RUNTIME_DIR: runtime, DQM_PLAYGROUND_TOKEN: CRED } });
});
afterAll(async () => {
  await viz?.stop();
  await site?.close();
  for (const d of [root, runtime, outside]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

const get = async (target: string) => {
  const r = await raw(viz.url, 'GET', target, auth);
  return { ...r, json: JSON.parse(r.body) as Record<string, unknown> };
};
/** The run processes the server has forked and that still live. */
const children = () => {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(viz.child.pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean);
  } catch {
    return []; // ps exits 1 when there are none
  }
};
/** Processes (anywhere) started for a dashboard run: their environment holds DQM_RUN_ID. */
const runProcesses = () => {
  const out: string[] = [];
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (fs.readlinkSync(`/proc/${pid}/cwd`) === fs.realpathSync(root) && fs.readFileSync(`/proc/${pid}/environ`, 'latin1').includes('DQM_RUN_ID=')) out.push(pid);
    } catch {
      // gone, or not ours
    }
  }
  return out;
};

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

describe('2. previews never leave the project (real paths)', () => {
  const OUTSIDE = { kind: 'none', reason: 'The dashboard previews only files inside the project folder' };
  it.each(['linked_file', 'linked_folder_file', 'file_url_up', 'file_url_abs', 'file_url_secret'])('%s: shown in the graph, never read', async (name) => {
    const r = await get(`/api/nodes/${name}?pipeline=peek`);
    expect(r.status).toBe(200);
    expect(r.json.preview).toEqual(OUTSIDE);
    expect(r.body).not.toContain(OUTSIDE_SECRET);
    expect(r.body).not.toContain('root:x:0:0');
    // The LS-map route reads through the same check: 403, never the file.
    const map = await raw(viz.url, 'GET', `/api/nodes/${name}/map?pipeline=peek&ls=0`, auth);
    expect(map.status).toBe(403);
    expect(JSON.parse(map.body)).toEqual({ error: { code: 'OUTSIDE_PROJECT', message: OUTSIDE.reason } });
  });
  it('a partitioned folder lists its own files only: the linked partition is neither listed nor read', async () => {
    const r = await get('/api/nodes/parts?pipeline=peek');
    expect(r.json.preview).toMatchObject({ kind: 'partitions', names: ['a'], count: 1, shown: 'a' });
    expect(r.body).not.toContain(OUTSIDE_SECRET);
  });
  it('the links are still there and the outside files untouched', () => {
    expect(fs.lstatSync(path.join(root, 'data/01_raw/website/lumisections.csv')).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(path.join(outside, 'secret.csv'), 'utf8')).toBe(`secret\n${OUTSIDE_SECRET}\n`);
  });
});

describe('7. no network on preview', () => {
  it('opening an API dataset node calls the website 0 times', async () => {
    const before = site.requests.length;
    const r = await get('/api/nodes/website?pipeline=peek');
    expect(r.status).toBe(200);
    expect(r.json.preview).toEqual({ kind: 'none', reason: 'The dashboard never calls a remote service for a preview (it would use your credentials): run the pipeline and preview a dataset it saved' });
    expect((await raw(viz.url, 'GET', '/api/nodes/website/map?pipeline=peek&ls=0', auth)).status).toBe(400);
    expect(site.requests.length - before).toBe(0);
  });
});

describe('3. POST /api/runs is bounded before anything is spawned', () => {
  const post = (body: string | Buffer, headers: Record<string, string> = {}) => raw(viz.url, 'POST', '/api/runs', { ...auth, 'content-type': 'application/json', ...headers }, body);
  it('10,000 levels of params: 400 TOO_DEEP, no child, the run lock free', async () => {
    const deep = `{"params":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`;
    const runsBefore = (await get('/api/runs')).json.runs as unknown[];
    const childrenBefore = children();
    const r = await post(deep);
    expect(r.status).toBe(400);
    expect(JSON.parse(r.body)).toEqual({ error: { code: 'TOO_DEEP', message: 'The run request is nested more than 32 levels deep: parameters are a few levels of mappings' } });
    expect(children()).toEqual(childrenBefore);
    expect(runProcesses()).toEqual([]);
    const after = (await get('/api/runs')).json;
    expect(after.runs).toEqual(runsBefore);
    expect(after.running).toBe(null);
  });
  it('more than 1 MB: 413, declared or streamed; no child', async () => {
    const childrenBefore = children();
    const big = JSON.stringify({ params: { blob: 'x'.repeat(1024 * 1024) } });
    const r = await post(big);
    expect(r.status).toBe(413);
    expect(JSON.parse(r.body)).toEqual({ error: { code: 'BODY_TOO_LARGE', message: 'The request body is larger than 1,048,576 bytes (1 MB): a run request is a small JSON object' } });
    // Chunked (no Content-Length): counted while read.
    const chunked = await new Promise<number>((resolve, reject) => {
      const { port } = new URL(viz.url);
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/api/runs', headers: { host: `127.0.0.1:${port}`, ...auth, 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', reject);
      for (let i = 0; i < 17; i++) req.write('x'.repeat(64 * 1024));
      req.end();
    });
    expect(chunked).toBe(413);
    expect(children()).toEqual(childrenBefore);
    expect(runProcesses()).toEqual([]);
  });
  it('a bad request after all that still leaves the server able to run', async () => {
    const ok = await post(JSON.stringify({ pipeline: 'main' }));
    expect(ok.status).toBe(202);
    const id = (JSON.parse(ok.body) as { run: { id: string } }).run.id;
    await expect.poll(async () => ((await get(`/api/runs/${id}`)).json.run as { status: string }).status, { timeout: 60_000 }).toBe('success');
    await expect.poll(() => runProcesses(), { timeout: 10_000 }).toEqual([]);
  });
});

describe('4. a website body that starts with the credential leaks nowhere', () => {
  it('dashboard run and CLI run fail with the size and type only; no prefix of the token in stderr, store, API or SSE', async () => {
    site.inject({ path: '/api/runs/', body: `${CRED} echoed by a broken proxy`, times: 10 });
    const message = `malformed JSON from GET ${site.playgroundUrl}runs/ (page 1): the website answered a non-JSON body (55 bytes, content-type application/json)`;
    const start = await raw(viz.url, 'POST', '/api/runs', { ...auth, 'content-type': 'application/json' }, JSON.stringify({ pipeline: 'fetch' }));
    expect(start.status).toBe(202);
    const id = (JSON.parse(start.body) as { run: { id: string } }).run.id;
    await expect.poll(async () => ((await get(`/api/runs/${id}`)).json.run as { status: string }).status, { timeout: 60_000 }).toBe('failed');
    const details = await get(`/api/runs/${id}`);
    expect((details.json.run as { error: string }).error).toBe(`Failed while loading data from dataset 'website': ${message}`);
    const events = await (await viz.fetch(`api/runs/${id}/events`)).text();
    expect(events).toContain('run_finished');
    // Async: the stand-in website answers from this process.
    const cli = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [path.join(REPO, 'bin/dqm.js'), 'run', '--pipeline', 'fetch'], { cwd: root, env: { ...process.env, DQM_PLAYGROUND_TOKEN: CRED } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
    expect(cli.status).toBe(1);
    expect(cli.stderr).toContain(message);
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const f = path.join(d, e.name);
        if (e.isDirectory()) walk(f);
        else if (e.isFile()) files.push(f);
      }
    };
    walk(path.join(root, '.dqm'));
    walk(path.join(root, 'data'));
    expect(files.some((f) => f.endsWith('runs.sqlite'))).toBe(true);
    const haystacks: Record<string, string> = {
      'GET /api/runs': (await get('/api/runs')).body,
      [`GET /api/runs/${id}`]: details.body,
      [`GET /api/runs/${id}/logs`]: (await raw(viz.url, 'GET', `/api/runs/${id}/logs`, auth)).body,
      SSE: events,
      'CLI stdout/stderr': cli.stdout + cli.stderr,
      'server output': viz.output().replaceAll(`?token=${VIZ_TOKEN}`, ''),
      ...Object.fromEntries(files.map((f) => [path.relative(root, f), fs.readFileSync(f).toString('latin1')])),
    };
    // Any 8 characters of the token's start would be a leak (JSON.parse quoted the first 10).
    for (const [where, text] of Object.entries(haystacks)) expect(text.includes(CRED.slice(0, 8)), `token prefix in ${where}`).toBe(false);
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
