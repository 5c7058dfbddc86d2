import { parse } from 'yaml';
import { ConfigError } from './errors';
import type { ConfigKind } from './files';
import { getNested, hasNested, isPlainObject, setOwn, type ConfigMap } from './merge';
import { interpolationSpans, splitTopLevel } from './interpolation-syntax';

/** A custom resolver (`${name:arg1,arg2}`): its arguments typed as YAML scalars, as OmegaConf does. */
export type CustomResolver = (...args: unknown[]) => unknown;

/** What `${...}` can see while one kind of config (catalog, parameters, ...) is resolved. */
export interface InterpolationContext {
  kind: ConfigKind;
  /** The merged config of this kind (underscore keys included): target of `${a.b}` self references. */
  root: ConfigMap;
  globals: ConfigMap;
  runtimeParams: ConfigMap;
  /** The file (relative label) that defined a key path, for messages. */
  fileOf: (keyPath: string) => string;
  env?: Record<string, string | undefined>;
  /** Resolvers registered in pipelines/settings.ts (`configLoaderArgs.customResolvers`). */
  resolvers?: Readonly<Record<string, CustomResolver>>;
}

const RESOLVER = /^([A-Za-z_][\w.]*):(.*)$/s;

/** Resolver names the loader defines itself; a custom resolver may not take one. */
export const BUILT_IN_RESOLVERS = ['globals', 'runtime_params', 'oc.env', 'oc.select', 'oc.dict.keys', 'oc.dict.values'] as const;

/**
 * Resolves OmegaConf-style interpolations in a config tree: `${globals:key[, default]}`,
 * `${runtime_params:key[, default]}`, `${oc.env:VAR[, default]}` (credentials only: env values are
 * secrets and must not leak into parameters or the catalog, which the dashboard shows),
 * `${oc.select:key[, default]}`, `${oc.dict.keys:key}`, `${oc.dict.values:key}`, custom resolvers
 * and `${a.b}` self references within the same kind. Interpolations nest (`${add:${a},2}`). A
 * string that is exactly one `${...}` keeps the referenced value's type; otherwise values are
 * joined into the string. `\${` escapes.
 */
