'use client';

import { create } from 'zustand';
import type { RunRecord, RunStatus } from '../../lib/services';
import type { NodeStatuses } from './run-statuses';

/**
 * The runs slice, apart from the graph's view store (components/store.ts): which run's
 * statuses are drawn on the graph, and those statuses by node name.
 */
export interface RunsState {
  runs: RunRecord[];
  /** The run whose statuses the graph shows (live or past); null: none. */
  shownRunId: string | null;
  shownStatus: RunStatus | null;
  statuses: NodeStatuses;
  /** Bumped per dataset each time a run saves it: previews refetch when it changes. */
  datasetVersions: Readonly<Record<string, number>>;
  error: string | null;
  set(patch: Partial<RunsState>): void;
  bumpDataset(name: string): void;
}

export const useRuns = create<RunsState>()((set, get) => ({
  runs: [],
  shownRunId: null,
  shownStatus: null,
  statuses: {},
  datasetVersions: {},
  error: null,
  set: (patch) => set(patch),
  bumpDataset: (name) => set({ datasetVersions: { ...get().datasetVersions, [name]: (get().datasetVersions[name] ?? 0) + 1 } }),
}));

/** The status of one graph node in the shown run (undefined: not part of it, or no run shown). */
export const selectNodeStatus = (name: string) => (s: RunsState) => s.statuses[name];

/** `{[nodeName]: status}` of the shown run, for code outside React. */
export function shownStatuses(): NodeStatuses {
  return useRuns.getState().statuses;
}

/** A number that changes whenever a run rewrites the dataset (add it to the preview's fetch key). */
export function useDatasetVersion(name: string): number {
  return useRuns((s) => s.datasetVersions[name] ?? 0);
}
