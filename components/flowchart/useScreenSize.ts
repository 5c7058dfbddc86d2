'use client';

import { useEffect, useRef, useState } from 'react';

/**
 * The screen a layout is made for: the element's size, rounded to 50 px, updated when the
 * WINDOW resizes only. Opening the metadata panel narrows the element but must not lay the
 * graph out again (the view would jump under the user's double-click).
 */
export function useScreenSize<T extends HTMLElement = HTMLDivElement>(): { ref: React.RefObject<T | null>; size: { width: number; height: number } | null } {
  const ref = useRef<T | null>(null);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const r = el.getBoundingClientRect();
      const width = Math.max(300, Math.round(r.width / 50) * 50);
      const height = Math.max(300, Math.round(r.height / 50) * 50);
      setSize((s) => (s && s.width === width && s.height === height ? s : { width, height }));
    };
    measure();
    window.addEventListener('resize', measure);
    return () => window.removeEventListener('resize', measure);
  }, []);
  return { ref, size };
}