export function resolveInterpolations(ctx: InterpolationContext): ConfigMap {
  const done = new Map<string, unknown>();
  const resolvers = ctx.resolvers ?? {};

  const resolveValue = (value: unknown, keyPath: string, stack: string[]): unknown => {
    // a walk from the root starts its chain at the key itself, so cycles read `a -> b -> a`
    if (typeof value === 'string') return resolveString(value, keyPath, stack.length ? stack : [keyPath]);
    if (Array.isArray(value)) return value.map((v, i) => resolveValue(v, `${keyPath}[${i}]`, stack));
    if (isPlainObject(value)) {
      const out: ConfigMap = {};
      for (const [k, v] of Object.entries(value)) setOwn(out, k, resolveValue(v, keyPath ? `${keyPath}.${k}` : k, stack));
      return out;
    }
    return value;
  };

  const resolveString = (s: string, keyPath: string, stack: string[]): unknown => {
    if (!s.includes('${')) return s;
    const spans = interpolationSpans(s);
    const whole = spans.length === 1 && spans[0]!.start === 0 && spans[0]!.end === s.length;
    if (whole) return resolveToken(s, spans[0]!.inner, keyPath, stack);
    let out = '';
    let last = 0;
    for (const { start, end, inner } of spans) {
      const token = s.slice(start, end);
      const v = resolveToken(token, inner, keyPath, stack);
      if (typeof v === 'object' && v !== null) {
        throw fail(token, keyPath, 'it refers to a mapping or list, which cannot be joined into a string');
      }
      out += s.slice(last, start) + String(v);
      last = end;
    }
    return (out + s.slice(last)).replace(/\\\$\{/g, '${');
  };

  /** One resolver argument: nested interpolations resolved, then typed as a YAML scalar. */
  const argument = (raw: string, token: string, keyPath: string, stack: string[]): unknown => {
    const text = raw.trim();
    if (text.includes('${')) return resolveString(text, keyPath, stack);
    return parseScalar(text);
  };

  const resolveToken = (token: string, rawInner: string, keyPath: string, stack: string[]): unknown => {
    const inner = rawInner.trim();
    const resolver = RESOLVER.exec(inner);
    if (!resolver) {
      const ref = inner.includes('${') ? String(resolveString(inner, keyPath, stack)) : inner;
      return selfReference(token, ref, keyPath, stack);
    }
    const [name, args] = [resolver[1]!, resolver[2]!];
    let parts: string[];
    try {
      parts = splitTopLevel(args);
    } catch (error) {
      throw fail(token, keyPath, `its arguments cannot be read: ${(error as Error).message}`);
    }
    const [first = '', ...rest] = parts;
    const key = String(argument(first, token, keyPath, stack));
    const fallback = rest.length ? { value: argument(rest.join(','), token, keyPath, stack) } : undefined;
    switch (name) {
      case 'globals':
        if (hasNested(ctx.globals, key)) return getNested(ctx.globals, key);
        if (fallback) return fallback.value;
        throw fail(token, keyPath, `'${key}' is not defined in globals (globals*.yml in conf/base or the run environment)`);
      case 'runtime_params':
        if (hasNested(ctx.runtimeParams, key)) return getNested(ctx.runtimeParams, key);
        if (fallback) return fallback.value;
        throw fail(token, keyPath, `runtime parameter '${key}' was not given (pass --params ${key}=... or add a default: \${runtime_params:${key}, <default>})`);
      case 'oc.env': {
        if (ctx.kind !== 'credentials') {
          throw fail(token, keyPath, '${oc.env:...} is only allowed in credentials files (credentials*.yml), so that environment values never reach parameters or the catalog');
        }
        const env = ctx.env ?? process.env;
        const v = env[key];
        if (v !== undefined) return v;
        if (fallback) return fallback.value;
        throw fail(token, keyPath, `environment variable '${key}' is not set`);
      }
      case 'oc.select':
        if (hasNested(ctx.root, key)) return selfReference(token, key, keyPath, stack);
        return fallback ? fallback.value : null; // OmegaConf's oc.select gives None for a missing key
      case 'oc.dict.keys':
      case 'oc.dict.values': {
        const mapping = selfReference(token, key, keyPath, stack);
        if (!isPlainObject(mapping)) throw fail(token, keyPath, `'${key}' is not a mapping`);
        return name === 'oc.dict.keys' ? Object.keys(mapping) : Object.values(mapping);
      }
      default: {
        const custom = Object.prototype.hasOwnProperty.call(resolvers, name) ? resolvers[name] : undefined;
        if (!custom) {
          const known = [...BUILT_IN_RESOLVERS, ...Object.keys(resolvers)].join(', ');
          throw fail(token, keyPath, `unknown resolver '${name}' (supported: ${known}; add your own in pipelines/settings.ts: configLoaderArgs.customResolvers)`);
        }
        const values = parts.map((a) => argument(a, token, keyPath, stack));
        let out: unknown;
        try {
          out = custom(...(args.trim() === '' ? [] : values));
        } catch (error) {
          throw fail(token, keyPath, `resolver '${name}' failed: ${error instanceof Error ? error.message : String(error)}`, error);
        }
        if (out instanceof Promise) throw fail(token, keyPath, `resolver '${name}' returned a Promise; resolvers must be synchronous`);
        return out;
      }
    }
  };

  const selfReference = (token: string, ref: string, keyPath: string, stack: string[]): unknown => {
    if (done.has(ref)) return done.get(ref);
    if (!/^[^\s:]+$/.test(ref) || !hasNested(ctx.root, ref)) {
      throw fail(token, keyPath, `'${ref}' is not defined in ${ctx.kind}`);
    }
    if (stack.includes(ref)) {
      throw fail(token, keyPath, `interpolation cycle ${[...stack, ref].join(' -> ')}`);
    }
    const value = resolveValue(getNested(ctx.root, ref), ref, [...stack, ref]);
    done.set(ref, value);
    return value;
  };

  const fail = (token: string, keyPath: string, reason: string, cause?: unknown): ConfigError =>
    new ConfigError(`Cannot resolve '${token}' in ${ctx.fileOf(keyPath)} at '${keyPath}': ${reason}`, { cause });

  return resolveValue(ctx.root, '', []) as ConfigMap;
}

/** `1` -> 1, `true` -> true, `'a,b'` -> 'a,b', `[1, 2]` -> [1, 2], anything unparseable stays text. */
function parseScalar(text: string): unknown {
  if (text === '') return '';
  try {
    return parse(text);
  } catch {
    return text;
  }
}
