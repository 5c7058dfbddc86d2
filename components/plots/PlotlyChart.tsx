'use client';

import { useEffect, useRef, useState } from 'react';

/** The point Plotly reports on click (the fields the pages read). */
export interface PlotlyPoint {
  x: unknown;
  y: unknown;
  customdata?: unknown;
  curveNumber: number;
  pointIndex: number;
}

type PlotlyElement = HTMLDivElement & { on?: (event: string, cb: (e: { points?: PlotlyPoint[] }) => void) => void };

/**
 * A small Plotly wrapper: plotly.js-dist-min is imported in the browser only, on first use,
 * and `Plotly.react` redraws in place when the figure changes (the LS slider). `onPointClick`
 * gets the clicked point; `data-ready` is set once drawn (the e2e tests wait for it).
 */
export function PlotlyChart({
  data,
  layout,
  testId,
  className = 'h-72 w-full',
  onPointClick,
  onRendered,
}: {
  data: unknown[];
  layout?: Record<string, unknown>;
  testId?: string;
  className?: string;
  onPointClick?: (p: PlotlyPoint) => void;
  /** Called after each draw with the chart's element (the heatmap reads its plot area from it). */
  onRendered?: (el: HTMLDivElement) => void;
}) {
  const ref = useRef<PlotlyElement>(null);
  const [error, setError] = useState<string | null>(null);
  // The listener is attached once; it calls the latest callback.
  const clickRef = useRef(onPointClick);
  clickRef.current = onPointClick;
  const renderedRef = useRef(onRendered);
  renderedRef.current = onRendered;
  const listening = useRef(false);
  useEffect(() => {
    let cancelled = false;
    import('plotly.js-dist-min')
      .then(async ({ default: Plotly }) => {
        if (cancelled || !ref.current) return;
        await Plotly.react(ref.current, data, { autosize: true, margin: { l: 50, r: 20, t: 30, b: 40 }, ...layout }, { responsive: true, displaylogo: false });
        const el = ref.current;
        if (el && !listening.current && el.on) {
          listening.current = true;
          el.on('plotly_click', (e) => {
            const p = e.points?.[0];
            if (p && clickRef.current) clickRef.current(p);
          });
        }
        if (!el) return;
        el.setAttribute('data-ready', 'true');
        renderedRef.current?.(el);
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
  return error ? <p className="text-xs text-red-600">Chart failed: {error}</p> : <div ref={ref} data-testid={testId} className={className} />;
}
