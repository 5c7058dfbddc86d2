import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A small local stand-in for the DQM playground website (Django REST framework, `/api/`) and
 * for DIALS (`/api/v1/`), for tests only: node:http on 127.0.0.1, port 0. It speaks the real
 * field names, headers and pagination shapes (page pagination with `total_pages` as a float;
 * DIALS cursor pagination), keeps uploaded predictions, records every request, and can be told
 * to misbehave (status codes, delays, malformed JSON, missing fields) to test the failure paths.
 * It is the only stand-in allowed in the project.
 */

export interface FakeHistogram2D {
  id: number;
  run: number;
  lumisection: number;
  title: string;
  entries: number;
  data: number[][];
  x_min: number;
  x_max: number;
  x_bin: number;
  y_min: number;
  y_max: number;
  y_bin: number;
  source_data_file: number | null;
}

/** A playground `lumisection_histograms_1d/` record (DIALS `th1/` serves the same numbers as `me`, `run_number`, ...). */
export interface FakeHistogram1D {
  id: number;
  run: number;
  lumisection: number;
  title: string;
  entries: number;
  data: number[];
  x_min: number;
  x_max: number;
  x_bin: number;
  source_data_file: number | null;
}

export interface FakeTask {
  id: number;
  name: string;
  training_runs: Array<{ run_number: number; date: string }>;
  testing_runs: Array<{ run_number: number; date: string }>;
  training_lumisections: Array<{ run: string; ls_number: number; date: string }>;
  testing_lumisections: Array<{ run: string; ls_number: number; date: string }>;
  metadata: string;
}

export interface FakePrediction {
  id: number;
  task: number;
  strategy: string;
  run_histograms: number[];
  lumisection_histograms_1d: number[];
  lumisection_histograms_2d: number[];
  created: string;
}

/** One misbehaviour, applied to the next `times` requests whose path starts with `path`. */
export interface Fault {
  path: string;
  /** Only requests with these query values (e.g. `{ page: '2' }`). */
  query?: Record<string, string>;
  times?: number;
  status?: number;
  /** Answer after this many ms (a slow server). */
  delayMs?: number;
  /** Raw body sent as is (e.g. malformed JSON). */
  body?: string;
  /** Remove these keys from the (page) answer. */
  drop?: string[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | undefined>;
  body?: unknown;
}

export interface FakeWebsiteOptions {
  /** The playground token (`Authorization: Token <token>`) and DIALS bearer token. */
  token?: string;
  /** DIALS `X-CLIENT-SECRET`. */
  clientSecret?: string;
  /** Playground page size (the real site: 50). */
  perPage?: number;
  /** DIALS default page size (its maximum is 500). */
  dialsPageSize?: number;
}

const DATE = '2018-05-12T00:00:00Z';

export class FakeWebsite {
  readonly histograms2d: FakeHistogram2D[] = [];
  readonly histograms1d: FakeHistogram1D[] = [];
  readonly tasks: FakeTask[] = [];
  readonly predictions: FakePrediction[] = [];
  readonly requests: RecordedRequest[] = [];
  private readonly faults: Fault[] = [];
  private readonly options: Required<FakeWebsiteOptions>;
  private server!: Server;
  origin = '';

  private constructor(options: FakeWebsiteOptions) {
    this.options = { token: 'test-token-1234', clientSecret: 'test-client-secret-5678', perPage: 50, dialsPageSize: 100, ...options };
  }

  static async start(options: FakeWebsiteOptions = {}): Promise<FakeWebsite> {
    const site = new FakeWebsite(options);
    site.server = createServer((req, res) => {
      site.handle(req, res).catch((error: unknown) => send(res, 500, { detail: String(error) }));
    });
    await new Promise<void>((resolve) => site.server.listen(0, '127.0.0.1', resolve));
    site.origin = `http://127.0.0.1:${(site.server.address() as AddressInfo).port}`;
    return site;
  }

