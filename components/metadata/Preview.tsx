'use client';

import { useMemo } from 'react';
import type { Preview as PreviewData } from '../../lib/graph';
import { PlotlyChart } from '../plots/PlotlyChart';

function fmt(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(5).replace(/\.?0+$/, '');
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** One preview per kind, by an exhaustive switch over the tagged union the API sends. */
export function Preview({ preview, dark, onLs }: { preview: PreviewData; dark: boolean; onLs: (ls: number) => void }) {
  switch (preview.kind) {
    case 'table':
      return (
        <div className="overflow-auto rounded border" style={{ borderColor: 'var(--border)', maxHeight: '22rem' }}>
          <table data-testid="preview-table" className="min-w-full text-xs">
            <thead className="sticky top-0" style={{ background: 'var(--panel)' }}>
              <tr>
                {preview.columns.map((c) => (
                  <th key={c} className="border-b px-2 py-1 text-left font-semibold" style={{ borderColor: 'var(--border)' }}>
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {preview.rows.map((r, i) => (
                <tr key={i}>
                  {preview.columns.map((c) => (
                    <td key={c} className="whitespace-nowrap border-b px-2 py-0.5 font-mono" style={{ borderColor: 'var(--border)' }}>
                      {fmt(r[c])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <p className="px-2 py-1 text-xs" style={{ color: 'var(--muted)' }}>
            {preview.rows.length} of {preview.rowCount} rows
          </p>
        </div>
      );
    case 'heatmap':
      return <Heatmap preview={preview} dark={dark} onLs={onLs} />;
    case 'plotly':
      return <PlotlyChart testId="preview-plotly" data={preview.figure.data} layout={{ ...(preview.figure.layout ?? {}), ...themeLayout(dark) }} />;
    case 'image':
      // eslint-disable-next-line @next/next/no-img-element
      return <img data-testid="preview-image" src={preview.src} alt="dataset preview" className="max-w-full rounded border" style={{ borderColor: 'var(--border)' }} />;
    case 'json':
      return (
        <pre data-testid="preview-json" className="max-h-80 overflow-auto rounded border p-2 text-xs" style={{ borderColor: 'var(--border)' }}>
          {JSON.stringify(preview.value, null, 2)}
          {preview.truncated ? '\n… (truncated)' : ''}
        </pre>
      );
    case 'text':
      return <pre className="max-h-80 overflow-auto whitespace-pre-wrap rounded border p-2 text-xs" style={{ borderColor: 'var(--border)' }}>{preview.text}</pre>;
    case 'none':
      return (
        <p data-testid="preview-none" className="text-xs" style={{ color: 'var(--muted)' }}>
          {preview.reason}
        </p>
      );
  }
}

function themeLayout(dark: boolean): Record<string, unknown> {
  return dark ? { paper_bgcolor: '#111827', plot_bgcolor: '#111827', font: { color: '#e5e7eb' } } : { paper_bgcolor: '#ffffff', plot_bgcolor: '#ffffff' };
}

function Heatmap({ preview, dark, onLs }: { preview: Extract<PreviewData, { kind: 'heatmap' }>; dark: boolean; onLs: (ls: number) => void }) {
  const { x, y, z } = preview;
  const data = useMemo(() => {
    const nx = z[0]?.length ?? 0;
    const ny = z.length;
    const dx = (x.max - x.min) / Math.max(nx, 1);
    const dy = (y.max - y.min) / Math.max(ny, 1);
    return [{ type: 'heatmap', z, x0: x.min + dx / 2, dx, y0: y.min + dy / 2, dy, colorscale: 'Viridis', colorbar: { thickness: 10 } }];
  }, [x, y, z]);
  const layout = useMemo(() => ({ title: { text: `${preview.title} · run ${preview.run} LS ${preview.lumi}`, font: { size: 12 } }, xaxis: { title: { text: x.label } }, yaxis: { title: { text: y.label } }, ...themeLayout(dark) }), [preview.title, preview.run, preview.lumi, x.label, y.label, dark]);
  return (
    <div data-testid="preview-heatmap" className="flex flex-col gap-2">
      <PlotlyChart testId="heatmap-plot" data={data} layout={layout} />
      <label className="flex items-center gap-2 text-xs">
        LS
        <input data-testid="ls-slider" type="range" min={0} max={preview.lsCount - 1} value={preview.ls} onChange={(e) => onLs(Number(e.target.value))} className="flex-1" />
        <span className="w-24 text-right font-mono">
          {preview.ls + 1}/{preview.lsCount} · {Math.round(preview.entries)} ent.
        </span>
      </label>
    </div>
  );
}
