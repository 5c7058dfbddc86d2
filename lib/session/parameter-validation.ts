import { describeType, getNested, hasNested, isPlainObject, setNested, type ConfigMap } from '../config';
import type { ParameterIssue, ParameterSchema } from '../pipeline';
import { ProjectError } from './errors';

export interface DeclaredSchema {
  /** Parameter key, dotted, without `params:` (e.g. `data_processing` or `data_processing.min_entries`). */
  key: string;
  schema: ParameterSchema;
  /** Who declared it, for messages (e.g. `node 'layer_1.summary'`). */
  declaredBy: string;
}

/**
 * Checks the parameters against the schemas pipelines declare (Kedro 1.3's typed parameters)
 * and returns the parameters with each checked value replaced by the schema's output (zod's
 * defaults and transforms apply, as Kedro instantiates the typed models). A key the config does
 * not define is left to the run's missing-input check, as Kedro skips it. Every problem is
 * reported at once, each naming the full key and the file that set it.
 */
export function validateParameters(
  parameters: ConfigMap,
  schemas: readonly DeclaredSchema[],
  fileOf: (key: string) => string | undefined,
): ConfigMap {
  let out = parameters;
  const problems: string[] = [];
  for (const { key, schema } of schemas) {
    if (!hasNested(parameters, key)) continue;
    const raw = getNested(parameters, key);
    const result = schema.safeParse(raw);
    if (result.success) {
      if (result.data !== raw) out = setNested(out === parameters ? structuredClone(parameters) : out, key, result.data);
      continue;
    }
    for (const issue of result.error.issues) problems.push(describeIssue(key, raw, issue, fileOf));
  }
  if (problems.length) throw new ProjectError([...new Set(problems)].join('; '), { code: 'PARAMETER_VALIDATION' });
  return out;
}

function describeIssue(key: string, raw: unknown, issue: ParameterIssue, fileOf: (key: string) => string | undefined): string {
  const full = [key, ...issue.path.map(String)].join('.');
  const value = issue.path.reduce<unknown>((cur, k) => (isPlainObject(cur) || Array.isArray(cur) ? (cur as Record<string, unknown>)[String(k)] : undefined), raw);
  const file = fileOf(full) ?? fileOf(key);
  const where = `Parameter '${full}'${file ? ` in ${file}` : ''}`;
  if (issue.code === 'unrecognized_keys' && issue.keys?.length) {
    return `${where} has unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  }
  if (value === undefined) return `${where} is required${issue.expected ? ` (${article(String(issue.expected))})` : ''} but not set`;
  switch (issue.code) {
    case 'invalid_type':
      return `${where} must be ${article(String(issue.expected))}, got ${show(value)}`;
    case 'invalid_value':
      return `${where} must be one of ${(issue.values ?? []).map(show).join(', ')}, got ${show(value)}`;
    case 'too_small':
      return `${where} must be ${bound('>', issue.minimum, issue.inclusive, value)}, got ${show(value)}`;
    case 'too_big':
      return `${where} must be ${bound('<', issue.maximum, issue.inclusive, value)}, got ${show(value)}`;
    default:
      return `${where}: ${issue.message}, got ${show(value)}`;
  }
}

function bound(dir: '>' | '<', limit: unknown, inclusive: boolean | undefined, value: unknown): string {
  const op = `${dir}${inclusive === false ? '' : '='}`;
  if (typeof value === 'string') return `${dir === '>' ? 'at least' : 'at most'} ${String(limit)} characters long`;
  if (Array.isArray(value)) return `a list of ${dir === '>' ? 'at least' : 'at most'} ${String(limit)} items`;
  return `${op} ${String(limit)}`;
}

/** `'ten'` for strings, the YAML-ish text for numbers and booleans, the type for the rest. */
function show(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return article(describeType(value));
}

function article(type: string): string {
  const word = type === 'object' || type === 'record' ? 'mapping' : type === 'array' ? 'list' : type;
  return `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;
}
