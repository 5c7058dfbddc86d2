/** Key names whose values never reach the store: runtime params come from a CLI line or a form. */
const SECRET_KEY = /token|secret|passw(or)?d|passwd|credential|api[-_]?key|private[-_]?key|auth/i;
export const REDACTED = '***';

/** A deep copy of `value` with the values of secret-looking keys replaced by `***`. */
export function redactSecrets<T>(value: T): T {
  return redact(value) as T;
}

function redact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redact);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = SECRET_KEY.test(k) ? REDACTED : redact(v);
  return out;
}
