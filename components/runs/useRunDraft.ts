'use client';

import { useEffect, useRef } from 'react';
import { useViz, type VizState } from '../store';

/** Calls `open` with each Run-form draft another part of the page posts (`runDraft` in the view store), then clears it. */
export function useRunDraft(open: (draft: NonNullable<VizState['runDraft']>) => void): void {
  const draft = useViz((s) => s.runDraft);
  const cb = useRef(open);
  cb.current = open;
  useEffect(() => {
    if (!draft) return;
    cb.current(draft);
    useViz.getState().set({ runDraft: null });
  }, [draft]);
}
