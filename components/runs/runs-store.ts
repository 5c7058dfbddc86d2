'use client';

import { create } from 'zustand';
import type { DatasetFreshness, DatasetSaveRecord, RunRecord, RunStatus } from '../../lib/services';
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
  /** The shown run's saved datasets (size, rows), once it has ended. */
  datasets: Readonly<Record<string, DatasetSaveRecord>>;
  /** Missing and stale datasets of the graph's pipeline (null: not known). */
  freshness: Readonly<Record<string, DatasetFreshness>> | null;
  /** Bumped after each run ends: freshness and history refetch. */
  runsVersion: number;
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
  datasets: {},
  freshness: null,
  runsVersion: 0,
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
