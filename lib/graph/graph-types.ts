/**
 * The dashboard's graph JSON: Kedro-Viz's `/api/main` shape, so a Kedro-Viz export loads here
 * and ours loads in Kedro-Viz. Types only (no runtime imports): the browser bundle imports them.
 */
export type VizNodeType = 'task' | 'data' | 'parameters' | 'modularPipeline';

export interface GraphNode {
  id: string;
  name: string;
  type: VizNodeType;
  tags: string[];
  /** Pipelines (registry names) that contain this node. */
  pipelines: string[];
  /** Enclosing modular pipelines, outermost first (`['a', 'a.b']`); null on modular pipeline nodes. */
  modular_pipelines: string[] | null;
  layer?: string | null;
  dataset_type?: string | null;
  /** Task nodes: the parameter values they read, keyed by parameter name. */
  parameters?: Record<string, unknown>;
}

export interface GraphEdge {
  source: string;
  target: string;
}

export interface ModularPipelineChild {
  id: string;
  type: VizNodeType;
}

export interface ModularPipelineEntry {
  id: string;
  name: string;
  inputs: string[];
  outputs: string[];
  children: ModularPipelineChild[];
}

export interface NamedItem {
  id: string;
  name: string;
}

export interface GraphJson {
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Layer names ordered by data flow (raw before intermediate before ...). */
  layers: string[];
  tags: NamedItem[];
  pipelines: NamedItem[];
  /** Keyed by modular pipeline id; `__root__` holds the top level. */
  modular_pipelines: Record<string, ModularPipelineEntry>;
  selected_pipeline: string;
}

export const ROOT_PIPELINE = '__root__';

/** `/api/nodes/{id}` for a task. */
export interface TaskDetails {
  kind: 'task';
  id: string;
  name: string;
  code: string | null;
  filepath: string | null;
  /** 1-based line of the function in `filepath`. */
  line: number | null;
  inputs: string[];
  outputs: string[];
  parameters: Record<string, unknown>;
  tags: string[];
  namespace: string | null;
  run_command: string;
}

export interface DatasetStats {
  rows?: number;
  columns?: number;
  file_size?: number;
  ls_count?: number;
  shape?: [number, number];
}

export type Preview =
  | { kind: 'table'; columns: string[]; rows: Array<Record<string, unknown>>; rowCount: number }
  | { kind: 'plotly'; figure: { data: unknown[]; layout?: Record<string, unknown> } }
  | {
      kind: 'heatmap';
      title: string;
      ls: number;
      lsCount: number;
      run: number;
      lumi: number;
      entries: number;
      x: { min: number; max: number; label: string };
      y: { min: number; max: number; label: string };
      /** Rows of the selected lumisection's map (ny rows of nx values). */
      z: number[][];
      /** What a bin counts, for the colour bar (`clusters`, `fraction of entries`). */
      zLabel: string;
      /** Run, lumi and entries of every LS, so the slider steps fetch only the map (binary). */
      lsRuns: number[];
      lsLumis: number[];
      lsEntries: number[];
    }
  | {
      /** A 1D ME (ny = 1): one LS's bin counts over the reference, with a ratio panel. */
      kind: 'histogram1d';
      title: string;
      ls: number;
      lsCount: number;
      x: { min: number; max: number; label: string; unit?: string };
      /** What a bin counts (`clusters`, `entries`). */
      yLabel: string;
      /** Bin counts of LS `ls`; other LS come from `/api/nodes/{id}/map?ls=N` (raw float32). */
      counts: number[];
      /** The reference, scaled to unit entries (the client scales it to each LS's entries). */
      reference: number[];
      /** How the reference was made: `mean of 150 develop LS (task 'simulated')`, `mean of all 40 LS`. */
      referenceNote: string;
      lsRuns: number[];
      lsLumis: number[];
      lsEntries: number[];
    }
  | { kind: 'partitions'; names: string[]; count: number; shown: string; preview: Preview }
  | { kind: 'json'; value: unknown; truncated: boolean }
  | { kind: 'image'; src: string; width?: number; height?: number }
  | { kind: 'text'; text: string }
  | { kind: 'none'; reason: string };

/** `/api/nodes/{id}` for a dataset or a parameter. */
export interface DataDetails {
  kind: 'data' | 'parameters';
  id: string;
  name: string;
  type: string | null;
  filepath: string | null;
  layer: string | null;
  stats: DatasetStats;
  preview: Preview;
  /** Parameter nodes: the value. */
  value?: unknown;
  /** Command that produces this dataset, when a node produces it. */
  run_command: string | null;
}

export interface PipelineNodeDetails {
  kind: 'modularPipeline';
  id: string;
  name: string;
  inputs: string[];
  outputs: string[];
  children: number;
}

export type NodeDetails = TaskDetails | DataDetails | PipelineNodeDetails;

