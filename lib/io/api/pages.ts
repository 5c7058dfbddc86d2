import { ApiError } from './errors';
import type { ApiFlavour } from './options';

/** One page of a list endpoint, normalised over both flavours. */
export interface ApiPage {
  results: Array<Record<string, unknown>>;
  /** Link to the next page (relative paths allowed), or null on the last page. */
  next: string | null;
  /** Total records (playground `total`, or DRF's usual `count`), when the server says. */
  total?: number;
  /** Number of pages: the playground sends `total_pages` as a float (total / per_page); rounded up here. */
  totalPages?: number;
}

/**
 * Checks one decoded page: both flavours need `results` (a list of objects) and `next` (a link
 * or null); the playground adds `previous`, `total`, `per_page`, `total_pages`. A page without
 * them is an error naming the URL, the page number and the keys that were there, so a wrong url
 * (a detail endpoint, an HTML page) is obvious.
 */
export function readPage(body: unknown, flavour: ApiFlavour, url: string, page: number, redact: (s: string) => string): ApiPage {
  const where = `page ${page} of ${redact(url)}`;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError('API_BAD_PAGE', `${where} is not a paginated answer: expected an object with 'next' and 'results', got ${Array.isArray(body) ? 'a list' : body === null ? 'null' : typeof body} (set 'paginate: false' for endpoints that are not paginated)`);
  }
  const obj = body as Record<string, unknown>;
  const missing = ['next', 'results'].filter((k) => !(k in obj));
  if (missing.length) {
    const keys = Object.keys(obj);
    throw new ApiError(
      'API_BAD_PAGE',
      `${where} is missing field${missing.length > 1 ? 's' : ''} ${missing.map((k) => `'${k}'`).join(', ')} (keys present: ${keys.length ? keys.join(', ') : 'none'})`,
    );
  }
  const { results, next } = obj;
  if (!Array.isArray(results) || results.some((r) => typeof r !== 'object' || r === null || Array.isArray(r))) {
    throw new ApiError('API_BAD_PAGE', `${where}: field 'results' must be a list of objects`);
  }
  if (next !== null && typeof next !== 'string') {
    throw new ApiError('API_BAD_PAGE', `${where}: field 'next' must be a link or null, got ${typeof next}`);
  }
  const total = numberField(obj, flavour === 'playground' ? ['total', 'count'] : ['count', 'total'], where);
  let totalPages: number | undefined;
  const rawPages = numberField(obj, ['total_pages'], where);
  if (rawPages !== undefined) totalPages = Math.max(1, Math.ceil(rawPages - 1e-9));
  else {
    const perPage = numberField(obj, ['per_page'], where);
    if (total !== undefined && perPage) totalPages = Math.max(1, Math.ceil(total / perPage));
  }
  return { results: results as Array<Record<string, unknown>>, next, total, totalPages };
}

function numberField(obj: Record<string, unknown>, keys: string[], where: string): number | undefined {
  for (const key of keys) {
    const v = obj[key];
    if (v === undefined || v === null) continue;
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ApiError('API_BAD_PAGE', `${where}: field '${key}' must be a number, got ${JSON.stringify(v)}`);
    }
    return v;
  }
  return undefined;
}
