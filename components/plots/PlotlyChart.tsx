'use client';

import { useEffect, useRef, useState } from 'react';

/**
 * A ~20-line Plotly wrapper: plotly.js-dist-min is imported in the browser only, on first use,
 * and `Plotly.react` redraws in place when the figure changes (the LS slider).
 */
export function PlotlyChart({ data, layout, testId }: { data: unknown[]; layout?: Record<string, unknown>; testId?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    import('plotly.js-dist-min')
      .then(({ default: Plotly }) => {
        if (!cancelled && ref.current) return Plotly.react(ref.current, data, { autosize: true, margin: { l: 50, r: 20, t: 30, b: 40 }, ...layout }, { responsive: true, displaylogo: false });
      })
      .catch((e: unknown) => !cancelled && setError(e instanceof Error ? e.message : String(e)));
    return () => {
      cancelled = true;
    };
  }, [data, layout]);
  useEffect(() => {
    const el = ref.current;
    return () => {
      if (el) void import('plotly.js-dist-min').then(({ default: Plotly }) => Plotly.purge(el));
    };
  }, []);
  return error ? <p className="text-xs text-red-600">Chart failed: {error}</p> : <div ref={ref} data-testid={testId} className="h-72 w-full" />;
}
