'use client';

import { useEffect } from 'react';
import { fetchGraph, describeError } from './api';
import { useViz } from './store';

/** Fetches the graph of the chosen pipeline, again after every autoreload (version bump). */
export function useGraph(enabled: boolean): void {
  const pipeline = useViz((s) => s.pipeline);
  const version = useViz((s) => s.version);
  useEffect(() => {
    if (!enabled) return;
    const ctrl = new AbortController();
    useViz.getState().set({ loading: true, graphError: null });
    fetchGraph(pipeline, ctrl.signal).then(
      (graph) => {
        performance.mark('dqm:graph');
        useViz.getState().set({ graph, loading: false, graphError: null });
      },
      (error: unknown) => {
        if (ctrl.signal.aborted) return;
        useViz.getState().set({ loading: false, graphError: describeError(error) });
      },
    );
    return () => ctrl.abort();
  }, [enabled, pipeline, version]);
}