  /** `http://127.0.0.1:<port>/api/` */
  get playgroundUrl(): string {
    return `${this.origin}/api/`;
  }

  /** `http://127.0.0.1:<port>/api/v1/` */
  get dialsUrl(): string {
    return `${this.origin}/api/v1/`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  inject(fault: Fault): void {
    this.faults.push({ times: 1, ...fault });
  }

  /** Requests whose path starts with `prefix`. */
  requestsTo(prefix: string, method = 'GET'): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path.startsWith(prefix));
  }

  /**
   * Adds one histogram per LS of `run` for `title`: a deterministic `yBins × xBins` count map
   * (a smooth occupancy with a dead module), as the website serves it (under/overflow removed).
   */
  addHistograms(run: number, lumisections: number[], title: string, bins: { x: number; y: number } = { x: 300, y: 200 }): FakeHistogram2D[] {
    const added: FakeHistogram2D[] = [];
    for (const ls of lumisections) {
      const data = syntheticMap(run, ls, title, bins.y, bins.x);
      const h: FakeHistogram2D = {
        id: this.histograms2d.length + 1,
        run,
        lumisection: ls,
        title,
        entries: data.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0),
        data,
        x_min: -26.7,
        x_max: 26.7,
        x_bin: bins.x,
        y_min: -3.14159,
        y_max: 3.14159,
        y_bin: bins.y,
        source_data_file: 1,
      };
      this.histograms2d.push(h);
      added.push(h);
    }
    return added;
  }

  /**
   * Adds one 1D histogram per LS of `run` for `title`: a deterministic charge-like spectrum of
   * `bins` counts (a Landau-ish peak whose height follows the LS), under/overflow removed.
   */
  addHistograms1D(run: number, lumisections: number[], title: string, bins = 100, range: [number, number] = [0, 80000]): FakeHistogram1D[] {
    const added: FakeHistogram1D[] = [];
    for (const ls of lumisections) {
      const data = syntheticSpectrum(run, ls, bins);
      const h: FakeHistogram1D = {
        id: this.histograms1d.length + 1,
        run,
        lumisection: ls,
        title,
        entries: data.reduce((a, b) => a + b, 0),
        data,
        x_min: range[0],
        x_max: range[1],
        x_bin: bins,
        source_data_file: 1,
      };
      this.histograms1d.push(h);
      added.push(h);
    }
    return added;
  }

  /** Every (run, LS) that has a histogram of either dimension, in insertion order. */
  private lumisectionsServed(): Array<{ run: number; lumisection: number }> {
    const seen = new Map<string, { run: number; lumisection: number }>();
    for (const h of [...this.histograms2d, ...this.histograms1d]) seen.set(`${h.run}:${h.lumisection}`, { run: h.run, lumisection: h.lumisection });
    return [...seen.values()];
  }

  addTask(task: Omit<FakeTask, 'id' | 'metadata'> & { id?: number }): FakeTask {
    const t: FakeTask = { metadata: '', ...task, id: task.id ?? this.tasks.length + 1 };
    this.tasks.push(t);
    return t;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.origin);
    const query = Object.fromEntries(url.searchParams);
    const body = req.method === 'POST' ? await readBody(req) : undefined;
    const rec: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query, headers: { ...req.headers } as Record<string, string | undefined> };
    if (body !== undefined) rec.body = body;
    this.requests.push(rec);

    const fault = this.takeFault(url.pathname, url.searchParams);
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (res.destroyed) return;
    if (fault?.status) return send(res, fault.status, { detail: `injected ${fault.status}` });
    if (fault?.body !== undefined) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(fault.body);
      return;
    }
    const isDials = url.pathname.startsWith('/api/v1/');
    const auth = this.authorize(req, isDials);
    if (auth) return send(res, auth.status, { detail: auth.detail });
    const answer = isDials ? this.dials(url) : this.playground(url, req.method ?? 'GET', body);
    if (!answer) return send(res, 404, { detail: 'Not found.' });
    const [status, payload] = answer;
    if (fault?.drop && payload && typeof payload === 'object') for (const k of fault.drop) delete (payload as Record<string, unknown>)[k];
    send(res, status, payload);
  }

  private takeFault(path: string, query: URLSearchParams): Fault | undefined {
    const i = this.faults.findIndex((f) => path.startsWith(f.path) && Object.entries(f.query ?? {}).every(([k, v]) => query.get(k) === v));
    if (i < 0) return undefined;
    const f = this.faults[i]!;
    f.times = (f.times ?? 1) - 1;
    if (f.times <= 0) this.faults.splice(i, 1);
    return f;
  }

  /** DRF's answers: 401 without credentials, 401 "Invalid token." with a wrong one. */
  private authorize(req: IncomingMessage, dials: boolean): { status: number; detail: string } | undefined {
    const header = req.headers.authorization;
    if (dials && req.headers['x-client-secret'] !== undefined) {
      return req.headers['x-client-secret'] === this.options.clientSecret ? undefined : { status: 401, detail: 'Invalid client secret.' };
    }
    if (!header) return { status: 401, detail: 'Authentication credentials were not provided.' };
    const [scheme, key] = header.split(' ');
    if (scheme !== (dials ? 'Bearer' : 'Token') || key !== this.options.token) return { status: 401, detail: 'Invalid token.' };
    return undefined;
  }

  private playground(url: URL, method: string, body: unknown): [number, unknown] | undefined {
    const p = url.pathname;
    const q = url.searchParams;
    const task = /^\/api\/tasks\/(\d+)\/$/.exec(p);
    if (task) {
      const t = this.tasks.find((x) => x.id === Number(task[1]));
      return t ? [200, t] : undefined;
    }
    if (p === '/api/predictions/' && method === 'POST') return this.createPrediction(body);
    let rows: unknown[];
    if (p === '/api/lumisection_histograms_2d/') rows = this.histograms2d.filter((h) => matchesPlayground(h, q));
    else if (p === '/api/lumisection_histograms_1d/') rows = this.histograms1d.filter((h) => matchesPlayground(h, q));
    else if (p === '/api/runs/') {
      const runs = [...new Set(this.lumisectionsServed().map((h) => h.run))].sort((a, b) => a - b);
      rows = runs.filter((r) => inList(q.get('run_number__in'), r)).map((run_number) => ({ run_number, date: DATE }));
    } else if (p === '/api/lumisections/') {
      rows = this.lumisectionsServed()
        .filter((h) => inList(q.get('run__run_number__in'), h.run))
        .map((h, i) => ({ id: i + 1, run: String(h.run), ls_number: h.lumisection, date: DATE }));
    } else if (p === '/api/predictions/') {
      rows = this.predictions
        .filter((x) => (!q.get('task') || String(x.task) === q.get('task')) && (!q.get('strategy') || x.strategy === q.get('strategy')))
        .map((x) => ({ ...x, lumisection_histograms_2d: x.lumisection_histograms_2d.map((id) => this.nested(id)) }));
    } else if (p === '/api/tasks/') rows = this.tasks;
    else if (p === '/api/strategies/') rows = [...new Set(this.predictions.map((x) => x.strategy))].map((name, i) => ({ id: i + 1, name }));
    else if (p === '/api/run_histograms/') rows = [];
    else return undefined;
    return [200, this.pagePlayground(url, rows)];
  }

  /** Django REST page pagination as the playground configures it. */
  private pagePlayground(url: URL, rows: unknown[]): Record<string, unknown> {
    const perPage = this.options.perPage;
    const page = Number(url.searchParams.get('page') ?? '1');
    const link = (n: number) => {
      const u = new URL(url.toString());
      u.searchParams.set('page', String(n));
      return `${u.pathname}${u.search}`; // relative, as the playground sends them
    };
    const last = Math.max(1, Math.ceil(rows.length / perPage));
    return {
      next: page < last ? link(page + 1) : null,
      previous: page > 1 ? link(page - 1) : null,
      total: rows.length,
      per_page: perPage,
      total_pages: rows.length / perPage,
      results: rows.slice((page - 1) * perPage, page * perPage),
    };
  }

  private dials(url: URL): [number, unknown] | undefined {
    const p = url.pathname;
    const q = url.searchParams;
    const pageSize = Number(q.get('page_size') ?? this.options.dialsPageSize);
    if (pageSize > 500) return [400, { page_size: ['Ensure this value is less than or equal to 500.'] }];
    let rows: unknown[];
    if (p === '/api/v1/th2/') {
      rows = this.histograms2d
        .filter((h) => matchesDials(h, q))
        .map((h) => ({
          hist_id: h.id,
          dataset: '/StreamExpress/Run2018A-PromptReco-v1/DQMIO',
          dataset_id: 1,
          file_id: 1,
          run_number: h.run,
          ls_number: h.lumisection,
          ls_id: h.run * 10000 + h.lumisection,
          me_id: 7,
          me: h.title,
          entries: h.entries,
          data: h.data,
          x_min: h.x_min,
          x_max: h.x_max,
          x_bin: h.x_bin,
          y_min: h.y_min,
          y_max: h.y_max,
          y_bin: h.y_bin,
        }));
    } else if (p === '/api/v1/th1/') {
      // cmsdials' LumisectionHistogram1D fields
      rows = this.histograms1d
        .filter((h) => matchesDials(h, q))
        .map((h) => ({
          dataset: '/ZeroBias/Run2017B-UL2017_MiniAODv2-v1/DQMIO',
          me: h.title,
          dataset_id: 1,
          file_id: 1,
          run_number: h.run,
          ls_number: h.lumisection,
          me_id: 8,
          x_min: h.x_min,
          x_max: h.x_max,
          x_bin: h.x_bin,
          entries: h.entries,
          data: h.data,
        }));
    } else if (p === '/api/v1/run/') {
      rows = [...new Set(this.lumisectionsServed().map((h) => h.run))].filter((r) => !q.get('run_number') || String(r) === q.get('run_number')).map((run_number) => ({ dataset_id: 1, run_number }));
    } else if (p === '/api/v1/lumisection/') {
      rows = this.lumisectionsServed()
        .filter((h) => !q.get('run_number') || String(h.run) === q.get('run_number'))
        .map((h) => ({ dataset_id: 1, run_number: h.run, ls_number: h.lumisection, ls_id: h.run * 10000 + h.lumisection }));
    } else return undefined;
    const cursor = Number(q.get('cursor') ?? '0');
    const nextUrl = new URL(url.toString());
    nextUrl.searchParams.set('cursor', String(cursor + pageSize));
    return [200, { next: cursor + pageSize < rows.length ? nextUrl.toString() : null, previous: null, results: rows.slice(cursor, cursor + pageSize) }];
  }

  private createPrediction(body: unknown): [number, unknown] {
    const b = (body ?? {}) as Record<string, unknown>;
    const errors: Record<string, string[]> = {};
    if (!this.tasks.some((t) => t.id === b.task)) errors.task = [`Invalid pk "${String(b.task)}" - object does not exist.`];
    if (typeof b.strategy !== 'string' || !b.strategy) errors.strategy = ['This field is required.'];
    const ids = Array.isArray(b.lumisection_histograms_2d) ? (b.lumisection_histograms_2d as unknown[]) : [];
    const bad = ids.find((id) => !this.histograms2d.some((h) => h.id === id));
    if (bad !== undefined) errors.lumisection_histograms_2d = [`Invalid pk "${String(bad)}" - object does not exist.`];
    if (Object.keys(errors).length) return [400, errors];
    const prediction: FakePrediction = {
      id: this.predictions.length + 1,
      task: b.task as number,
      strategy: b.strategy as string,
      run_histograms: [],
      lumisection_histograms_1d: [],
      lumisection_histograms_2d: ids as number[],
      created: DATE,
    };
    this.predictions.push(prediction);
    return [201, { ...prediction, lumisection_histograms_2d: prediction.lumisection_histograms_2d.map((id) => this.nested(id)) }];
  }

  /** A histogram as nested in a prediction (the real serializer nests; data left out to keep answers small). */
  private nested(id: number): Record<string, unknown> {
    const h = this.histograms2d.find((x) => x.id === id)!;
    return { id: h.id, run: h.run, lumisection: h.lumisection, title: h.title, entries: h.entries };
  }
}

