'use client';

import { useEffect, useState } from 'react';
import type { Theme } from './figures';

/** The page theme the layout's script chose before paint (URL, saved choice or the OS), followed live. */
export function useTheme(): Theme {
  const [dark, setDark] = useState(false);
  useEffect(() => {
    const root = document.documentElement;
    setDark(root.classList.contains('dark'));
    const obs = new MutationObserver(() => setDark(root.classList.contains('dark')));
    obs.observe(root, { attributes: true, attributeFilter: ['class'] });
    return () => obs.disconnect();
  }, []);
  return { dark };
}
