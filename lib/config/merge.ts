import { ConfigError } from './errors';

export type ConfigMap = Record<string, unknown>;

export function isPlainObject(value: unknown): value is ConfigMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * `override` merged into `base`, recursively for nested mappings; lists and scalars are
 * replaced whole (as OmegaConf does). Returns new objects; inputs are not mutated.
 */
export function deepMerge(base: ConfigMap, override: ConfigMap): ConfigMap {
  const out: ConfigMap = { ...base };
  for (const [key, value] of Object.entries(override)) {
    const prev = Object.hasOwn(out, key) ? out[key] : undefined;
    setOwn(out, key, isPlainObject(prev) && isPlainObject(value) ? deepMerge(prev, value) : value);
  }
  return out;
}

/** The value at a dotted path (`a.b.c`), or undefined. */
export function getNested(obj: unknown, dotted: string): unknown {
  let cur: unknown = obj;
  for (const part of dotted.split('.')) {
    if (!isPlainObject(cur) || !Object.prototype.hasOwnProperty.call(cur, part)) return undefined;
    cur = cur[part];
  }
  return cur;
}

export function hasNested(obj: unknown, dotted: string): boolean {
  const parts = dotted.split('.');
  const last = parts.pop()!;
  const parent = parts.length ? getNested(obj, parts.join('.')) : obj;
  return isPlainObject(parent) && Object.prototype.hasOwnProperty.call(parent, last);
}

/**
 * Sets `obj.a.b.c = value` for the path `'a.b.c'`, creating intermediate mappings. Mutates
 * and returns `obj`. A scalar in the way is an error (overwriting it silently would drop a
 * value the user configured).
 */
export function setNested<T extends ConfigMap>(obj: T, dotted: string, value: unknown): T {
  const parts = dotted.split('.');
  if (parts.some((p) => p === '')) throw new ConfigError(`Invalid key '${dotted}': empty segment in dotted path`);
  let cur: ConfigMap = obj;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i]!;
    const next = Object.hasOwn(cur, part) ? cur[part] : undefined;
    if (next === undefined || next === null) {
      const created: ConfigMap = {};
      setOwn(cur, part, created);
      cur = created;
    } else if (isPlainObject(next)) {
      cur = next;
    } else {
      const at = parts.slice(0, i + 1).join('.');
      throw new ConfigError(`Cannot set '${dotted}': '${at}' is a ${describeType(next)}, not a mapping`);
    }
  }
  setOwn(cur, parts[parts.length - 1]!, value);
  return obj;
}

/**
 * `obj[key] = value` as an own data property, whatever the key: assigning `__proto__` would
 * replace the object's prototype, and `constructor`/`toString` must not read Object's.
 */
export function setOwn(obj: ConfigMap, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
}

/** Every leaf path of a nested mapping (`a.b`, `a.c`, ...), mappings included as prefixes. */
export function allPaths(obj: ConfigMap, prefix = ''): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(obj)) {
    const p = prefix ? `${prefix}.${k}` : k;
    out.push(p);
    if (isPlainObject(v)) out.push(...allPaths(v, p));
  }
  return out;
}

export function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  if (isPlainObject(value)) return 'mapping';
  return typeof value;
}