type Served = Pick<FakeHistogram2D, 'run' | 'lumisection' | 'title' | 'entries'>;

function matchesPlayground(h: Served, q: URLSearchParams): boolean {
  const num = (k: string) => (q.get(k) === null ? undefined : Number(q.get(k)));
  const gte = num('lumisection__ls_number__gte');
  const lte = num('lumisection__ls_number__lte');
  const entries = num('entries__gte');
  return (
    (!q.get('title') || h.title === q.get('title')) &&
    (!q.get('title__contains') || h.title.includes(q.get('title__contains')!)) &&
    inList(q.get('lumisection__run__run_number__in'), h.run) &&
    (gte === undefined || h.lumisection >= gte) &&
    (lte === undefined || h.lumisection <= lte) &&
    (entries === undefined || h.entries >= entries)
  );
}

function matchesDials(h: Served, q: URLSearchParams): boolean {
  const num = (k: string) => (q.get(k) === null ? undefined : Number(q.get(k)));
  const gte = num('ls_number__gte');
  const lte = num('ls_number__lte');
  return (
    (!q.get('run_number') || String(h.run) === q.get('run_number')) &&
    (!q.get('me') || h.title === q.get('me')) &&
    (!q.get('me__regex') || new RegExp(q.get('me__regex')!).test(h.title)) &&
    (gte === undefined || h.lumisection >= gte) &&
    (lte === undefined || h.lumisection <= lte)
  );
}

