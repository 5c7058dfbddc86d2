'use client';

import { create } from 'zustand';
import { defaultExpanded, type Direction, type GraphJson, type VizNodeType } from '../lib/graph';

export type DirectionChoice = Direction | 'auto';

export type Theme = 'light' | 'dark';
export type Engine = 'layered' | 'elk';

/** The view, all of it reproducible from the URL (see url-state.ts). */
export interface ViewState {
  pipeline: string | null;
  selected: string | null;
  /** null: the default for this graph (all open up to 100 nodes, all closed beyond). */
  expanded: string[] | null;
  hiddenTypes: VizNodeType[];
  tags: string[];
  search: string;
  theme: Theme;
  /** 'auto': chosen for the graph's shape (see layoutForScreen). */
  direction: DirectionChoice;
  engine: Engine;
  ls: number;
  /** Kedro-Viz's pretty names (`Compute Rmse Node`). */
  pretty: boolean;
  hiddenLayers: string[];
  /** Focus mode: a modular pipeline shown, the rest faded. */
  focus: string | null;
  /** Visual slicing: the start and end picked on the graph. */
  sliceFrom: string | null;
  sliceTo: string | null;
  /** Fan-outs drawn node by node (their source ids). */
  unstacked: string[];
}

export interface VizState extends ViewState {
  graph: GraphJson | null;
  graphError: string | null;
  loading: boolean;
  hovered: string | null;
  version: number;
  /** The Run form opens pre-filled with these (a slice's "Run…" button). */
  runDraft: { fromNodes: string[]; toNodes: string[]; pipeline: string | null } | null;
  set(patch: Partial<VizState>): void;
  toggleExpanded(id: string, defaults?: string[]): void;
  collapse(id: string): void;
  toggleInList(key: 'hiddenTypes' | 'tags' | 'hiddenLayers' | 'unstacked', value: string): void;
}

export const defaultView: ViewState = {
  pipeline: null,
  selected: null,
  expanded: null,
  hiddenTypes: [],
  tags: [],
  search: '',
  theme: 'light',
  direction: 'auto',
  engine: 'layered',
  ls: 0,
  pretty: false,
  hiddenLayers: [],
  focus: null,
  sliceFrom: null,
  sliceTo: null,
  unstacked: [],
};

export const useViz = create<VizState>()((set, get) => ({
  ...defaultView,
  graph: null,
  graphError: null,
  loading: true,
  hovered: null,
  version: 0,
  runDraft: null,
  set: (patch) => set(patch),
  collapse: (id) => {
    const cur = (get().expanded ?? defaultExpanded(get().graph)).filter((m) => m !== id && !m.startsWith(`${id}.`));
    set({ expanded: cur.sort(), focus: get().focus === id ? null : get().focus });
  },
  toggleExpanded: (id, defaults) => {
    const cur = new Set(get().expanded ?? defaults ?? defaultExpanded(get().graph));
    if (cur.has(id)) cur.delete(id);
    else cur.add(id);
    set({ expanded: [...cur].sort() });
  },
  toggleInList: (key, value) => {
    const cur = get()[key] as string[];
    set({ [key]: cur.includes(value) ? cur.filter((v) => v !== value) : [...cur, value].sort() } as Partial<VizState>);
  },
}));
