'use client';

import { useEffect } from 'react';
import { useViz } from '../store';
import { getFreshness } from './runs-api';
import { useRuns } from './runs-store';

/**
 * Keeps the missing / stale state of the graph's datasets (`/api/runs/freshness`) current:
 * fetched for the shown pipeline, again after each run ends and after each project reload
 * (a parameter or node code changed). Failures leave the graph as it is.
 */
export function useFreshness(): void {
  const pipeline = useViz((s) => s.pipeline);
  const version = useViz((s) => s.version);
  const runsVersion = useRuns((s) => s.runsVersion);
  useEffect(() => {
    let stop = false;
    getFreshness(pipeline).then(
      (r) => !stop && useRuns.getState().set({ freshness: r.datasets }),
      () => !stop && useRuns.getState().set({ freshness: null }),
    );
    return () => {
      stop = true;
    };
  }, [pipeline, version, runsVersion]);
}
