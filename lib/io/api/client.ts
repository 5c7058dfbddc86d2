import { redactText, secretValues } from '../../redact';
import { messageOf } from '../../errors';
import { ApiError } from './errors';
import type { ApiClientOptions, ApiFlavour, ApiSecret, PageProgress, QueryParams } from './options';
import { readPage, type ApiPage } from './pages';

type Method = 'GET' | 'POST';
type Failure = { kind: 'http'; status: number; body: string; contentType: string } | { kind: 'timeout' } | { kind: 'network'; code: string; detail: string };

/** Network error codes that say "nobody answers there"; ENOTFOUND is not retried (a typo will not heal). */
const NO_RETRY_CODES = new Set(['ENOTFOUND']);

/**
 * A small client for the DQM playground website (Django REST framework) and its successor DIALS.
 * Node 20's global fetch with `AbortSignal.timeout`; GETs are retried with exponential backoff on
 * 5xx/429, timeouts and refused connections. The secret lives in a private field and is scrubbed
 * from every message, so neither errors nor `JSON.stringify(client)` can leak it.
 */
export class ApiClient {
  readonly baseUrl: string;
  readonly flavour: ApiFlavour;
  readonly credentialsName: string | undefined;
  readonly timeoutS: number;
  readonly retries: number;
  readonly backoffS: number;
  readonly pageSize: number | undefined;
  readonly workspace: string | undefined;
  readonly maxPages: number | undefined;
  onProgress: ((progress: PageProgress) => void) | undefined;
  readonly #secret: ApiSecret | undefined;

  constructor(options: ApiClientOptions) {
    this.baseUrl = options.url;
    this.flavour = options.flavour ?? 'playground';
    this.#secret = options.secret;
    this.credentialsName = options.credentialsName;
    this.timeoutS = options.timeoutS ?? 60;
    this.retries = options.retries ?? 3;
    this.backoffS = options.backoffS ?? 1;
    this.pageSize = options.pageSize;
    this.workspace = options.workspace;
    this.maxPages = options.maxPages;
    this.onProgress = options.onProgress;
  }

  /** `path` relative to the base URL (`runs/`), or absolute; query values: lists are comma-joined (DRF `__in`). */
  url(path = '', params: QueryParams = {}): string {
    const base = this.baseUrl.endsWith('/') ? this.baseUrl : `${this.baseUrl}/`;
    const url = new URL(path, path ? base : this.baseUrl);
    for (const [key, value] of Object.entries(params)) {
      if (value === undefined || value === null) continue;
      url.searchParams.set(key, Array.isArray(value) ? value.join(',') : String(value));
    }
    return url.toString();
  }

  /** Request headers for this flavour (the token goes only here). */
  headers(json = false): Record<string, string> {
    const h: Record<string, string> = { accept: 'application/json' };
    if (json) h['content-type'] = 'application/json';
    const secret = this.#secret;
    if (secret?.kind === 'client_secret') h['X-CLIENT-SECRET'] = secret.value;
    else if (secret) h.Authorization = `${this.flavour === 'dials' ? 'Bearer' : 'Token'} ${secret.value}`;
    if (this.flavour === 'dials' && this.workspace) h.Workspace = this.workspace;
    return h;
  }

  /** Every page of a list endpoint, in order (follows `next` links; both flavours). */
  async *pages(path = '', params: QueryParams = {}): AsyncGenerator<ApiPage> {
    const query: Record<string, QueryParams[string]> = { ...params };
    if (this.pageSize !== undefined && query.page_size === undefined) query.page_size = this.pageSize;
    let url: string | null = this.url(path, query);
    const seen = new Set<string>();
    let records = 0;
    for (let page = 1; url; page++) {
      if (this.maxPages !== undefined && page > this.maxPages) return;
      seen.add(url);
      const body = await this.getJson(url, page);
      const parsed = readPage(body, this.flavour, url, page, this.redact.bind(this));
      records += parsed.results.length;
      this.onProgress?.({ url, page, totalPages: parsed.totalPages, records, totalRecords: parsed.total });
      yield parsed;
      const next: string | null = parsed.next === null ? null : new URL(parsed.next, url).toString();
      if (next !== null && seen.has(next)) {
        throw new ApiError('API_BAD_PAGE', `page ${page} of ${url} links to an already fetched page as 'next' (${next}); stopping to avoid a loop`);
      }
      url = next;
    }
  }

  /** All records of a list endpoint: the concatenated `results` of every page. */
  async list(path = '', params: QueryParams = {}): Promise<Array<Record<string, unknown>>> {
    const out: Array<Record<string, unknown>> = [];
    for await (const page of this.pages(path, params)) for (const r of page.results) out.push(r);
    return out;
  }

  /** One JSON document (a detail endpoint such as `tasks/3/`). */
  async get(path = '', params: QueryParams = {}): Promise<unknown> {
    return this.getJson(this.url(path, params));
  }

  /** POSTs `body` as JSON; returns the decoded answer. Not retried after the request may have reached the server. */
  async post(path: string, body: unknown): Promise<unknown> {
    return this.send('POST', this.url(path), JSON.stringify(body));
  }

  async getJson(url: string, page?: number): Promise<unknown> {
    return this.send('GET', url, undefined, page);
  }

