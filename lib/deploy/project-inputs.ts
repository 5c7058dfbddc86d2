import { isParameter, type Pipeline } from '../pipeline';
import { DeployError } from './errors';

/** What the Argo generator needs from a loaded Project (structural, so lib/deploy stays independent of the session). */
export interface ProjectLike {
  parameters: Record<string, unknown>;
  createCatalog(): CatalogLike | Promise<CatalogLike>;
}
interface CatalogLike {
  has(name: string): boolean;
  getDataset(name: string): { filepath?: string; persisted: boolean };
}

/** Dataset -> file path relative to the project root (null: persisted but not a file; absent: memory). */
export async function datasetPathsOf(project: ProjectLike, pipeline: Pipeline): Promise<Record<string, string | null>> {
  const catalog = await project.createCatalog();
  const paths: Record<string, string | null> = {};
  for (const name of pipeline.datasets()) {
    if (isParameter(name) || !catalog.has(name)) continue;
    const dataset = catalog.getDataset(name);
    if (!dataset.persisted) continue;
    paths[name] = dataset.filepath ?? null;
  }
  return paths;
}

/** The `argo.resources` parameters mapping, if any (`params:argo.resources` in Kedro terms). */
export function resourcesParameter(parameters: Record<string, unknown>): Record<string, unknown> | undefined {
  const argo = parameters.argo;
  if (argo === undefined || argo === null) return undefined;
  const resources = typeof argo === 'object' ? (argo as Record<string, unknown>).resources : undefined;
  if (resources === undefined || resources === null) return undefined;
  if (typeof resources !== 'object' || Array.isArray(resources)) {
    throw new DeployError(`parameter argo.resources must be a mapping of node or namespace name to resources, got ${JSON.stringify(resources)}`);
  }
  return resources as Record<string, unknown>;
}

/** `--runs 316187,316188` -> [316187, 316188], with a clear message for anything else. */
export function parseRuns(text: string): number[] {
  const parts = text.split(',').map((s) => s.trim()).filter(Boolean);
  const runs = parts.map((p) => {
    if (!/^\d+$/.test(p) || Number(p) <= 0) throw new DeployError(`--runs must be a comma-separated list of run numbers, got '${p}' in '${text}'`);
    return Number(p);
  });
  if (!runs.length) throw new DeployError(`--runs must be a comma-separated list of run numbers, got '${text}'`);
  return [...new Set(runs)];
}

/** Nested runtime parameters -> flat `a.b` keys with scalar values, as `--params` takes them. */
export function flattenParams(params: Record<string, unknown>, prefix = ''): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(params)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) Object.assign(out, flattenParams(value as Record<string, unknown>, name));
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[name] = value;
    else out[name] = JSON.stringify(value);
  }
  return out;
}
