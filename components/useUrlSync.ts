'use client';

import { useEffect, useRef } from 'react';
import { useViz } from './store';
import { parseView, serializeView } from './url-state';

/** Reads the view from the URL once, then mirrors every change back into it (replaceState: no history spam). */
export function useUrlSync(): boolean {
  const ready = useRef(false);
  useEffect(() => {
    const view = parseView(window.location.search);
    if (!new URLSearchParams(window.location.search).has('theme')) {
      view.theme = document.documentElement.classList.contains('dark') ? 'dark' : 'light';
    }
    useViz.getState().set(view);
    ready.current = true;
    const unsubscribe = useViz.subscribe((s) => {
      const qs = serializeView(s);
      if (qs !== window.location.search && !(qs === '' && window.location.search === '')) {
        window.history.replaceState(null, '', `${window.location.pathname}${qs}`);
      }
    });
    const onPop = () => useViz.getState().set(parseView(window.location.search));
    window.addEventListener('popstate', onPop);
    return () => {
      unsubscribe();
      window.removeEventListener('popstate', onPop);
    };
  }, []);
  return ready.current;
}
