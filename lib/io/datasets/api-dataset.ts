import { reportProgress } from '../../progress';
import { ApiClient } from '../api/client';
import { ApiError } from '../api/errors';
import { parseApiEntry, resolveSecret, type ApiEntry, type PageProgress } from '../api/options';
import { AbstractDataset } from '../dataset';
import type { DatasetContext } from '../dataset-context';

/**
 * A REST endpoint of the DQM playground website or of DIALS (`api.APIDataset`, Kedro's
 * `api.APIDataSet`). `load()` GETs every page and returns the concatenated `results` (records);
 * with `paginate: false` the decoded answer as is (a detail endpoint such as `tasks/3/`); with
 * `load_as: client` an ApiClient bound to the url and credentials, for nodes that query
 * dynamically (data_extraction; tag such nodes `main_thread`: a client does not cross threads).
 * `save()` POSTs the data as JSON (uploads). The token comes from credentials and never appears
 * in messages, `describe()` or JSON.
 */
export class APIDataset extends AbstractDataset<unknown> {
  private readonly entry: ApiEntry;
  private readonly client: ApiClient;

  constructor(config: Record<string, unknown>, ctx: DatasetContext) {
    super();
    this.entry = parseApiEntry(config);
    const credentialsName = typeof config.credentials === 'string' ? config.credentials : undefined;
    const credentials = ctx.credentials ?? (typeof config.credentials === 'object' ? config.credentials : undefined);
    this.client = new ApiClient({
      url: this.entry.url,
      flavour: this.entry.flavour,
      secret: resolveSecret(this.entry.flavour, credentialsName, credentials),
      credentialsName,
      timeoutS: this.entry.timeout_s,
      retries: this.entry.retries,
      backoffS: this.entry.backoff_s,
      pageSize: this.entry.page_size,
      workspace: this.entry.workspace,
      maxPages: this.entry.max_pages,
      onProgress: progressLine,
    });
  }

  /** The client (same url, credentials and settings), e.g. for tests and scripts. */
  getClient(): ApiClient {
    return this.client;
  }

  override get persisted(): boolean {
    return this.entry.load_as === 'records';
  }

  protected async doLoad(): Promise<unknown> {
    if (this.entry.load_as === 'client') return this.client;
    const params = this.entry.params ?? {};
    return this.entry.paginate ? this.client.list('', params) : this.client.get('', params);
  }

  protected async doSave(data: unknown): Promise<void> {
    if (this.entry.load_as === 'client') throw new ApiError('API_CONFIG', "an API dataset with 'load_as: client' cannot be saved to; use a records entry for uploads");
    await this.client.post('', data);
  }

  /** True if the endpoint answers; false on 404. Auth and network failures are errors (they need fixing). */
  protected async doExists(): Promise<boolean> {
    try {
      await this.client.getJson(this.client.url('', { ...(this.entry.params ?? {}) }));
      return true;
    } catch (error) {
      if (error instanceof ApiError && error.apiCode === 'API_NOT_FOUND') return false;
      throw error;
    }
  }

  protected doDescribe(): Record<string, unknown> {
    const e = this.entry;
    const out: Record<string, unknown> = { url: e.url, flavour: e.flavour };
    if (e.params) out.params = e.params;
    if (e.workspace) out.workspace = e.workspace;
    if (e.page_size) out.page_size = e.page_size;
    if (e.load_as !== 'records') out.load_as = e.load_as;
    out.timeout_s = e.timeout_s;
    out.retries = e.retries;
    return out;
  }
}

/** Progress while paging: inside a run, the runner's progress event ("page 2/3"); a no-op elsewhere. */
function progressLine(p: PageProgress): void {
  // Cursor paging (DIALS) has no page count: total 0 = unknown.
  reportProgress(p.page, p.totalPages ?? 0, 'pages');
}
