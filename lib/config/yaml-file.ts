import { readFileSync } from 'node:fs';
import { isScalar, LineCounter, parseDocument, visit } from 'yaml';
import { ConfigError } from './errors';
import { describeType, isPlainObject, type ConfigMap } from './merge';

/**
 * Reads one YAML or JSON config file (JSON is parsed as YAML 1.2, so errors get the same
 * line:column). `label` is the path shown in messages (relative to the project root).
 * An empty file is an empty mapping; anything but a mapping at the top level is an error.
 * YAML merge keys (`<<: *anchor`) are supported, as in Kedro.
 */
export function readConfigFile(absPath: string, label: string): ConfigMap {
  let src: string;
  try {
    src = readFileSync(absPath, 'utf8');
  } catch (error) {
    throw new ConfigError(`Cannot read config file ${label}: ${(error as Error).message}`, { cause: error });
  }
  return parseConfigText(src, label);
}

export function parseConfigText(src: string, label: string): ConfigMap {
  const lineCounter = new LineCounter();
  const doc = parseDocument(src, { uniqueKeys: true, merge: true, prettyErrors: false, lineCounter });
  const error = doc.errors[0];
  if (error) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    const where = `${label} at line ${line}, column ${col}`;
    if (error.code === 'DUPLICATE_KEY') {
      const key = keyAt(doc, error.pos[0]);
      throw new ConfigError(`Duplicate key${key === undefined ? '' : ` '${key}'`} in ${where}: a key may appear only once in a mapping`, { cause: error });
    }
    if (error.code === 'TAB_AS_INDENT') {
      throw new ConfigError(`Malformed YAML in ${where}: a tab character is used for indentation; YAML indents with spaces only`, { cause: error });
    }
    throw new ConfigError(`Malformed YAML in ${where}: ${error.message}`, { cause: error });
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 10_000 });
  } catch (cause) {
    throw new ConfigError(`Malformed YAML in ${label}: ${(cause as Error).message}`, { cause });
  }
  if (value === null || value === undefined) return {};
  if (!isPlainObject(value)) {
    throw new ConfigError(`Config file ${label} must contain a mapping of keys at the top level, got a ${describeType(value)}`);
  }
  return value;
}

function keyAt(doc: ReturnType<typeof parseDocument>, offset: number): string | undefined {
  let found: string | undefined;
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.range?.[0] === offset) {
        found = String(pair.key.value);
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return found;
}
