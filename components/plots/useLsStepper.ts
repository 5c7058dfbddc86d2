'use client';

import { useEffect, useRef } from 'react';
import type { LsDetail, LsRef } from '../../lib/graph';

/**
 * Stepping through LS: `step(-1 | 1)` moves to the previous / next LS of the loaded one, and
 * ArrowLeft / ArrowRight call it (not while typing in a field). A step asked while the next LS
 * is still loading waits for it, so a quick ← ← moves two LS, not one.
 */
export function useLsStepper(detail: LsDetail | undefined, selected: LsRef | null, go: (ls: LsRef) => void): (dir: -1 | 1) => void {
  const pending = useRef(0);
  const state = useRef({ detail, selected, go });
  state.current = { detail, selected, go };
  const current = detail && selected && detail.run === selected.run && detail.lumi === selected.lumi ? detail : undefined;

  const step = useRef((dir: -1 | 1) => {
    const { detail: d, selected: s, go: g } = state.current;
    if (!d || !s || d.run !== s.run || d.lumi !== s.lumi) {
      pending.current += dir;
      return;
    }
    const to = dir < 0 ? d.prev : d.next;
    if (to) g(to);
  }).current;

  // The LS asked for has loaded: take the steps that waited for it.
  useEffect(() => {
    if (!current || pending.current === 0) return;
    const dir = pending.current < 0 ? -1 : 1;
    pending.current -= dir;
    const to = dir < 0 ? current.prev : current.next;
    if (to) go(to);
    else pending.current = 0;
  }, [current, go]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      if (t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA' || t.isContentEditable)) return;
      if (e.altKey || e.ctrlKey || e.metaKey) return;
      if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
      if (!state.current.selected) return;
      e.preventDefault();
      step(e.key === 'ArrowLeft' ? -1 : 1);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [step]);
  return step;
}
