import fs from 'node:fs';
import path from 'node:path';
import { messageOf } from '../errors';
import { VizError } from './errors';
import { DEFAULT_PIPELINE, isParameter, type Node, type Pipeline } from '../pipeline';
import { parameterValue } from './build-graph';
import type { DataDetails, DatasetStats, GraphJson, PipelineNodeDetails, Preview, TaskDetails } from '../graph';
import { checkLs, heatmapOfMapInSlices, lsMapOf, isPartitions, partitionsPreview, previewOf, statsOf, statsOfHeader } from './preview';
import { developOf, TASK_DATASET, type DevelopMask } from './develop-mask';
import { loadInMemory } from './load-in-memory';
import { isHistogramSet, isLsReadable, type HistogramSetHeader, type LsReadable } from '../data';
import { findFunctionSource, listSourceFiles } from './source';
import { NO_NETWORK, OUTSIDE_PROJECT, previewTarget, previewTargetAsync } from './preview-target';
import type { VizCatalog, VizProject } from './project-types';
import { ValueCache } from './value-cache';
import { fileStamp } from './file-stamp';

export { ValueCache } from './value-cache';

/** A task's source, inputs, outputs, parameter values and the command that runs it alone. */
export function taskDetails(project: VizProject, node: Node, id: string, pipelineId: string, files?: string[]): TaskDetails {
  const fnName = node.func.name.replace(/^bound /, '');
  const list = files ?? listSourceFiles(project.root);
  const src = findFunctionSource(project.root, fnName, list) ?? wrappedSource(project.root, node.func, fnName, list);
  const parameters: Record<string, unknown> = {};
  for (const i of node.inputs) if (isParameter(i)) parameters[i] = parameterValue(project.parameters, i);
  return {
    kind: 'task',
    id,
    name: node.name,
    code: src?.code ?? null,
    filepath: src?.filepath ?? null,
    line: src?.line ?? null,
    inputs: [...node.inputs],
    outputs: [...node.outputs],
    parameters,
    tags: [...node.tags].sort(),
    namespace: node.namespace ?? null,
    run_command: runCommand(['--nodes', node.name], pipelineId),
  };
}

const NOT_CALLEES = new Set(['function', 'return', 'if', 'for', 'while', 'switch', 'catch', 'typeof', 'new', 'await', 'async']);

/**
 * A node function with no declaration of its name in pipelines/ (a wrapper made per layer,
 * `{ [name]: (raw, p) => preprocessPixelLayer(raw, p, layer) }[name]`): its own text, as the
 * runtime has it, followed by the source of the function it calls.
 */
