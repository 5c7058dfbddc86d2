import { z } from 'zod';
import { ConfigError } from './errors';
import { describeType, isPlainObject } from './merge';

const mapping = z.record(z.string(), z.unknown());

/**
 * One catalog entry, as Kedro writes it. Known keys are checked; any other key passes through
 * to the dataset type (e.g. `filename_suffix` and `dataset` for PartitionedDataset).
 * `layer` may be given at the top (Kedro 0.18) or as `metadata: {kedro-viz: {layer}}` (0.19).
 */
export const catalogEntrySchema = z.looseObject({
  type: z.string().min(1),
  filepath: z.string().min(1).optional(),
  path: z.string().min(1).optional(),
  load_args: mapping.optional(),
  save_args: mapping.optional(),
  fs_args: mapping.optional(),
  layer: z.string().optional(),
  credentials: z.union([z.string(), mapping]).optional(),
  versioned: z.boolean().optional(),
  metadata: z
    .looseObject({ 'kedro-viz': z.looseObject({ layer: z.string().optional() }).optional() })
    .optional(),
});

export type CatalogEntry = z.infer<typeof catalogEntrySchema>;

/**
 * Validates one entry; the error names the entry and the file, and says what is wrong in
 * words (`'type' is required`, `'versioned' must be a boolean, got a string`).
 */
export function validateCatalogEntry(name: string, raw: unknown, source: string | undefined): CatalogEntry {
  const where = `Catalog entry '${name}'${source ? ` in ${source}` : ''}`;
  if (!isPlainObject(raw)) {
    throw new ConfigError(
      `${where}: expected a mapping with at least 'type', got a ${describeType(raw)} (keys used only for YAML anchors or interpolation must start with '_')`,
    );
  }
  const result = catalogEntrySchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const key = issue.path.map(String).join('.');
    const value = issue.path.reduce<unknown>((cur, k) => (isPlainObject(cur) ? cur[String(k)] : undefined), raw);
    if (value === undefined) return `'${key}' is required`;
    if (issue.code === 'invalid_type') return `'${key}' must be ${article(issue.expected)}, got ${article(describeType(value))}`;
    if (issue.code === 'too_small' && typeof value === 'string') return `'${key}' must not be empty`;
    if (issue.code === 'invalid_union' && key === 'credentials') return `'credentials' must be the name of a credentials entry or a mapping, got ${article(describeType(value))}`;
    return `'${key}': ${issue.message}`;
  });
  throw new ConfigError(`${where}: ${problems.join('; ')}`);
}

function article(type: string): string {
  const word = type === 'record' || type === 'object' ? 'mapping' : type === 'array' ? 'list' : type;
  return `${/^[aeiou]/.test(word) ? 'an' : 'a'} ${word}`;
}
