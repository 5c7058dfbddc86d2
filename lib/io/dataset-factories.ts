import { DatasetError } from './errors';

/** A catalog key with `{placeholders}`: a dataset factory (Kedro 0.18.12+). */
export interface DatasetPattern {
  pattern: string;
  regex: RegExp;
  names: string[];
}

export function isPattern(key: string): boolean {
  return key.includes('{');
}

/**
 * Compiles a pattern with the semantics of Python's `parse` as Kedro uses it: each `{name}`
 * (or `{name:spec}`, spec ignored) matches one or more characters, lazily, and the pattern must
 * match the whole dataset name; a name used twice must match the same text both times.
 */
export function compilePattern(pattern: string): DatasetPattern {
  const names: string[] = [];
  let source = '^';
  let last = 0;
  const field = /\{([^{}:]*)(?::[^{}]*)?\}/g;
  for (let m = field.exec(pattern); m; m = field.exec(pattern)) {
    source += escapeRegex(pattern.slice(last, m.index));
    const name = m[1]!;
    if (!/^[A-Za-z_]\w*$/.test(name)) {
      throw new DatasetError(`Dataset factory pattern '${pattern}' has an invalid placeholder '{${name}}' (use names like {name} or {layer})`);
    }
    const seen = names.indexOf(name);
    if (seen >= 0) source += `\\${seen + 1}`;
    else {
      names.push(name);
      source += '(.+?)';
    }
    last = m.index + m[0].length;
  }
  source += `${escapeRegex(pattern.slice(last))}$`;
  return { pattern, regex: new RegExp(source, 's'), names };
}

/** The placeholder values if `name` matches, else undefined. */
export function matchPattern(p: DatasetPattern, name: string): Record<string, string> | undefined {
  const m = p.regex.exec(name);
  if (!m) return undefined;
  return Object.fromEntries(p.names.map((n, i) => [n, m[i + 1]!]));
}

/** Characters outside the placeholders: Kedro's "specificity". */
export function specificity(pattern: string): number {
  return pattern.replace(/\{.*?\}/g, '').length;
}

/**
 * Kedro's ranking (CatalogConfigResolver._sort_patterns): more characters outside placeholders
 * first, then MORE placeholders first, then alphabetically. At most one catch-all pattern
 * (specificity 0, e.g. `"{default}"`) may exist; it always ranks last.
 */
export function sortPatterns(patterns: string[]): string[] {
  const sorted = [...patterns].sort(
    (a, b) => specificity(b) - specificity(a) || count(b) - count(a) || (a < b ? -1 : a > b ? 1 : 0),
  );
  const catchAll = sorted.filter((p) => specificity(p) === 0);
  if (catchAll.length > 1) {
    throw new DatasetError(`Multiple catch-all dataset factory patterns in the catalog: ${catchAll.map((p) => `'${p}'`).join(', ')}. Only one is allowed; remove the others.`);
  }
  return sorted;
}

function count(pattern: string): number {
  return (pattern.match(/\{/g) ?? []).length;
}

/**
 * The entry config for a matched name: `{placeholder}` replaced in every string value, nested
 * ones included (Kedro's format_map). A placeholder the pattern does not define is an error.
 */
export function substitute(value: unknown, vars: Record<string, string>, pattern: string): unknown {
  if (typeof value === 'string') {
    return value.replace(/\{([A-Za-z_]\w*)\}/g, (token, name: string) => {
      const v = vars[name];
      if (v === undefined) {
        throw new DatasetError(`Unable to resolve '${value}' from the dataset factory pattern '${pattern}': '{${name}}' is not a placeholder of the pattern (it has ${Object.keys(vars).map((k) => `{${k}}`).join(', ') || 'none'})`);
      }
      return v;
    });
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars, pattern));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars, pattern)]));
  }
  return value;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