function wrappedSource(root: string, func: (...args: never[]) => unknown, name: string, files: string[]): { code: string; filepath: string | null; line: number | null } | null {
  const text = Function.prototype.toString.call(func);
  if (/\[native code\]/.test(text)) return null;
  const callees = [...text.matchAll(/([A-Za-z_$][\w$]*)\s*\(/g)].map((m) => m[1]!).filter((c) => !NOT_CALLEES.has(c) && c !== name);
  for (const c of callees) {
    const inner = findFunctionSource(root, c, files);
    if (inner) return { code: `// ${name || 'this node'} is a wrapper:\n${text}\n\n// which calls ${c}:\n${inner.code}`, filepath: inner.filepath, line: inner.line };
  }
  return { code: text, filepath: null, line: null };
}

function runCommand(args: string[], pipelineId: string): string {
  const pipe = pipelineId === DEFAULT_PIPELINE ? [] : ['--pipeline', pipelineId];
  return ['dqm', 'run', ...pipe, ...args].join(' ');
}

type CatalogFacts = { type: string | null; layer: string | null; filepath: string | null };

/**
 * Facts already worked out, per catalog (a reload builds a new catalog, so a new map): every
 * cached answer asks for its dataset's facts, and catalog.describe() per request was a visible
 * share of the server's time under 200 connections (bench:load profile). A versioned dataset's
 * path moves with each save: its facts are never kept.
 */
const factsByCatalog = new WeakMap<object, Map<string, CatalogFacts | undefined>>();

/** Catalog facts for the graph: the entry's declared type (Kedro's spelling kept) and layer. */
export function catalogFacts(project: VizProject, catalog: VizCatalog | undefined, name: string): CatalogFacts | undefined {
  const owner: object = catalog ?? project;
  let known = factsByCatalog.get(owner);
  if (!known) factsByCatalog.set(owner, (known = new Map()));
  if (known.has(name)) return known.get(name);
  const { facts, versioned } = describeFacts(project, catalog, name);
  if (!versioned) known.set(name, facts);
  return facts;
}

function describeFacts(project: VizProject, catalog: VizCatalog | undefined, name: string): { facts: CatalogFacts | undefined; versioned: boolean } {
  const entry = project.config?.catalog?.[name] as Record<string, unknown> | undefined;
  let described: Record<string, unknown> | undefined;
  if (catalog?.describe && (entry || catalog.has(name))) {
    try {
      described = catalog.describe(name);
    } catch {
      described = undefined;
    }
  }
  const versioned = entry?.versioned === true || described?.versioned === true;
  if (!entry && !described) return { facts: undefined, versioned };
  const meta = (entry?.metadata ?? {}) as Record<string, Record<string, unknown> | undefined>;
  const layer = (entry?.layer ?? meta['kedro-viz']?.layer ?? described?.layer ?? (described?.metadata as Record<string, unknown> | undefined)?.layer ?? null) as string | null;
  const type = (entry?.type ?? described?.type ?? null) as string | null;
  const filepath = (described?.filepath ?? entry?.filepath ?? entry?.path ?? null) as string | null;
  return { facts: { type, layer, filepath: filepath === null ? null : String(filepath) }, versioned };
}

/**
 * A dataset's type, relative path, layer, size, stats and preview. Data is loaded through the
 * catalog only (the client names a graph node, never a path); credentials never leave the catalog.
 */
export async function datasetDetails(
  project: VizProject,
  catalog: VizCatalog | undefined,
  pipeline: Pipeline,
  pipelineId: string,
  name: string,
  opts: { ls?: number; cache?: ValueCache; slices?: ValueCache },
): Promise<DataDetails> {
  if (isParameter(name)) {
    const value = parameterValue(project.parameters, name);
    return { kind: 'parameters', id: name, name, type: null, filepath: null, layer: null, stats: {}, value, preview: previewOf(value), run_command: null };
  }
  const facts = catalogFacts(project, catalog, name);
  const producer = pipeline.producerOf(name);
  const base: DataDetails = {
    kind: 'data',
    id: name,
    name,
    type: facts?.type ?? 'MemoryDataset',
    filepath: facts?.filepath ? relative(project.root, facts.filepath) : null,
    layer: facts?.layer ?? null,
    stats: {},
    preview: { kind: 'none', reason: '' },
    run_command: producer ? runCommand(['--to-outputs', name], pipelineId) : null,
  };
  const inMemory = { kind: 'none', reason: 'In-memory dataset: it exists only while a run is going (declare it in conf/base/catalog.yml to keep it)' } as const;
  if (!facts || !catalog || !catalog.has(name)) return { ...base, preview: inMemory };
  // Previews read catalog files inside the project only (real paths: links count), and never the network.
  const target = previewTarget(project.root, facts.filepath);
  if (target.kind === 'outside') return { ...base, preview: { kind: 'none', reason: OUTSIDE_PROJECT } };
  if (target.kind === 'no-file' && /memory/i.test(base.type ?? '')) return { ...base, preview: inMemory };
  if (target.kind !== 'file') return { ...base, preview: { kind: 'none', reason: NO_NETWORK } };
  const abs = target.abs;
  const stat = statOrNull(abs);
  const stats: DatasetStats = stat ? { file_size: sizeOf(abs, stat) } : {};
  if (!stat) {
    const how = producer ? `run \`${runCommand(['--to-outputs', name], pipelineId)}\`` : 'it is a pipeline input: provide the file or run `dqm simulate`';
    return { ...base, stats, preview: { kind: 'none', reason: `Not produced yet: ${how}` } };
  }
  const stamp = `${stat.mtimeMs}:${stat.size}`;
  const lsReader = lsReadableOf(catalog, name);
  // 2D sets: one chunk per LS step. 1D sets are small and their preview needs every develop LS
  // for the reference, so they load whole below.
  if (lsReader) {
    const oneLs = await oneLsPreview(lsReader, name, stamp, opts.ls ?? 0, opts.cache, opts.slices, stats);
    if (oneLs) return { ...base, ...oneLs };
  }
  let value: unknown;
  try {
    value = opts.cache ? await opts.cache.get(name, stamp, () => loadInMemory(catalog, name)) : await loadInMemory(catalog, name);
  } catch (error) {
    return { ...base, stats, preview: { kind: 'none', reason: `Could not load for preview: ${messageOf(error)}` } };
  }
  const develop = isHistogramSet(value) && value.ny === 1 ? await developMask(project, catalog) : null;
  const preview: Preview = isPartitions(value) ? await partitionsPreview(value) : previewOf(value, { ls: opts.ls, develop });
  return { ...base, stats: { ...stats, ...statsOf(value) }, preview };
}

/** A dataset that reads one LS alone (HDF5 histogram sets): the preview never loads the set. */
function lsReadableOf(catalog: VizCatalog, name: string): LsReadable | undefined {
  let ds: unknown;
  try {
    ds = catalog.getDataset?.(name);
  } catch {
    return undefined;
  }
  return isLsReadable(ds) ? ds : undefined;
}

/** The set's header (cached like values) and one LS's map: one chunk of the file. */
function lsHeader(reader: LsReadable, name: string, stamp: string, cache: ValueCache | undefined): Promise<HistogramSetHeader> {
  return (cache ? cache.get(`${name}\0header`, stamp, () => reader.loadHeader()) : reader.loadHeader()) as Promise<HistogramSetHeader>;
}

/**
 * One LS's map, kept in `slices` (byte-bounded) per file version: each read of a chunk opens
 * the file and reads its header in wasm on the event loop (~5 ms, 28% of the server's CPU
 * under bench:load), so an LS the slider has shown is read once, not per request.
 */
function lsSlice(reader: LsReadable, name: string, stamp: string, ls: number, slices: ValueCache | undefined): Promise<Float32Array> {
  const read = () => reader.loadLs(ls).then((r) => r.map);
  return (slices ? slices.get(`${name}\0${ls}`, stamp, read) : read()) as Promise<Float32Array>;
}

/** Heatmaps built, per map object: a rerun that wrote the same LS keeps its map object (ValueCache keepIfSame), hence its preview. */
const heatmaps = new WeakMap<Float32Array, { header: HistogramSetHeader; ls: number; preview: Promise<Preview> }>();

function heatmapOnce(header: HistogramSetHeader, ls: number, map: Float32Array): Promise<Preview> {
  const hit = heatmaps.get(map);
  if (hit && hit.header === header && hit.ls === ls) return hit.preview;
  const preview = heatmapOfMapInSlices(header, ls, map);
  heatmaps.set(map, { header, ls, preview });
  preview.catch(() => heatmaps.delete(map));
  return preview;
}

async function oneLsPreview(reader: LsReadable, name: string, stamp: string, ls: number, cache: ValueCache | undefined, slices: ValueCache | undefined, stats: DatasetStats): Promise<Pick<DataDetails, 'stats' | 'preview'> | undefined> {
  let header: HistogramSetHeader;
  try {
    header = await lsHeader(reader, name, stamp, cache);
  } catch (error) {
    return { stats, preview: { kind: 'none', reason: `Could not load for preview: ${messageOf(error)}` } };
  }
  if (header.ny === 1) return undefined;
  const allStats = { ...stats, ...statsOfHeader(header) };
  if (!header.run.length) return { stats: allStats, preview: { kind: 'none', reason: `Histogram set '${header.title}' has no lumisections` } };
  checkLs(header, ls);
  try {
    return { stats: allStats, preview: await heatmapOnce(header, ls, await lsSlice(reader, name, stamp, ls, slices)) };
  } catch (error) {
    return { stats: allStats, preview: { kind: 'none', reason: `Could not load for preview: ${messageOf(error)}` } };
  }
}

/** The strategies' task file's develop mask, when it is on disk (a 1D preview's reference); null otherwise. */
export async function developMask(project: VizProject, catalog: VizCatalog | undefined): Promise<DevelopMask | null> {
  if (!catalog?.has(TASK_DATASET)) return null;
  const facts = catalogFacts(project, catalog, TASK_DATASET);
  if (!facts?.filepath || !statOrNull(path.resolve(project.root, facts.filepath))) return null;
  try {
    // a few kB: read each time, so it never takes a slot of the value cache from a big set
    return developOf(await catalog.load(TASK_DATASET));
  } catch {
    // a broken task file must not break previews: the reference falls back to all LS
    return null;
  }
}

export function modularPipelineDetails(graph: GraphJson, id: string): PipelineNodeDetails {
  const entry = graph.modular_pipelines[id]!;
  return { kind: 'modularPipeline', id, name: entry.name, inputs: entry.inputs, outputs: entry.outputs, children: entry.children.length };
}

function relative(root: string, p: string): string {
  const rel = path.isAbsolute(p) ? path.relative(root, p) : p;
  return rel.split(path.sep).join('/');
}

function statOrNull(p: string): fs.Stats | null {
  try {
    return fs.statSync(p);
  } catch {
    return null;
  }
}

/** File size, or the total of a folder's files (partitioned datasets), one level of folders deep at most 10,000 entries. */
function sizeOf(p: string, stat: fs.Stats): number {
  if (!stat.isDirectory()) return stat.size;
  let total = 0;
  let seen = 0;
  const walk = (d: string, depth: number) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      if (++seen > 10_000) return;
      const f = path.join(d, e.name);
      if (e.isDirectory() && depth < 3) walk(f, depth + 1);
      else if (e.isFile()) total += fs.statSync(f).size;
    }
  };
  walk(p, 0);
  return total;
}

