import * as net from 'node:net';
import * as os from 'node:os';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type PageProgress } from '../api';
import { DataCatalog } from '../catalog';
import { FakeWebsite } from '../api/fake-website.fixtures';
import { APIDataset } from './api-dataset';

const TOKEN = 'test-token-1234';
const TITLE = 'clusterposition_zphi_PXLayer_1';
const small = { x: 3, y: 2 };

let site: FakeWebsite;
beforeAll(async () => {
  site = await FakeWebsite.start({ token: TOKEN });
  site.addHistograms(316187, Array.from({ length: 120 }, (_, i) => i + 1), TITLE, small);
  site.addHistograms(316188, [1, 2, 3, 4, 5], TITLE, small);
});
afterAll(() => site.close());
afterEach(() => {
  site.requests.length = 0;
});

function dataset(config: Record<string, unknown>, credentials: unknown = TOKEN): APIDataset {
  const ds = new APIDataset(
    { url: `${site.playgroundUrl}lumisection_histograms_2d/`, credentials: 'dqm_playground_token', backoff_s: 0.01, ...config },
    { projectRoot: os.tmpdir(), credentials },
  );
  ds.name = 'lumisection_histograms_2d';
  return ds;
}

/** Runs `fn`, capturing everything written to stdout/stderr meanwhile (to check no token is logged). */
async function captureOutput<T>(fn: () => Promise<T>): Promise<{ result?: T; error?: unknown; output: string }> {
  const chunks: string[] = [];
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const grab = (c: unknown) => (chunks.push(String(c)), true);
  process.stdout.write = grab as typeof process.stdout.write;
  process.stderr.write = grab as typeof process.stderr.write;
  try {
    return { result: await fn(), output: chunks.join('') };
  } catch (error) {
    return { error, output: chunks.join('') };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

async function closedPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('APIDataset (playground flavour)', () => {
  it('follows 3 pages (total_pages 2.4) and returns the concatenated results, with a progress line per page', async () => {
    const ds = dataset({ params: { title: TITLE, lumisection__run__run_number__in: [316187] } });
    const progress: PageProgress[] = [];
    ds.getClient().onProgress = (p) => progress.push(p);
    const records = (await ds.load()) as Array<{ id: number; lumisection: number }>;
    expect(records).toHaveLength(120);
    expect(records.map((r) => r.lumisection)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    const gets = site.requestsTo('/api/lumisection_histograms_2d/');
    expect(gets.map((r) => r.query.page ?? '1')).toEqual(['1', '2', '3']);
    expect(gets.every((r) => r.headers.authorization === `Token ${TOKEN}`)).toBe(true);
    expect(gets[0]!.query.title).toBe(TITLE);
    expect(progress.map((p) => `${p.page}/${p.totalPages} ${p.records}/${p.totalRecords}`)).toEqual(['1/3 50/120', '2/3 100/120', '3/3 120/120']);
  });

  it('max_pages stops paging early', async () => {
    const records = (await dataset({ max_pages: 2, params: { lumisection__run__run_number__in: 316187 } }).load()) as unknown[];
    expect(records).toHaveLength(100);
    expect(site.requestsTo('/api/lumisection_histograms_2d/')).toHaveLength(2);
  });

  it('accepts credentials given as { token } and as the whole credentials map', async () => {
    for (const creds of [{ token: TOKEN }, { dqm_playground_token: { token: TOKEN } }, { dqm_playground_token: TOKEN }]) {
      const records = (await dataset({ params: { lumisection__run__run_number__in: 316188 } }, creds).load()) as unknown[];
      expect(records).toHaveLength(5);
    }
  });

  it('a wrong token is a clear 401 error that never shows the token (message and output)', async () => {
    const secret = 'wrong-secret-token-98765';
    const ds = dataset({ params: { lumisection__run__run_number__in: 316188 } }, secret);
    const { error, output } = await captureOutput(() => ds.load());
    const url = `${site.playgroundUrl}lumisection_histograms_2d/?lumisection__run__run_number__in=316188`;
    expect((error as Error).message).toBe(
      `Failed while loading data from dataset 'lumisection_histograms_2d': HTTP 401: token missing or invalid for ${url} (credentials 'dqm_playground_token') (server says: Invalid token.)`,
    );
    expect((error as { code?: string }).code).toBe('API_AUTH');
    const everything = `${(error as Error).message}\n${(error as Error).stack}\n${output}\n${JSON.stringify(ds.describe())}\n${JSON.stringify(ds.getClient())}`;
    expect(everything).not.toContain(secret);
    expect(site.requestsTo('/api/lumisection_histograms_2d/')).toHaveLength(1); // 401 is not retried
  });

  it('no credentials at all: the 401 says which key to add', async () => {
    const ds = new APIDataset({ url: `${site.playgroundUrl}runs/` }, { projectRoot: os.tmpdir() });
    await expect(ds.load()).rejects.toThrow(
      `HTTP 401: token missing or invalid for ${site.playgroundUrl}runs/ (no credentials configured: add 'credentials: <name>' to the catalog entry) (server says: Authentication credentials were not provided.)`,
    );
  });

  it('retries a 500 and then succeeds', async () => {
    site.inject({ path: '/api/lumisection_histograms_2d/', status: 500 });
    const records = (await dataset({ params: { lumisection__run__run_number__in: 316188 } }).load()) as unknown[];
    expect(records).toHaveLength(5);
    expect(site.requestsTo('/api/lumisection_histograms_2d/')).toHaveLength(2);
  });

  it('gives up after the retries on a persistent 503, naming the status and the attempts', async () => {
    site.inject({ path: '/api/runs/', status: 503, times: 3 });
    const ds = dataset({ url: `${site.playgroundUrl}runs/`, retries: 2 });
    await expect(ds.load()).rejects.toThrow(`HTTP 503 from GET ${site.playgroundUrl}runs/ (page 1) after 3 attempts (server says: injected 503)`);
  });

  it('a response slower than timeout_s is retried, then a clear timeout error', async () => {
    site.inject({ path: '/api/runs/', delayMs: 1500, times: 2 });
    const ds = dataset({ url: `${site.playgroundUrl}runs/`, timeout_s: 0.2, retries: 1 });
    await expect(ds.load()).rejects.toThrow(
      `GET ${site.playgroundUrl}runs/ (page 1) timed out after 2 attempts: no answer within timeout_s=0.2 s (raise timeout_s in the catalog entry if the server is just slow)`,
    );
    expect(site.requestsTo('/api/runs/')).toHaveLength(2);
  });

  it('a non-JSON body that starts with the credential: no byte of it in the message, nor in the cause chain', async () => {
    // A proxy echoing the Authorization header, say: JSON.parse's own message quotes the first
    // 10 characters, which redaction by value (whole secrets only) cannot catch.
    const token = 'test-token-1234';
    site.inject({ path: '/api/lumisection_histograms_2d/', body: `${token}\nrest of a broken answer` });
    const error = (await dataset({ params: { lumisection__run__run_number__in: 316187 } }).load().catch((e: unknown) => e)) as Error;
    expect(error.message).toBe(
      `Failed while loading data from dataset 'lumisection_histograms_2d': malformed JSON from GET ${site.playgroundUrl}lumisection_histograms_2d/?lumisection__run__run_number__in=316187 (page 1): the website answered a non-JSON body (39 bytes, content-type application/json)`,
    );
    const chain: string[] = [];
    for (let e: unknown = error; e instanceof Error; e = e.cause) chain.push(e.message, e.stack ?? '');
    expect(chain.join('\n')).not.toContain(token.slice(0, 6));
  });

  it('malformed JSON names the URL and the page', async () => {
    site.inject({ path: '/api/lumisection_histograms_2d/', query: { page: '2' }, body: '{"next": null, "results": [' });
    const ds = dataset({ params: { lumisection__run__run_number__in: 316187 } });
    const error = (await ds.load().catch((e: unknown) => e)) as Error;
    expect(error.message).toBe(
      `Failed while loading data from dataset 'lumisection_histograms_2d': malformed JSON from GET ${site.playgroundUrl}lumisection_histograms_2d/?lumisection__run__run_number__in=316187&page=2 (page 2): the website answered a non-JSON body (27 bytes, content-type application/json)`,
    );
    expect((error as { code?: string }).code).toBe('API_BAD_JSON');
  });

  it('an unreachable host (closed port) is a clear error after the retries', async () => {
    const port = await closedPort();
    const ds = new APIDataset({ url: `http://127.0.0.1:${port}/api/runs/`, retries: 1, backoff_s: 0.01 }, { projectRoot: os.tmpdir() });
    await expect(ds.load()).rejects.toThrow(
      `cannot reach 127.0.0.1:${port} (ECONNREFUSED) for GET http://127.0.0.1:${port}/api/runs/ (page 1) after 2 attempts: is the host up and the url right?`,
    );
  });

  it('an unknown host (ENOTFOUND) is a clear error, not retried', async () => {
    const ds = new APIDataset({ url: 'http://no-such-host.invalid/api/runs/', retries: 3, backoff_s: 0.01 }, { projectRoot: os.tmpdir() });
    // Without any DNS resolver (some CI sandboxes) the lookup fails with EAI_AGAIN, which is retried.
    await expect(ds.load()).rejects.toThrow(
      /^Failed while loading data from dataset '<unnamed>': cannot reach no-such-host\.invalid \((ENOTFOUND\) for GET http:\/\/no-such-host\.invalid\/api\/runs\/ \(page 1\) after 1 attempt|EAI_AGAIN\) for GET http:\/\/no-such-host\.invalid\/api\/runs\/ \(page 1\) after 4 attempts): is the host up and the url right\?$/,
    );
  });

  it('a page with missing fields names the page, the URL and the keys present', async () => {
    site.inject({ path: '/api/runs/', drop: ['results'] });
    await expect(dataset({ url: `${site.playgroundUrl}runs/` }).load()).rejects.toThrow(
      `page 1 of ${site.playgroundUrl}runs/ is missing field 'results' (keys present: next, previous, total, per_page, total_pages)`,
    );
  });

  it('a detail endpoint without paginate: false is reported as not paginated; with it, the object is returned', async () => {
    site.addTask({ id: 3, name: 'layer 1', training_runs: [], testing_runs: [], training_lumisections: [], testing_lumisections: [] });
    await expect(dataset({ url: `${site.playgroundUrl}tasks/3/` }).load()).rejects.toThrow(
      `page 1 of ${site.playgroundUrl}tasks/3/ is missing fields 'next', 'results' (keys present: metadata, id, name, training_runs, testing_runs, training_lumisections, testing_lumisections)`,
    );
    expect(await dataset({ url: `${site.playgroundUrl}tasks/3/`, paginate: false }).load()).toMatchObject({ id: 3, name: 'layer 1' });
  });

  it('404 is a clear error and exists() is false', async () => {
    const ds = dataset({ url: `${site.playgroundUrl}no_such_endpoint/` });
    await expect(ds.load()).rejects.toThrow(
      `HTTP 404: GET ${site.playgroundUrl}no_such_endpoint/ does not exist on the server (check the url and the ids in the catalog entry or parameters) (server says: Not found.)`,
    );
    expect(await ds.exists()).toBe(false);
    expect(await dataset({ url: `${site.playgroundUrl}runs/` }).exists()).toBe(true);
  });

  it('save() POSTs the data as JSON with the token header', async () => {
    site.addHistograms(316190, [1], TITLE, small);
    const id = site.histograms2d.at(-1)!.id;
    await dataset({ url: `${site.playgroundUrl}predictions/` }).save({ task: 3, strategy: 'rmse', lumisection_histograms_2d: [id] });
    const [post] = site.requestsTo('/api/predictions/', 'POST');
    expect(post!.headers.authorization).toBe(`Token ${TOKEN}`);
    expect(post!.headers['content-type']).toBe('application/json');
    expect(site.predictions.at(-1)).toMatchObject({ task: 3, strategy: 'rmse', lumisection_histograms_2d: [id] });
  });

  it('a POST answered with a 5xx is not resent (the server may have stored it)', async () => {
    site.inject({ path: '/api/predictions/', status: 502 });
    await expect(dataset({ url: `${site.playgroundUrl}predictions/` }).save({ task: 3, strategy: 'x' })).rejects.toThrow(
      `HTTP 502 from POST ${site.playgroundUrl}predictions/ after 1 attempt (server says: injected 502)`,
    );
    expect(site.requestsTo('/api/predictions/', 'POST')).toHaveLength(1);
  });

  it('a POST the server rejects names the field problems', async () => {
    await expect(dataset({ url: `${site.playgroundUrl}predictions/` }).save({ task: 999, strategy: 'rmse' })).rejects.toThrow(
      `HTTP 400 from POST ${site.playgroundUrl}predictions/ (server says: {"task":["Invalid pk \\"999\\" - object does not exist."]})`,
    );
  });

  it('load_as: client gives a client bound to the url and credentials, whose JSON has no token', async () => {
    const client = (await dataset({ url: site.playgroundUrl, load_as: 'client' }).load()) as ApiClient;
    expect(client).toBeInstanceOf(ApiClient);
    expect(await client.list('runs/')).toEqual([
      { run_number: 316187, date: '2018-05-12T00:00:00Z' },
      { run_number: 316188, date: '2018-05-12T00:00:00Z' },
      { run_number: 316190, date: '2018-05-12T00:00:00Z' },
    ]);
    expect(JSON.stringify(client)).toBe(`{"url":"${site.playgroundUrl}","flavour":"playground","credentials":"dqm_playground_token"}`);
  });

  it('describe() shows the endpoint, never credentials', () => {
    const d = dataset({ params: { title: TITLE } }).describe();
    expect(d).toEqual({
      type: 'APIDataset',
      url: `${site.playgroundUrl}lumisection_histograms_2d/`,
      flavour: 'playground',
      params: { title: TITLE },
      timeout_s: 60,
      retries: 3,
    });
  });

  it('bad entries are clear errors', () => {
    const make = (config: Record<string, unknown>, creds?: unknown) => () => new APIDataset(config, { projectRoot: os.tmpdir(), credentials: creds });
    expect(make({})).toThrow("APIDataset: 'url' is required");
    expect(make({ url: 'runs/' })).toThrow("APIDataset: 'url' must be an absolute http(s) URL, got 'runs/'");
    expect(make({ url: 'http://x/api/', flavour: 'kedro' })).toThrow(`APIDataset: 'flavour': Invalid option: expected one of "playground"|"dials"`);
    expect(make({ url: 'http://x/api/v1/', flavour: 'dials', page_size: 1000 })).toThrow("APIDataset: page_size 1000 is above DIALS's maximum of 500");
    expect(make({ url: 'http://x/api/', credentials: 'c' }, { client_secret: 'abcdef' })).toThrow(
      "APIDataset: credentials 'c' hold a client_secret, which only DIALS accepts; the playground needs { token: ... }",
    );
    expect(make({ url: 'http://x/api/', credentials: 'c' }, 42)).toThrow("APIDataset: credentials 'c' must be a token string, { token: ... } or { client_secret: ... }");
  });
});

describe('APIDataset through the DataCatalog', () => {
  it("Kedro's type name api.APIDataSet, credentials by name; describe() has no token", async () => {
    const catalog = DataCatalog.fromConfig(
      { run_list: { type: 'api.APIDataSet', url: `${site.playgroundUrl}runs/`, credentials: 'dqm_playground', layer: 'raw' } },
      { projectRoot: os.tmpdir(), credentials: { dqm_playground: { token: TOKEN } } },
    );
    expect(((await catalog.load('run_list')) as unknown[]).length).toBeGreaterThan(0);
    expect(JSON.stringify(catalog.describe('run_list'))).not.toContain(TOKEN);
  });

  it('an empty token (unset environment variable) is a 401 naming the credentials entry', async () => {
    const catalog = DataCatalog.fromConfig(
      { run_list: { type: 'api.APIDataset', url: `${site.playgroundUrl}runs/`, credentials: 'dqm_playground' } },
      { projectRoot: os.tmpdir(), credentials: { dqm_playground: { token: '' } } },
    );
    await expect(catalog.load('run_list')).rejects.toThrow(
      `Failed while loading data from dataset 'run_list': HTTP 401: token missing or invalid for ${site.playgroundUrl}runs/ (credentials 'dqm_playground') (server says: Authentication credentials were not provided.)`,
    );
  });
});

describe('APIDataset (DIALS flavour)', () => {
  it('follows cursor pages with page_size, and sends Bearer + Workspace headers', async () => {
    const ds = dataset({ url: `${site.dialsUrl}th2/`, flavour: 'dials', page_size: 2, workspace: 'tracker', params: { run_number: 316188, me: TITLE } });
    const records = (await ds.load()) as Array<{ ls_number: number; me: string }>;
    expect(records.map((r) => r.ls_number)).toEqual([1, 2, 3, 4, 5]);
    const gets = site.requestsTo('/api/v1/th2/');
    expect(gets.map((r) => r.query.cursor ?? '-')).toEqual(['-', '2', '4']);
    expect(gets.every((r) => r.query.page_size === '2' && r.headers.authorization === `Bearer ${TOKEN}` && r.headers.workspace === 'tracker')).toBe(true);
  });

  it('sends X-CLIENT-SECRET for { client_secret } credentials', async () => {
    const ds = dataset({ url: `${site.dialsUrl}run/`, flavour: 'dials' }, { client_secret: 'test-client-secret-5678' });
    expect(((await ds.load()) as unknown[]).length).toBe(3);
    const [get] = site.requestsTo('/api/v1/run/');
    expect(get!.headers['x-client-secret']).toBe('test-client-secret-5678');
    expect(get!.headers.authorization).toBeUndefined();
    expect(get!.headers.workspace).toBeUndefined();
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
