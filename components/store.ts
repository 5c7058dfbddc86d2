'use client';

import { create } from 'zustand';
import type { Direction, GraphJson, VizNodeType } from '../lib/graph';

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
  direction: Direction;
  engine: Engine;
  ls: number;
}

export interface VizState extends ViewState {
  graph: GraphJson | null;
  graphError: string | null;
  loading: boolean;
  hovered: string | null;
  version: number;
  set(patch: Partial<VizState>): void;
  toggleExpanded(id: string, defaults: string[]): void;
  toggleInList(key: 'hiddenTypes' | 'tags', value: string): void;
}

export const defaultView: ViewState = {
  pipeline: null,
  selected: null,
  expanded: null,
  hiddenTypes: [],
  tags: [],
  search: '',
  theme: 'light',
  direction: 'TB',
  engine: 'layered',
  ls: 0,
};

export const useViz = create<VizState>()((set, get) => ({
  ...defaultView,
  graph: null,
  graphError: null,
  loading: true,
  hovered: null,
  version: 0,
  set: (patch) => set(patch),
  toggleExpanded: (id, defaults) => {
    const cur = new Set(get().expanded ?? defaults);
    if (cur.has(id)) cur.delete(id);
    else cur.add(id);
    set({ expanded: [...cur].sort() });
  },
  toggleInList: (key, value) => {
    const cur = get()[key] as string[];
    set({ [key]: cur.includes(value) ? cur.filter((v) => v !== value) : [...cur, value].sort() } as Partial<VizState>);
  },
}));