function inList(list: string | null, value: number): boolean {
  return !list || list.split(',').map(Number).includes(value);
}

/** A smooth deterministic occupancy (more hits near z = 0) with one dead module; integers. */
export function syntheticMap(run: number, ls: number, title: string, ny: number, nx: number): number[][] {
  const layer = Number(/(\d+)$/.exec(title)?.[1] ?? 1);
  const rows: number[][] = [];
  for (let y = 0; y < ny; y++) {
    const row = new Array<number>(nx);
    for (let x = 0; x < nx; x++) {
      const dz = (x - nx / 2) / nx;
      const base = Math.floor((20 - layer * 3) * (1 - dz * dz * 2));
      const wobble = (x * 7 + y * 13 + ls * 3 + run) % 5;
      const dead = y >= Math.floor(ny / 4) && y < Math.floor(ny / 4) + Math.max(1, Math.floor(ny / 20)) && x < Math.floor(nx / 8);
      row[x] = dead ? 0 : Math.max(0, base + wobble);
    }
    rows.push(row);
  }
  return rows;
}

/** A cluster-charge-like spectrum: a peak at bin ~bins/4 with a long tail; its height grows with the LS. */
export function syntheticSpectrum(run: number, ls: number, bins: number): number[] {
  const out = new Array<number>(bins);
  const peak = bins / 4;
  for (let x = 0; x < bins; x++) {
    const t = (x - peak) / (bins / 12);
    const landau = Math.exp(-0.5 * (t + Math.exp(-t)));
    out[x] = Math.floor((400 + ls * 5) * landau + ((x * 7 + ls * 3 + run) % 4));
  }
  return out;
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(payload));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}
