import { suggestion } from '../errors';
import { buildGraph, catalogLayerOrder, resolvePipelineId } from './build-graph';
import { VizError, VizNotFoundError } from './errors';
import type { DataDetails, GraphJson, NodeDetails, TaskDetails, PlotsServiceApi } from '../graph';
import { loadGraphFile, selectPipeline } from './load-file';
import { catalogFacts, datasetDetails, datasetLsMap, modularPipelineDetails, taskDetails } from './node-details';
import { sameSmallValue, ValueCache } from './value-cache';
import { fileStamp } from './file-stamp';
import type { VizProject, VizCatalog } from './project-types';
import { NoPlotsService, PlotsService } from './plots/plots-service';
import type { VizEvent, VizInfo, VizServiceApi } from '../services';
import { listSourceFiles } from './source';

export type VizSource = { kind: 'project'; root: string; load: () => Promise<VizProject> } | { kind: 'file'; path: string };

/**
 * The dashboard's state in the `dqm viz` process: the loaded project (or graph file), graphs
 * per pipeline built once per version, node details, and reload notices for open pages.
 */
export class VizService implements VizServiceApi {
  private project?: VizProject;
  private catalog?: VizCatalog;
  private fileGraph?: GraphJson;
  private graphs = new Map<string, GraphJson>();
  private files?: string[];
  // Decoded datasets (a 300-LS layer's maps are 72 MB): bounded by bytes, DQM_VIZ_CACHE_MB (default 256).
  private readonly cache = new ValueCache({ maxEntries: 16, maxBytes: cacheBytes('DQM_VIZ_CACHE_MB', 256), keepIfSame: sameSmallValue });
  // LS maps of sets read one LS at a time (HDF5), per file version: the slider's steps; DQM_VIZ_SLICES_MB (default 48).
  private readonly slices = new ValueCache({ maxEntries: 4096, maxBytes: cacheBytes('DQM_VIZ_SLICES_MB', 48), keepIfSame: sameSmallValue });
  // Node details answered before, per file version: a preview is built once, not per request.
  private readonly details = new ValueCache({ maxEntries: 256, sizeOf: () => 1, keepIfSame: sameSmallValue });
  private plotsService?: PlotsServiceApi;
  private readonly listeners = new Set<(e: VizEvent) => void>();
  private version = 1;
  autoreload = false;

  private constructor(private readonly source: VizSource) {}

  static async open(source: VizSource): Promise<VizService> {
    const s = new VizService(source);
    await s.load();
    return s;
  }

  private async load(): Promise<void> {
    if (this.source.kind === 'file') {
      this.fileGraph = loadGraphFile(this.source.path);
      return;
    }
    const project = await this.source.load();
    let catalog: VizCatalog | undefined;
    try {
      catalog = project.createCatalog ? await project.createCatalog() : undefined;
    } catch {
      // A catalog that does not build still leaves the graph worth showing; previews say why.
      catalog = undefined;
    }
    this.project = project;
    this.catalog = catalog;
    this.plotsService = undefined;
  }

  /** Reloads the project or file; on failure keeps the previous graph and tells open pages. */
  async reload(): Promise<void> {
    try {
      await this.load();
    } catch (error) {
      this.emit({ type: 'reload_failed', message: error instanceof Error ? error.message : String(error), at: new Date().toISOString() });
      return;
    }
    this.graphs.clear();
    this.files = undefined;
    this.cache.clear();
    this.slices.clear();
    this.details.clear();
    this.version++;
    this.emit({ type: 'reload', version: this.version, at: new Date().toISOString() });
  }

  info(): VizInfo {
    return { mode: this.source.kind, source: this.source.kind === 'file' ? this.source.path : this.source.root, autoreload: this.autoreload, version: this.version };
  }

