/** Typed parameters (Kedro 1.3): the messages for each kind of problem, defaults, and the run scope. */
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { validateParameters } from './parameter-validation';
import { Project } from './project';
import { registrySource, tempProjects } from './temp-project.fixtures';

const FILE = 'conf/base/parameters/data_processing.yml';
const fileOf = (key: string) => (key.startsWith('data_processing') ? FILE : undefined);
const schema = z.strictObject({
  min_entries: z.number().int().min(0),
  normalise: z.boolean().default(true),
  mode: z.enum(['sum', 'mean']),
  layers: z.array(z.number()).min(1),
});
const declared = [{ key: 'data_processing', schema, declaredBy: "node 'filter'" }];

function problem(params: Record<string, unknown>): string {
  try {
    validateParameters({ data_processing: params }, declared, fileOf);
  } catch (error) {
    return (error as Error).message;
  }
  return 'no error';
}

describe('validateParameters', () => {
  it('applies the schema: defaults filled in, the input left untouched', () => {
    const raw = { data_processing: { min_entries: 10, mode: 'sum', layers: [1, 2] } };
    const out = validateParameters(raw, declared, fileOf);
    expect(out.data_processing).toEqual({ min_entries: 10, normalise: true, mode: 'sum', layers: [1, 2] });
    expect(raw.data_processing).toEqual({ min_entries: 10, mode: 'sum', layers: [1, 2] });
  });

  it('names the full key and the file, and says what was expected and what was found', () => {
    const ok = { mode: 'sum', layers: [1] };
    expect(problem({ ...ok, min_entries: 'ten' })).toBe(`Parameter 'data_processing.min_entries' in ${FILE} must be a number, got 'ten'`);
    expect(problem({ ...ok, min_entries: -1 })).toBe(`Parameter 'data_processing.min_entries' in ${FILE} must be >= 0, got -1`);
    expect(problem({ ...ok, min_entries: 1, mode: 'median' })).toBe(`Parameter 'data_processing.mode' in ${FILE} must be one of 'sum', 'mean', got 'median'`);
    expect(problem({ ...ok, min_entries: 1, layers: [] })).toBe(`Parameter 'data_processing.layers' in ${FILE} must be a list of at least 1 items, got a list`);
    expect(problem({ ...ok, min_entries: 1, layer: 2 })).toBe(`Parameter 'data_processing' in ${FILE} has unknown key 'layer'`);
    expect(problem({ min_entries: 1, layers: [1] })).toBe(`Parameter 'data_processing.mode' in ${FILE} is required but not set`);
  });

  it('reports every problem at once, and skips keys the config does not define (as Kedro)', () => {
    expect(problem({ min_entries: 'ten', mode: 'x', layers: [1] })).toBe(
      `Parameter 'data_processing.min_entries' in ${FILE} must be a number, got 'ten'; Parameter 'data_processing.mode' in ${FILE} must be one of 'sum', 'mean', got 'x'`,
    );
    expect(validateParameters({ other: 1 }, declared, fileOf)).toEqual({ other: 1 });
  });
});

describe('Project.run validates the parameters of the pipelines it runs', () => {
  const project = tempProjects();
  const registry = registrySource({
    functions: "const typedSchemas = { factor: { safeParse: (v: unknown) => (typeof v === 'number' && v > 0 ? { success: true as const, data: v } : { success: false as const, error: { issues: [{ code: 'too_small', minimum: 0, inclusive: false, path: [], message: 'too small' }] } }) } };\n",
    pipelines: { strict: "new Pipeline([node(scale, ['numbers', 'params:factor'], 'scaled')], { parameterSchemas: typedSchemas })" },
  });

  it('the named pipeline and __default__ (every pipeline, as Kedro) check; another named one does not', async () => {
    const root = project({ 'pipelines/registry.ts': registry, 'conf/base/parameters.yml': 'factor: -2\nmodel:\n  offset: 1\n' });
    const p = await Project.load({ root });
    await expect(p.run({ pipeline: 'strict' })).rejects.toThrow("Parameter 'factor' in conf/base/parameters.yml must be > 0, got -2");
    await expect(p.run()).rejects.toThrow("Parameter 'factor' in conf/base/parameters.yml must be > 0, got -2");
    expect((await p.run({ pipeline: 'main' })).status).toBe('success');
  });
});
