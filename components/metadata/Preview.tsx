'use client';

import { useState } from 'react';
import type { Preview as PreviewData } from '../../lib/graph';
import { PlotlyChart } from '../plots/PlotlyChart';
import { Fullscreen } from './Fullscreen';
import { HeatmapPreview } from './HeatmapPreview';
import { Histogram1DPreview } from './Histogram1DPreview';
import { themeLayout, type PreviewNode, type PreviewSize } from './preview-kit';

export type { PreviewNode, PreviewSize } from './preview-kit';

function fmt(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(5).replace(/\.?0+$/, '');
  if (v === null || v === undefined) return '';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

/** A dataset's preview with a Full screen button (Esc closes it). */
export function Preview({ preview, dark, node }: { preview: PreviewData; dark: boolean; node: PreviewNode }) {
  const [full, setFull] = useState(false);
  return (
    <div className="flex flex-col gap-1">
      {preview.kind !== 'none' && (
        <button type="button" data-testid="preview-fullscreen" className="self-end rounded border px-1.5 py-0.5 text-xs" style={{ borderColor: 'var(--border)' }} onClick={() => setFull(true)} title="Open full screen (Esc closes)">
          ⤢ Full screen
        </button>
      )}
      <PreviewBody preview={preview} dark={dark} node={node} size="panel" />
      {full && (
        <Fullscreen onClose={() => setFull(false)}>
          <PreviewBody preview={preview} dark={dark} node={node} size="full" />
        </Fullscreen>
      )}
    </div>
  );
}

/** One preview per kind, by an exhaustive switch over the tagged union the API sends. */
export function PreviewBody({ preview, dark, node, size }: { preview: PreviewData; dark: boolean; node: PreviewNode; size: PreviewSize }) {
  const tall = size === 'full' ? 'calc(100vh - 8rem)' : '22rem';
  switch (preview.kind) {
    case 'partitions':
      return <PartitionsPreview preview={preview} dark={dark} node={node} size={size} />;
    case 'table':
      return (
        <div className="overflow-auto rounded border" style={{ borderColor: 'var(--border)', maxHeight: tall }}>
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
      return <HeatmapPreview preview={preview} dark={dark} node={node} size={size} />;
    case 'histogram1d':
      return <Histogram1DPreview preview={preview} dark={dark} node={node} size={size} />;
    case 'plotly':
      return <PlotlyChart testId="preview-plotly" className={size === 'full' ? 'h-[calc(100vh-8rem)] w-full' : undefined} data={preview.figure.data} layout={{ ...(preview.figure.layout ?? {}), ...themeLayout(dark), ...(size === 'full' ? { width: undefined, height: undefined } : {}) }} />;
    case 'image':
      // eslint-disable-next-line @next/next/no-img-element
      return <img data-testid="preview-image" src={preview.src} alt="dataset preview" className="max-w-full rounded border" style={{ borderColor: 'var(--border)' }} />;
    case 'json':
      return (
        <pre data-testid="preview-json" className="overflow-auto rounded border p-2 text-xs" style={{ borderColor: 'var(--border)', maxHeight: tall }}>
          {JSON.stringify(preview.value, null, 2)}
          {preview.truncated ? '\n… (truncated)' : ''}
        </pre>
      );
    case 'text':
      return (
        <pre data-testid="preview-text" className="overflow-auto whitespace-pre-wrap rounded border p-2 text-xs" style={{ borderColor: 'var(--border)', maxHeight: tall }}>
          {preview.text}
        </pre>
      );
    case 'none':
      return (
        <p data-testid="preview-none" className="text-xs" style={{ color: 'var(--muted)' }}>
          {preview.reason}
        </p>
      );
  }
}


/** A partitioned dataset: its partitions, and the chosen one's own preview (the first by default). */
function PartitionsPreview({ preview, dark, node, size }: { preview: Extract<PreviewData, { kind: 'partitions' }>; dark: boolean; node: PreviewNode; size: PreviewSize }) {
  return (
    <div className="flex flex-col gap-2" data-testid="preview-partitions">
      <p className="text-xs" style={{ color: 'var(--muted)' }}>
        {preview.count.toLocaleString('en')} partition{preview.count === 1 ? '' : 's'}: {preview.names.slice(0, 8).join(', ')}
        {preview.count > 8 ? ', …' : ''}. Showing <span className="font-mono">{preview.shown}</span>:
      </p>
      <PreviewBody preview={preview.preview} dark={dark} node={node} size={size} />
    </div>
  );
}
