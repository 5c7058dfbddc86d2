'use client';

import { useCallback, useEffect, useState } from 'react';
import { parseRunsPageView, serializeRunsPageView, type RunsPageView } from './runs-page-url';

/** The runs page's view from the URL, and `go(view)`, which pushes it (back and forward work). */
export function useRunsPageView(): [RunsPageView, (v: RunsPageView) => void] {
  const [view, setView] = useState<RunsPageView>({ kind: 'none' });
  useEffect(() => {
    const read = () => setView(parseRunsPageView(window.location.search));
    read();
    window.addEventListener('popstate', read);
    return () => window.removeEventListener('popstate', read);
  }, []);
  const go = useCallback((v: RunsPageView) => {
    window.history.pushState(null, '', `/runs${serializeRunsPageView(v)}`);
    setView(v);
  }, []);
  return [view, go];
}
