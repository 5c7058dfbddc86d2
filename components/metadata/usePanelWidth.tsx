'use client';

import { useCallback, useEffect, useState, type ReactNode } from 'react';

const KEY = 'dqm-viz-panel-width';
const MIN = 320;

/** The metadata panel's width, dragged on its left edge and kept in localStorage. */
export function usePanelWidth(): { width: number; handle: ReactNode } {
  const [width, setWidth] = useState(448);
  useEffect(() => {
    const saved = Number(localStorage.getItem(KEY));
    if (saved >= MIN) setWidth(Math.min(saved, window.innerWidth - 300));
  }, []);
  const onDown = useCallback((e: React.PointerEvent) => {
    e.preventDefault();
    const startX = e.clientX;
    const start = (e.currentTarget.parentElement as HTMLElement).getBoundingClientRect().width;
    let last = start;
    const move = (ev: PointerEvent) => {
      last = Math.max(MIN, Math.min(window.innerWidth - 300, start + startX - ev.clientX));
      setWidth(last);
    };
    const up = () => {
      window.removeEventListener('pointermove', move);
      window.removeEventListener('pointerup', up);
      try {
        localStorage.setItem(KEY, String(Math.round(last)));
      } catch {
        // private mode: the width lasts for this page only
      }
    };
    window.addEventListener('pointermove', move);
    window.addEventListener('pointerup', up);
  }, []);
  const handle = <div data-testid="panel-resize" role="separator" aria-orientation="vertical" title="Drag to resize" onPointerDown={onDown} className="absolute inset-y-0 left-0 z-10 w-1.5 cursor-col-resize hover:bg-[var(--accent)]" />;
  return { width, handle };
}