  subscribe(listener: (e: VizEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: VizEvent): void {
    for (const l of this.listeners) l(e);
  }

  /** The plots page's service, on the loaded project and catalog (rebuilt after a reload). */
  plots(): PlotsServiceApi {
    if (this.source.kind === 'file') return new NoPlotsService(this.source.path);
    this.plotsService ??= new PlotsService({ project: this.project!, catalog: this.catalog });
    return this.plotsService;
  }

  async main(): Promise<GraphJson> {
    return this.graphFor(undefined);
  }

  async pipeline(id: string): Promise<GraphJson> {
    return this.graphFor(id);
  }

  /** The graph of one pipeline (default: the selected one), built once per version. */
  graphFor(id: string | undefined): GraphJson {
    if (this.fileGraph) {
      const g = this.fileGraph;
      const ids = g.pipelines.map((p) => p.id);
      const pid = id ?? g.selected_pipeline;
      if (!ids.includes(pid)) throw new VizNotFoundError(`Pipeline '${pid}' not found. Available pipelines: ${ids.join(', ')}.${suggestion(pid, ids)}`, 'PIPELINE_NOT_FOUND');
      return pid === g.selected_pipeline && g.nodes.every((n) => n.pipelines.includes(pid)) ? g : selectPipeline(g, pid);
    }
    const project = this.project!;
    const pid = resolvePipelineId(project.pipelines, id);
    let g = this.graphs.get(pid);
    if (!g) {
      g = buildGraph({ pipelines: project.pipelines, parameters: project.parameters, describeDataset: (name) => catalogFacts(project, this.catalog, name), layerOrder: catalogLayerOrder(project.config?.catalog) }, pid);
      this.graphs.set(pid, g);
    }
    return g;
  }

  /**
   * A node's details, the same object again while the project and the dataset's file are
   * unchanged (the server serialises it once and answers 304 to a matching ETag).
   */
  async node(id: string, opts: { pipeline?: string; ls?: number } = {}): Promise<NodeDetails> {
    const graph = this.graphFor(opts.pipeline);
    const gnode = graph.nodes.find((n) => n.id === id);
    const stamp = gnode && !this.fileGraph ? await this.stampOf(gnode) : null;
    if (stamp === null) return this.computeNode(id, opts);
    const key = `${graph.selected_pipeline}\u0000${id}\u0000${opts.ls ?? ''}`;
    return this.details.get(key, stamp, () => this.computeNode(id, opts)) as Promise<NodeDetails>;
  }

  /** What a node's details depend on beyond the project version: its dataset file's mtime and size; null when not cacheable (no file). */
  private async stampOf(gnode: GraphJson['nodes'][number]): Promise<string | null> {
    if (gnode.type !== 'data') return `v${this.version}`;
    const facts = catalogFacts(this.project!, this.catalog, gnode.name);
    if (!facts || !this.catalog?.has(gnode.name)) return `v${this.version}`;
    if (!facts.filepath || /^[a-z][a-z0-9+.-]*:\/\//i.test(facts.filepath)) return null;
    return `v${this.version}:${await fileStamp(this.project!.root, facts.filepath)}`;
  }

  private async computeNode(id: string, opts: { pipeline?: string; ls?: number }): Promise<NodeDetails> {
    const graph = this.graphFor(opts.pipeline);
    const gnode = graph.nodes.find((n) => n.id === id);
    if (!gnode) {
      throw new VizNotFoundError(`Node '${id}' not found in pipeline '${graph.selected_pipeline}'.${suggestion(id, graph.nodes.map((n) => n.id))}`, 'NODE_NOT_FOUND');
    }
    if (gnode.type === 'modularPipeline') return modularPipelineDetails(graph, id);
    if (this.fileGraph) return fileNodeDetails(graph, gnode.id, this.source.kind === 'file' ? this.source.path : '');
    const project = this.project!;
    const pipe = project.pipelines[graph.selected_pipeline]!;
    if (gnode.type === 'task') {
      const node = pipe.getNode(gnode.name);
      if (!node) throw new VizNotFoundError(`Node '${id}' not found in pipeline '${graph.selected_pipeline}'`, 'NODE_NOT_FOUND');
      this.files ??= listSourceFiles(project.root);
      return taskDetails(project, node, id, graph.selected_pipeline, this.files);
    }
    if (opts.ls !== undefined && (!Number.isInteger(opts.ls) || opts.ls < 0)) {
      throw new VizError(`Query parameter 'ls' must be a non-negative integer, got '${opts.ls}'`, { code: 'BAD_LS' });
    }
    return datasetDetails(project, this.catalog, pipe, graph.selected_pipeline, gnode.name, { ls: opts.ls, cache: this.cache, slices: this.slices });
  }

  /** One lumisection's map of a histogram dataset, raw float32: the LS slider's step, no JSON. */
  async lsMap(id: string, opts: { pipeline?: string; ls: number }): Promise<Float32Array> {
    const graph = this.graphFor(opts.pipeline);
    const gnode = graph.nodes.find((n) => n.id === id);
    if (!gnode || gnode.type !== 'data') throw new VizNotFoundError(`Dataset '${id}' not found in pipeline '${graph.selected_pipeline}'.${suggestion(id, graph.nodes.filter((n) => n.type === 'data').map((n) => n.id))}`, 'NODE_NOT_FOUND');
    if (this.fileGraph) throw new VizNotFoundError(`Graph loaded from a file: '${id}' has no data behind it`, 'NOT_FOUND');
    const map = await datasetLsMap(this.project!, this.catalog, gnode.name, opts.ls, this.cache, this.slices);
    if (!map) throw new VizError(`Dataset '${id}' is not a histogram set: it has no per-LS maps`, { code: 'NOT_A_HISTOGRAM' });
    return map;
  }
}

function cacheBytes(variable: string, defaultMb: number): number {
  const mb = Number(process.env[variable]);
  return (Number.isFinite(mb) && mb > 0 ? mb : defaultMb) * 1024 * 1024;
}

/** Details of a node of a loaded graph file: what the file says, no data. */
function fileNodeDetails(graph: GraphJson, id: string, file: string): TaskDetails | DataDetails {
  const n = graph.nodes.find((x) => x.id === id)!;
  const nameOf = (nid: string) => graph.nodes.find((x) => x.id === nid)?.name ?? nid;
  if (n.type === 'task') {
    return {
      kind: 'task',
      id,
      name: n.name,
      code: null,
      filepath: null,
      line: null,
      inputs: graph.edges.filter((e) => e.target === id).map((e) => nameOf(e.source)),
      outputs: graph.edges.filter((e) => e.source === id).map((e) => nameOf(e.target)),
      parameters: n.parameters ?? {},
      tags: n.tags,
      namespace: n.modular_pipelines?.at(-1) ?? null,
      run_command: `dqm run --nodes ${n.name}`,
    };
  }
  return {
    kind: n.type === 'parameters' ? 'parameters' : 'data',
    id,
    name: n.name,
    type: n.dataset_type ?? null,
    filepath: null,
    layer: n.layer ?? null,
    stats: {},
    preview: { kind: 'none', reason: `Graph loaded from ${file}: there is no data behind it to preview` },
    run_command: null,
  };
}
