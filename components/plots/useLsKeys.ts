'use client';

import { useEffect } from 'react';
import type { LsRef } from '../../lib/viz/plots/plots-types';

/** ArrowLeft / ArrowRight step to the previous / next LS (not while typing in a field). */
export function useLsKeys(prev: LsRef | null | undefined, next: LsRef | null | undefined, go: (ls: LsRef) => void): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) return;
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      const to = e.key === 'ArrowRight' ? next : e.key === 'ArrowLeft' ? prev : undefined;
      if (!to) return;
      e.preventDefault();
      go(to);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [prev, next, go]);
}
