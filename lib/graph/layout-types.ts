/** The layout's input and output, shared by the layered engine, ELK and the browser. */
export type Direction = 'TB' | 'LR';

export interface LayoutNodeInput {
  id: string;
  width: number;
  height: number;
  /** Index of the node's layer in the ordered layer list (datasets only), or null. */
  layer?: number | null;
  /** The expanded modular pipelines the node is drawn inside, outermost first (a box each). */
  group?: string[];
}

export interface LayoutInput {
  nodes: LayoutNodeInput[];
  edges: Array<{ source: string; target: string }>;
  direction: Direction;
  /** Names of the ordered layers, for the bands. */
  layers?: string[];
  /**
   * Longest row, along the row (x for TB): a wider rank (a fan-out of hundreds of datasets,
   * fifty collapsed pipelines side by side) wraps onto several rows instead of one long line.
   */
  wrap?: number;
}

export interface Band {
  name: string;
  /** Start and end along the rank axis (y for TB, x for LR). */
  start: number;
  end: number;
}

/** The box of an expanded modular pipeline, drawn behind its nodes. */
export interface GroupBox {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
  /** 0 for a top-level modular pipeline, 1 inside one, ... */
  depth: number;
}

export interface LayoutResult {
  /** Top-left corner of each node. */
  positions: Record<string, { x: number; y: number }>;
  ranks: Record<string, number>;
  bands: Band[];
  groups: GroupBox[];
  width: number;
  height: number;
  direction: Direction;
  /** Bend points per edge id `source->target`, when the engine routes edges (ELK). */
  edgePoints?: Record<string, Array<{ x: number; y: number }>>;
  engine: 'layered' | 'elk';
}
