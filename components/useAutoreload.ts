'use client';

import { useEffect, useState } from 'react';
import { useViz } from './store';
import { apiUrl, isStatic } from './base-url';

/** Listens to /api/events; a `reload` refetches the graph so an open page follows the code. */
export function useAutoreload(): string | null {
  const [notice, setNotice] = useState<string | null>(null);
  useEffect(() => {
    if (typeof EventSource === 'undefined' || isStatic()) return;
    const source = new EventSource(apiUrl('/api/events'));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const show = (text: string) => {
      setNotice(text);
      clearTimeout(timer);
      timer = setTimeout(() => setNotice(null), 4000);
    };
    source.addEventListener('reload', () => {
      useViz.getState().set({ version: useViz.getState().version + 1 });
      show('Project changed: graph reloaded');
    });
    source.addEventListener('reload_failed', (e) => {
      const data = JSON.parse((e as MessageEvent<string>).data) as { message: string };
      show(`Reload failed: ${data.message}`);
    });
    return () => {
      clearTimeout(timer);
      source.close();
    };
  }, []);
  return notice;
}