/**
 * The loaded value of a catalog dataset inside the project, through the cache (the LS slider's
 * maps come from the set loaded once). Throws a VizError saying why when there is none.
 */
export async function datasetValue(project: VizProject, catalog: VizCatalog | undefined, name: string, cache: ValueCache): Promise<unknown> {
  const stamp = await previewableStamp(project, catalog, name);
  return cache.get(name, stamp, () => loadInMemory(catalog!, name));
}

/**
 * LS `ls`'s map of a catalog dataset: one chunk through `loadLs` when the dataset can, else from
 * the loaded value. `undefined` when the value is not a histogram set.
 */
export async function datasetLsMap(project: VizProject, catalog: VizCatalog | undefined, name: string, ls: number, cache: ValueCache, slices?: ValueCache): Promise<Float32Array | undefined> {
  const reader = catalog ? lsReadableOf(catalog, name) : undefined;
  if (!reader) {
    const value = await datasetValue(project, catalog, name, cache);
    return isHistogramSet(value) ? lsMapOf(value, ls) : undefined;
  }
  const stamp = await previewableStamp(project, catalog, name);
  const header = await lsHeader(reader, name, stamp, cache);
  checkLs(header, ls);
  return lsSlice(reader, name, stamp, ls, slices);
}

/** The file's `mtime:size` of a catalog dataset the dashboard may read; a VizError saying why not. */
async function previewableStamp(project: VizProject, catalog: VizCatalog | undefined, name: string): Promise<string> {
  const facts = catalogFacts(project, catalog, name);
  if (!facts || !catalog || !catalog.has(name)) throw new VizError(`Dataset '${name}' is not in the catalog: nothing to load`, { code: 'NOT_FOUND', httpStatus: 404 });
  const target = await previewTargetAsync(project.root, facts.filepath);
  if (target.kind === 'outside') throw new VizError(OUTSIDE_PROJECT, { code: 'OUTSIDE_PROJECT', httpStatus: 403 });
  if (target.kind !== 'file') throw new VizError(NO_NETWORK, { code: 'NO_PREVIEW', httpStatus: 400 });
  // Asked per LS-slider step: the shared, non-blocking stat (fileStamp), not statSync.
  const stamp = await fileStamp(project.root, target.abs);
  if (stamp === 'missing') throw new VizError(`Dataset '${name}' is not produced yet (${relative(project.root, facts.filepath!)} is missing)`, { code: 'NOT_PRODUCED', httpStatus: 404 });
  return stamp;
}
