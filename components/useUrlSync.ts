'use client';

import { useEffect, useRef } from 'react';
import { useViz } from './store';
import { parseView, serializeView } from './url-state';

/** Quiet time before the URL follows an LS step: a slider drag writes it once, not at every step (~4 ms each). */
export const URL_SETTLE_MS = 150;

function onlyLsChanged(s: object, prev: object): boolean {
  const a = s as Record<string, unknown>;
  const b = prev as Record<string, unknown>;
  if (a.ls === b.ls) return false;
  for (const k in a) if (k !== 'ls' && a[k] !== b[k]) return false;
  return true;
}

/** Reads the view from the URL once, then mirrors every change back into it (replaceState: no history spam); LS steps once they settle. */
export function useUrlSync(): boolean {
  const ready = useRef(false);
  useEffect(() => {
    const view = parseView(window.location.search);
    if (!new URLSearchParams(window.location.search).has('theme')) {
      view.theme = document.documentElement.classList.contains('dark') ? 'dark' : 'light';
    }
    useViz.getState().set(view);
    ready.current = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const write = () => {
      timer = undefined;
      const qs = serializeView(useViz.getState());
      if (qs !== window.location.search && !(qs === '' && window.location.search === '')) {
        window.history.replaceState(null, '', `${window.location.pathname}${qs}`);
      }
    };
    const unsubscribe = useViz.subscribe((s, prev) => {
      clearTimeout(timer);
      // Only the LS slider's stream of steps waits; any other change (a copied deep link) is written at once.
      if (onlyLsChanged(s, prev)) timer = setTimeout(write, URL_SETTLE_MS);
      else write();
    });
    // Leaving (reload, back, a link) within the quiet time still keeps the last view in the URL.
    const flush = () => timer !== undefined && (clearTimeout(timer), write());
    const onPop = () => {
      clearTimeout(timer);
      timer = undefined;
      useViz.getState().set(parseView(window.location.search));
    };
    window.addEventListener('popstate', onPop);
    window.addEventListener('pagehide', flush);
    return () => {
      // Not flushed: on a client-side navigation the location is already the next page's.
      clearTimeout(timer);
      unsubscribe();
      window.removeEventListener('popstate', onPop);
      window.removeEventListener('pagehide', flush);
    };
  }, []);
  return ready.current;
}
