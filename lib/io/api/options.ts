import { z } from 'zod';
import { ApiError } from './errors';

export type ApiFlavour = 'playground' | 'dials';
export type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number>;
export type QueryParams = Readonly<Record<string, QueryValue>>;

/** DIALS refuses page sizes above this (its cursor pagination maximum). */
export const DIALS_MAX_PAGE_SIZE = 500;

/** One page fetched while listing, for progress lines. `totalPages` is unknown for cursor paging. */
export interface PageProgress {
  url: string;
  page: number;
  totalPages?: number;
  records: number;
  totalRecords?: number;
}

/** The secret that goes into the request headers, resolved from a credentials entry. */
export interface ApiSecret {
  kind: 'token' | 'client_secret';
  value: string;
}

/** Everything an ApiClient needs; `credentialsName` is only for messages. */
export interface ApiClientOptions {
  url: string;
  flavour?: ApiFlavour;
  secret?: ApiSecret;
  credentialsName?: string;
  timeoutS?: number;
  retries?: number;
  backoffS?: number;
  pageSize?: number;
  workspace?: string;
  maxPages?: number;
  onProgress?: (progress: PageProgress) => void;
}

const queryValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.union([z.string(), z.number()]))]);

/** The keys an `api.APIDataset` catalog entry accepts (besides the catalog's own `type`, `layer`, ...). */
export const apiEntrySchema = z.looseObject({
  url: z.string().min(1),
  flavour: z.enum(['playground', 'dials']).default('playground'),
  params: z.record(z.string(), queryValue).optional(),
  credentials: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  timeout_s: z.number().positive().default(60),
  retries: z.number().int().min(0).max(10).default(3),
  backoff_s: z.number().min(0).default(1),
  page_size: z.number().int().positive().optional(),
  workspace: z.string().min(1).optional(),
  max_pages: z.number().int().positive().optional(),
  paginate: z.boolean().default(true),
  load_as: z.enum(['records', 'client']).default('records'),
});
export type ApiEntry = z.infer<typeof apiEntrySchema>;

/** Validates a catalog entry's keys; the message names every bad key (the catalog adds the entry name). */
export function parseApiEntry(config: Record<string, unknown>): ApiEntry {
  const result = apiEntrySchema.safeParse(config);
  if (!result.success) {
    const problems = result.error.issues.map((i) => {
      const key = i.path.map(String).join('.') || '(entry)';
      return config[String(i.path[0])] === undefined ? `'${key}' is required` : `'${key}': ${i.message}`;
    });
    throw new ApiError('API_CONFIG', `APIDataset: ${problems.join('; ')}`);
  }
  const entry = result.data;
  try {
    new URL(entry.url);
  } catch (error) {
    throw new ApiError('API_CONFIG', `APIDataset: 'url' must be an absolute http(s) URL, got '${entry.url}'`, { cause: error });
  }
  if (entry.flavour === 'dials' && entry.page_size !== undefined && entry.page_size > DIALS_MAX_PAGE_SIZE) {
    throw new ApiError('API_CONFIG', `APIDataset: page_size ${entry.page_size} is above DIALS's maximum of ${DIALS_MAX_PAGE_SIZE}`);
  }
  return entry;
}

/**
 * Turns a credentials value into the secret sent in headers. Accepted forms: a plain string
 * (the token), `{ token }`, or `{ client_secret }` (DIALS only). The catalog may hand us either
 * the entry's value or the whole credentials map; both work. Missing or empty -> no secret
 * (the website then answers 401 and the message says which credentials entry to fill in).
 */
export function resolveSecret(
  flavour: ApiFlavour,
  credentialsName: string | undefined,
  credentials: unknown,
): ApiSecret | undefined {
  let value = credentials;
  if (credentialsName && isRecord(value) && credentialsName in value && !('token' in value) && !('client_secret' in value)) {
    value = value[credentialsName];
  }
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return { kind: 'token', value };
  if (isRecord(value)) {
    if (typeof value.token === 'string' && value.token) return { kind: 'token', value: value.token };
    if (typeof value.client_secret === 'string' && value.client_secret) {
      if (flavour !== 'dials') {
        throw new ApiError(
          'API_CONFIG',
          `APIDataset: credentials${credentialsName ? ` '${credentialsName}'` : ''} hold a client_secret, which only DIALS accepts; the playground needs { token: ... }`,
        );
      }
      return { kind: 'client_secret', value: value.client_secret };
    }
    if ('token' in value || 'client_secret' in value) return undefined;
  }
  throw new ApiError(
    'API_CONFIG',
    `APIDataset: credentials${credentialsName ? ` '${credentialsName}'` : ''} must be a token string, { token: ... } or { client_secret: ... }`,
  );
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * zod issues as one line of `'prefix.key': problem` items; a missing key says "is required"
 * rather than zod's "expected number, received undefined".
 */
export function formatIssues(issues: readonly z.core.$ZodIssue[], prefix: string, input: unknown): string {
  return issues
    .map((i) => {
      const key = [prefix, ...i.path.map(String)].filter(Boolean).join('.');
      const value = i.path.reduce<unknown>((cur, k) => (cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[String(k)] : undefined), input);
      return value === undefined ? `'${key}' is required` : `'${key}': ${i.message}`;
    })
    .join('; ');
}