  /** Replaces the secret wherever it appears (server bodies may echo headers). */
  redact(text: string): string {
    const secret = this.#secret?.value;
    return secret ? redactText(text, secretValues([secret], {})) : text;
  }

  toJSON(): Record<string, unknown> {
    return { url: this.baseUrl, flavour: this.flavour, credentials: this.credentialsName ?? null };
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `ApiClient(${this.flavour} ${this.baseUrl})`;
  }

  private async send(method: Method, url: string, body?: string, page?: number): Promise<unknown> {
    const attempts = this.retries + 1;
    let failure: Failure | undefined;
    let tried = 0;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await sleep(this.backoffS * 1000 * 2 ** (attempt - 1));
      tried++;
      let status: number;
      let text: string;
      let contentType: string;
      try {
        const res = await fetch(url, { method, headers: this.headers(body !== undefined), body, signal: AbortSignal.timeout(this.timeoutS * 1000) });
        status = res.status;
        contentType = res.headers.get('content-type') ?? 'none';
        text = await res.text();
      } catch (error) {
        failure = networkFailure(error);
        if (failure.kind === 'network' && NO_RETRY_CODES.has(failure.code)) break;
        // A POST that timed out or lost its connection may have been processed: resend it only if it was refused.
        if (method === 'POST' && !(failure.kind === 'network' && failure.code === 'ECONNREFUSED')) break;
        continue;
      }
      if (status >= 500 || status === 429) {
        failure = { kind: 'http', status, body: text, contentType };
        if (method === 'POST') break; // the server may have stored it before failing
        continue;
      }
      if (status < 200 || status >= 300) throw this.httpError(method, url, status, text, contentType);
      if (status === 204 || text.trim() === '') return null;
      try {
        return JSON.parse(text);
      } catch {
        // Neither the body nor JSON.parse's message (which quotes the body's start) goes into the
        // error: a proxy or a misconfigured server may echo the credential first, and a prefix of
        // a secret escapes redaction by value. No cause either, for the same reason.
        throw new ApiError('API_BAD_JSON', `malformed JSON from ${method} ${url}${page ? ` (page ${page})` : ''}: the website answered a non-JSON body (${bodySize(text)}, content-type ${contentType})`);
      }
    }
    throw this.finalError(method, url, failure!, tried, page);
  }

  private httpError(method: Method, url: string, status: number, text: string, contentType: string): ApiError {
    const detail = this.detailOf(text, contentType);
    if (status === 401 || status === 403) {
      const creds = this.credentialsName
        ? `credentials '${this.credentialsName}'`
        : "no credentials configured: add 'credentials: <name>' to the catalog entry";
      return new ApiError('API_AUTH', `HTTP ${status}: token missing or invalid for ${url} (${creds})${detail}`);
    }
    if (status === 404) return new ApiError('API_NOT_FOUND', `HTTP 404: ${method} ${url} does not exist on the server (check the url and the ids in the catalog entry or parameters)${detail}`);
    return new ApiError('API_HTTP', `HTTP ${status} from ${method} ${url}${detail}`);
  }

  private finalError(method: Method, url: string, failure: Failure, attempts: number, page?: number): ApiError {
    const where = `${method} ${url}${page ? ` (page ${page})` : ''}`;
    const tries = ` after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
    if (failure.kind === 'timeout') {
      return new ApiError('API_TIMEOUT', `${where} timed out${tries}: no answer within timeout_s=${this.timeoutS} s (raise timeout_s in the catalog entry if the server is just slow)`);
    }
    if (failure.kind === 'network') {
      return new ApiError('API_UNREACHABLE', `cannot reach ${new URL(url).host} (${failure.code}) for ${where}${tries}: is the host up and the url right?`);
    }
    return new ApiError('API_HTTP', `HTTP ${failure.status} from ${where}${tries}${this.detailOf(failure.body, failure.contentType)}`);
  }

  /**
   * ` (server says: <detail>)` from a DRF error body (JSON), always redacted; for any other body
   * only its size and type: raw text could start with a credential (see send()).
   */
  private detailOf(text: string, contentType: string): string {
    if (!text.trim()) return '';
    let detail: string;
    try {
      const json = JSON.parse(text) as unknown;
      detail = json && typeof json === 'object' && 'detail' in json ? String((json as { detail: unknown }).detail) : text.trim();
    } catch {
      return ` (the website answered a non-JSON body: ${bodySize(text)}, content-type ${contentType})`;
    }
    // Redacted BEFORE cutting: a secret cut in two would escape redaction by value.
    detail = this.redact(detail).replace(/\s+/g, ' ');
    if (detail.length > 200) detail = `${detail.slice(0, 200)}...`;
    return ` (server says: ${detail})`;
  }
}

function networkFailure(error: unknown): Failure {
  const name = (error as { name?: string })?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return { kind: 'timeout' };
  const cause = (error as { cause?: { code?: string; name?: string; message?: string } })?.cause;
  if (cause?.name === 'TimeoutError' || cause?.name === 'AbortError') return { kind: 'timeout' };
  const code = cause?.code ?? (error as { code?: string })?.code ?? 'ENETWORK';
  return { kind: 'network', code, detail: cause?.message ?? messageOf(error) };
}

function bodySize(text: string): string {
  const n = Buffer.byteLength(text);
  return `${n.toLocaleString('en')} byte${n === 1 ? '' : 's'}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
