/** Key names whose values never reach the store: runtime params come from a CLI line or a form. */
const SECRET_KEY = /token|secret|passw(or)?d|passwd|credential|api[-_]?key|private[-_]?key|auth/i;
export const REDACTED = '***';
/** Shorter values are not hunted for in text: they would blank out ordinary words and numbers. */
const MIN_SECRET_LENGTH = 4;
const MIN_ENV_SECRET_LENGTH = 6;

/** A deep copy of `value` with the values of secret-looking keys replaced by `***`. */
export function redactSecrets<T>(value: T): T {
  return redact(value) as T;
}

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== 'object') return value;
  // fromEntries defines own properties: a `__proto__` key stays a key, never the copy's prototype.
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEY.test(k) ? REDACTED : redact(v)]));
}

/**
 * The secret values of a project, to hide BY VALUE wherever text is stored or streamed (node
 * output, errors, tracebacks): every string in its credentials (conf/**\/credentials*.yml, env
 * interpolations resolved) and the environment variables with secret-looking names.
 */
export function secretValues(credentials: unknown, env: Record<string, string | undefined> = process.env): string[] {
  const out = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === 'string') {
      if (v.length >= MIN_SECRET_LENGTH) out.add(v);
    } else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(credentials);
  for (const [k, v] of Object.entries(env)) if (v && v.length >= MIN_ENV_SECRET_LENGTH && SECRET_KEY.test(k)) out.add(v);
  // Longest first: a secret that contains another is replaced whole.
  return [...out].sort((a, b) => b.length - a.length);
}

/** `text` with every occurrence of each secret replaced by `***`. */
export function redactText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (out.includes(s)) out = out.split(s).join(REDACTED);
  return out;
}

/** A deep copy of a JSON-like value with secret keys and secret values (inside strings too) redacted. */
export function redactAll<T>(value: T, secrets: readonly string[]): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactText(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    if (v === null || typeof v !== 'object') return v;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, SECRET_KEY.test(k) ? REDACTED : walk(x)]));
  };
  return walk(value) as T;
}
