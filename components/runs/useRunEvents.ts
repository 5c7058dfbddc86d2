'use client';

import { useEffect } from 'react';
import type { StoredEvent } from '../../lib/services';
import { applyRunEvent, RUN_EVENT_TYPES, statusesFromDetails, type NodeStatuses } from './run-statuses';
import { getRun, listRuns } from './runs-api';
import { useRuns } from './runs-store';
import { apiUrl, isStatic } from '../base-url';

/**
 * Follows one run over Server-Sent Events (`/api/runs/{id}/events`: past events first, then
 * live ones) and keeps the runs slice's per-node statuses current; at the end the stored
 * statuses (skipped nodes included) replace the streamed ones and the runs list refreshes.
 * A past run replays in one go. Pass null to follow nothing.
 */
export function useRunEvents(runId: string | null): void {
  useEffect(() => {
    const store = useRuns.getState();
    if (!runId) {
      store.set({ statuses: {}, shownStatus: null, datasets: {} });
      return;
    }
    store.set({ statuses: {}, shownStatus: 'running', error: null, datasets: {} });
    if (isStatic()) {
      // A static site (`dqm viz build`) has no event stream: the stored run says it all.
      void getRun(runId).then((d) => useRuns.getState().set({ statuses: statusesFromDetails(d), shownStatus: d.run.status }), () => undefined);
      return;
    }
    let statuses: NodeStatuses = {};
    let frame = 0;
    // Progress can arrive 10 times a second per node: draw at most once per animation frame.
    const flush = () => {
      frame = 0;
      useRuns.getState().set({ statuses });
    };
    const es = new EventSource(apiUrl(`/api/runs/${encodeURIComponent(runId)}/events`));
    const onEvent = (msg: MessageEvent<string>) => {
      const e = JSON.parse(msg.data) as StoredEvent;
      statuses = applyRunEvent(statuses, e);
      if (e.type === 'dataset_saved') useRuns.getState().bumpDataset(e.dataset);
      if (e.type === 'run_finished') useRuns.getState().set({ shownStatus: e.status });
      if (e.type === 'run_aborted') useRuns.getState().set({ shownStatus: e.status });
      if (!frame) frame = requestAnimationFrame(flush);
    };
    for (const t of RUN_EVENT_TYPES) es.addEventListener(t, onEvent as EventListener);
    let closed = false;
    es.addEventListener('end', () => {
      closed = true;
      es.close();
      if (frame) cancelAnimationFrame(frame);
      flush();
      void getRun(runId)
        .then((d) => {
          if (useRuns.getState().shownRunId !== runId) return;
          const datasets = Object.fromEntries(d.datasets.map((x) => [x.dataset, x]));
          useRuns.getState().set({ statuses: statusesFromDetails(d), shownStatus: d.run.status, datasets, runsVersion: useRuns.getState().runsVersion + 1 });
        })
        .catch(() => undefined);
      void listRuns()
        .then((r) => useRuns.getState().set({ runs: r.runs }))
        .catch(() => undefined);
    });
    es.onerror = () => {
      // EventSource reconnects by itself (resuming after the last seq); say so only when it gave up.
      if (!closed && es.readyState === EventSource.CLOSED) useRuns.getState().set({ error: `Lost the event stream of run ${runId}` });
    };
    return () => {
      closed = true;
      es.close();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [runId]);
}
