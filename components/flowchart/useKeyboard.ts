'use client';

import { useEffect, useRef } from 'react';
import type { LayoutResult, VisibleEdge } from '../../lib/graph';
import { useViz } from '../store';

/**
 * Keys on the graph page: `/` or Ctrl+K searches; Esc closes what is open (slice, focus,
 * search, selection, in that order); arrows walk the graph from the selected node (down/up: to
 * what it feeds / what feeds it; left/right: its neighbours in the same rank). Not while typing.
 */
export function useKeyboard(current: { edges: readonly VisibleEdge[]; layout: LayoutResult } | null, onMoved: (id: string) => void): void {
  const ref = useRef(current);
  ref.current = current;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement | null;
      const typing = !!t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA' || t.isContentEditable);
      const s = useViz.getState();
      if ((e.key === '/' && !typing) || (e.key.toLowerCase() === 'k' && (e.ctrlKey || e.metaKey))) {
        e.preventDefault();
        document.querySelector<HTMLInputElement>('[data-testid=search]')?.focus();
        return;
      }
      if (e.key === 'Escape') {
        if (document.querySelector('[data-testid=fullscreen]')) return; // the full-screen preview closes itself
        if (typing) (t as HTMLElement).blur();
        if (s.sliceFrom || s.sliceTo) s.set({ sliceFrom: null, sliceTo: null });
        else if (s.focus) s.set({ focus: null });
        else if (s.search) s.set({ search: '' });
        else if (s.selected) s.set({ selected: null });
        return;
      }
      if (typing || e.altKey || e.ctrlKey || e.metaKey || !e.key.startsWith('Arrow') || !s.selected || !ref.current) return;
      const next = step(ref.current, s.selected, e.key);
      if (!next) return;
      e.preventDefault();
      s.set({ selected: next, ls: 0 });
      onMoved(next);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onMoved]);
}

function step(g: { edges: readonly VisibleEdge[]; layout: LayoutResult }, from: string, key: string): string | null {
  const TB = g.layout.direction === 'TB';
  const forward = key === (TB ? 'ArrowDown' : 'ArrowRight');
  const backward = key === (TB ? 'ArrowUp' : 'ArrowLeft');
  const pos = g.layout.positions;
  const along = (id: string) => (TB ? pos[id]?.x : pos[id]?.y) ?? 0;
  const near = (ids: string[]) => ids.sort((a, b) => Math.abs(along(a) - along(from)) - Math.abs(along(b) - along(from)))[0] ?? null;
  if (forward) return near(g.edges.filter((e) => e.source === from).map((e) => e.target));
  if (backward) return near(g.edges.filter((e) => e.target === from).map((e) => e.source));
  const rank = g.layout.ranks[from];
  const line = (TB ? pos[from]?.y : pos[from]?.x) ?? 0;
  const dir = key === (TB ? 'ArrowRight' : 'ArrowDown') ? 1 : -1;
  const row = Object.keys(pos).filter((id) => g.layout.ranks[id] === rank && ((TB ? pos[id]!.y : pos[id]!.x) === line) && (along(id) - along(from)) * dir > 0);
  return near(row);
}
