import { parse } from 'yaml';
import { ConfigError } from './errors';
import { splitTopLevel } from './interpolation-syntax';
import { setNested, type ConfigMap } from './merge';

/**
 * Parses `--params` as Kedro does: `a.b=1,c=[1,2],name=x` -> `{ a: { b: 1 }, c: [1, 2], name: 'x' }`.
 * Dotted keys nest; values are typed as YAML (numbers, booleans, null, lists, mappings), and
 * commas inside `[]`, `{}` or quotes do not split pairs. An empty value is the empty string.
 */
export function parseRuntimeParams(input: string): ConfigMap {
  const out: ConfigMap = {};
  const seen = new Set<string>();
  const text = input.trim();
  if (text === '') return out;
  for (const piece of splitPairs(text)) {
    const pair = piece.trim();
    const eq = pair.indexOf('=');
    if (eq < 0) throw invalid(pair, 'expected key=value pairs separated by commas');
    const key = pair.slice(0, eq).trim();
    const raw = pair.slice(eq + 1).trim();
    if (key === '') throw invalid(pair, "empty key before '='");
    if (/\s/.test(key)) throw invalid(pair, `key '${key}' contains whitespace`);
    if (seen.has(key)) throw invalid(pair, `key '${key}' is given twice`);
    seen.add(key);
    let value: unknown;
    try {
      value = raw === '' ? '' : parse(raw, { uniqueKeys: true });
    } catch (error) {
      throw new ConfigError(`Invalid --params '${pair}': the value of '${key}' is not valid YAML (${firstLine(error)})`, { cause: error });
    }
    try {
      setNested(out, key, value);
    } catch (error) {
      throw new ConfigError(`Invalid --params '${pair}': ${(error as Error).message}`, { cause: error });
    }
  }
  return out;
}

/** `splitTopLevel` with its reason in the --params message. */
function splitPairs(text: string): string[] {
  try {
    return splitTopLevel(text);
  } catch (error) {
    throw invalid(text, (error as Error).message);
  }
}

function invalid(piece: string, reason: string): ConfigError {
  return new ConfigError(`Invalid --params '${piece}': ${reason}`);
}

function firstLine(error: unknown): string {
  return String((error as Error).message ?? error).split('\n')[0]!;
}

const VERSION = /^\d{4}-\d{2}-\d{2}T\d{2}\.\d{2}\.\d{2}\.\d{3}Z$/;

/**
 * Parses `--load-versions` as Kedro does: `name:YYYY-MM-DDThh.mm.ss.sssZ[,name2:version2]`
 * -> `{ name: version }` (versions contain no `:`, so the last `:` splits; names may hold `:`
 * as in `params:`-like namespaces).
 */
export function parseLoadVersions(input: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const piece of input.split(',').map((p) => p.trim()).filter(Boolean)) {
    const colon = piece.lastIndexOf(':');
    if (colon <= 0) throw new ConfigError(`Invalid --load-versions '${piece}': expected dataset:version pairs separated by commas`);
    const name = piece.slice(0, colon).trim();
    const version = piece.slice(colon + 1).trim();
    if (!VERSION.test(version)) {
      throw new ConfigError(`Invalid --load-versions '${piece}': version '${version}' is not a timestamp like 2024-05-01T10.00.00.000Z`);
    }
    if (name in out) throw new ConfigError(`Invalid --load-versions '${piece}': dataset '${name}' is given twice`);
    out[name] = version;
  }
  return out;
}
