'use client';

import { useEffect, useState } from 'react';
import { usePlots } from './plots-store';
import { parsePlotsView, serializePlotsView } from './plots-url';

/** Reads the view from the URL once, then mirrors every change back (replaceState). True once read. */
export function usePlotsUrlSync(): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    usePlots.getState().set(parsePlotsView(window.location.search));
    setReady(true);
    const unsubscribe = usePlots.subscribe((s) => {
      const qs = serializePlotsView(s);
      if (qs !== window.location.search) window.history.replaceState(null, '', `${window.location.pathname}${qs}`);
    });
    const onPop = () => usePlots.getState().set(parsePlotsView(window.location.search));
    window.addEventListener('popstate', onPop);
    return () => {
      unsubscribe();
      window.removeEventListener('popstate', onPop);
    };
  }, []);
  return ready;
}
