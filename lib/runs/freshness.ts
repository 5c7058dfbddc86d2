import * as path from 'node:path';
import { DEFAULT_PIPELINE, isParameter, type Pipeline } from '../pipeline';
import { RunRequestError } from './errors';
import { codeHash, dependenciesOf, hashValue, parameterValue, sameStat, statPath, type DatasetFingerprint, type PathStat } from './fingerprint';
import type { RunStore } from './run-store';
import type { DatasetFreshness } from '../services';

/** What freshness needs from a loaded project (lib/session's Project satisfies it). */
export interface FreshnessProject {
  root: string;
  parameters: Record<string, unknown>;
  pipelines: Record<string, Pipeline>;
  createCatalog(): FreshnessCatalog;
}

export interface FreshnessCatalog {
  has(name: string): boolean;
  getDataset(name: string): { readonly filepath?: string; readonly persisted: boolean; describe?(): Record<string, unknown> };
}

/** The project's datasets on disk, looked at once per question. */
export interface ProjectFiles {
  pipeline: Pipeline;
  catalog: FreshnessCatalog;
  persisted(dataset: string): boolean;
  abs(dataset: string): string;
  stat(dataset: string): PathStat;
}

const catalogs = new WeakMap<FreshnessProject, FreshnessCatalog>();

/** `assume`: stats to use instead of the disk's for some datasets (what-if: "had this input not changed"). */
export function projectFiles(project: FreshnessProject, pipelineName: string = DEFAULT_PIPELINE, assume: Record<string, PathStat> = {}): ProjectFiles {
  const pipeline = Object.hasOwn(project.pipelines, pipelineName) ? project.pipelines[pipelineName] : undefined;
  if (!pipeline) throw new RunRequestError(`Unknown pipeline '${pipelineName}'. Registered pipelines: ${Object.keys(project.pipelines).sort().join(', ')}`, { code: 'UNKNOWN_PIPELINE' });
  let catalog = catalogs.get(project);
  if (!catalog) catalogs.set(project, (catalog = project.createCatalog()));
  const cat = catalog;
  const stats = new Map<string, PathStat>(Object.entries(assume));
  const persisted = (d: string) => !isParameter(d) && cat.has(d) && cat.getDataset(d).persisted && cat.getDataset(d).filepath !== undefined;
  const abs = (d: string) => path.resolve(project.root, cat.getDataset(d).filepath!);
  const stat = (d: string) => {
    let s = stats.get(d);
    if (!s) stats.set(d, (s = statPath(abs(d))));
    return s;
  };
  return { pipeline, catalog: cat, persisted, abs, stat };
}

/**
 * Every persisted dataset of a pipeline: `missing` (no file), `stale` (the code of the node
 * that writes it, a parameter it reads or a dataset upstream of it changed since it was
 * written, as its fingerprint in the run store says; without one, an input newer than it), or
 * `fresh`. Upstream staleness propagates downstream.
 */
export function datasetFreshness(project: FreshnessProject, store: RunStore, pipelineName?: string, assume: Record<string, PathStat> = {}): Record<string, DatasetFreshness> {
  const files = projectFiles(project, pipelineName, assume);
  const { pipeline, persisted, stat } = files;
  const fps = store.fingerprints();
  const out: Record<string, DatasetFreshness> = {};
  for (const d of [...pipeline.inputs()].filter(persisted).sort()) {
    out[d] = { dataset: d, state: stat(d).exists ? 'fresh' : 'missing', reasons: stat(d).exists ? [] : [`no data at ${project.root ? path.relative(project.root, files.abs(d)) : files.abs(d)}`], runId: null, savedAt: null };
  }
  for (const node of pipeline.nodes) {
    const outputs = node.outputs.filter(persisted);
    if (!outputs.length) continue;
    const deps = dependenciesOf(pipeline, node.name, persisted);
    for (const o of outputs) {
      const fp = fps.get(o);
      const base = { dataset: o, runId: fp?.runId ?? null, savedAt: fp?.savedAt ?? null };
      if (!stat(o).exists) {
        out[o] = { ...base, state: 'missing', reasons: [`not written yet: run node '${node.name}'`] };
        continue;
      }
      const reasons: string[] = [];
      for (const d of deps.datasets) {
        const up = out[d];
        if (up?.state === 'missing') reasons.push(`upstream '${d}' is missing`);
        else if (up?.state === 'stale') reasons.push(`upstream '${d}' is stale`);
      }
      if (fp && sameStat(fp.output, stat(o))) reasons.push(...changesSince(fp, deps, project.parameters, stat));
      else {
        for (const d of deps.datasets) if (stat(d).exists && stat(d).mtimeMs > stat(o).mtimeMs) reasons.push(`input '${d}' is newer`);
      }
      out[o] = { ...base, state: reasons.length ? 'stale' : 'fresh', reasons: [...new Set(reasons)] };
    }
  }
  return out;
}

/** What changed since a fingerprint was taken: upstream files, parameters, node code. */
function changesSince(fp: DatasetFingerprint, deps: ReturnType<typeof dependenciesOf>, parameters: Record<string, unknown>, stat: (d: string) => PathStat): string[] {
  const reasons: string[] = [];
  for (const d of deps.datasets) {
    const then = fp.inputs[d];
    if (!then) reasons.push(`input '${d}' was not an input when it was written`);
    else if (!sameStat(then, stat(d))) reasons.push(`input '${d}' changed${describeChange(then, stat(d))}`);
  }
  for (const p of deps.params) {
    if (fp.params[p] !== hashValue(parameterValue(parameters, p))) reasons.push(`parameter '${p === 'parameters' ? p : p.slice('params:'.length)}' changed`);
  }
  for (const n of deps.nodes) if (fp.code[n.name] !== codeHash(n.func)) reasons.push(`code of node '${n.name}' changed`);
  return reasons;
}

/** ` (2 files added, 1 changed)` for folders. */
function describeChange(then: PathStat, now: PathStat): string {
  if (!then.files || !now.files) return '';
  const before = then.files;
  const after = now.files;
  const added = Object.keys(after).filter((f) => !(f in before)).length;
  const removed = Object.keys(before).filter((f) => !(f in after)).length;
  const changed = Object.keys(after).filter((f) => f in before && (before[f]![0] !== after[f]![0] || before[f]![1] !== after[f]![1])).length;
  const parts = [added && `${added} file${added > 1 ? 's' : ''} added`, removed && `${removed} removed`, changed && `${changed} changed`].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}
