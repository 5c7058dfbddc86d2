import { parse } from 'yaml';
import { ConfigError } from './errors';
import type { ConfigKind } from './files';
import { getNested, hasNested, isPlainObject, type ConfigMap } from './merge';

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
}

const TOKEN = /(?<!\\)\$\{([^${}]*)\}/g;
const WHOLE = /^\$\{([^${}]*)\}$/;
const RESOLVER = /^([A-Za-z_][\w.]*):(.*)$/s;

/**
 * Resolves OmegaConf-style interpolations in a config tree: `${globals:key[, default]}`,
 * `${runtime_params:key[, default]}`, `${oc.env:VAR[, default]}` (credentials only: env values are
 * secrets and must not leak into parameters or the catalog, which the dashboard shows) and
 * `${a.b}` self references within the same kind. A string that is exactly one `${...}` keeps the
 * referenced value's type; otherwise values are joined into the string. `\${` escapes.
 */
export function resolveInterpolations(ctx: InterpolationContext): ConfigMap {
  const done = new Map<string, unknown>();

  const resolveValue = (value: unknown, keyPath: string, stack: string[]): unknown => {
    // a walk from the root starts its chain at the key itself, so cycles read `a -> b -> a`
    if (typeof value === 'string') return resolveString(value, keyPath, stack.length ? stack : [keyPath]);
    if (Array.isArray(value)) return value.map((v, i) => resolveValue(v, `${keyPath}[${i}]`, stack));
    if (isPlainObject(value)) {
      const out: ConfigMap = {};
      for (const [k, v] of Object.entries(value)) out[k] = resolveValue(v, keyPath ? `${keyPath}.${k}` : k, stack);
      return out;
    }
    return value;
  };

  const resolveString = (s: string, keyPath: string, stack: string[]): unknown => {
    if (!s.includes('${')) return s;
    const whole = WHOLE.exec(s);
    if (whole) return resolveToken(whole[0], whole[1]!, keyPath, stack);
    return s
      .replace(TOKEN, (token, inner: string) => {
        const v = resolveToken(token, inner, keyPath, stack);
        if (typeof v === 'object' && v !== null) {
          throw fail(token, keyPath, 'it refers to a mapping or list, which cannot be joined into a string');
        }
        return String(v);
      })
      .replace(/\\\$\{/g, '${');
  };

  const resolveToken = (token: string, inner: string, keyPath: string, stack: string[]): unknown => {
    const resolver = RESOLVER.exec(inner.trim());
    if (!resolver) return selfReference(token, inner.trim(), keyPath, stack);
    const [name, args] = [resolver[1]!, resolver[2]!];
    const comma = args.indexOf(',');
    const key = (comma < 0 ? args : args.slice(0, comma)).trim();
    const fallback = comma < 0 ? undefined : { value: parseDefault(args.slice(comma + 1)) };
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
      default:
        throw fail(token, keyPath, `unknown resolver '${name}' (supported: globals, runtime_params, oc.env)`);
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

  const fail = (token: string, keyPath: string, reason: string): ConfigError =>
    new ConfigError(`Cannot resolve '${token}' in ${ctx.fileOf(keyPath)} at '${keyPath}': ${reason}`);

  return resolveValue(ctx.root, '', []) as ConfigMap;
}

function parseDefault(raw: string): unknown {
  const text = raw.trim();
  if (text === '') return '';
  try {
    return parse(text);
  } catch {
    return text;
  }
}
