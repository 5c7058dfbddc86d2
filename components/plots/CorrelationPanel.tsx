'use client';

import { useMemo } from 'react';
import type { CorrelationResponse, PlotVariable } from '../../lib/graph';
import { matrixFigure, matrixLabel, scatterFigure, type Theme } from './figures';
import { PlotlyChart, type PlotlyPoint } from './PlotlyChart';

const box = { background: 'var(--panel)', borderColor: 'var(--border)', color: 'var(--text)' } as const;

/** x vs y for the layer (click a point: that LS) and the Pearson matrix (click a cell: that pair). */
export function CorrelationPanel(props: {
  data: CorrelationResponse | undefined;
  error: string | null;
  variables: PlotVariable[];
  x: string;
  y: string;
  cmsLabel: string;
  theme: Theme;
  onPair: (x: string, y: string) => void;
  onPoint: (p: PlotlyPoint) => void;
}) {
  const { data, theme, cmsLabel } = props;
  const scatter = useMemo(() => (data ? scatterFigure(data, { cmsLabel, theme }) : null), [data, cmsLabel, theme]);
  const matrix = useMemo(() => (data ? matrixFigure(data, { theme }) : null), [data, theme]);
  const pick = (axis: 'x' | 'y', value: string) => (axis === 'x' ? props.onPair(value, props.y) : props.onPair(props.x, value));
  return (
    <section className="rounded border p-3" style={{ borderColor: 'var(--border)', background: 'var(--panel)' }}>
      <div className="mb-2 flex flex-wrap items-center gap-3 text-sm">
        <h2 className="font-semibold">Correlations</h2>
        {(['x', 'y'] as const).map((axis) => (
          <label key={axis} className="flex items-center gap-1 text-xs">
            {axis}
            <select data-testid={`corr-${axis}`} className="rounded border px-1 py-0.5" style={box} value={axis === 'x' ? props.x : props.y} onChange={(e) => pick(axis, e.target.value)}>
              {props.variables.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.id}
                </option>
              ))}
            </select>
          </label>
        ))}
        {data && (
          <span data-testid="pearson" className="text-xs" style={{ color: 'var(--muted)' }}>
            Pearson r = {data.pearson === null ? 'n/a' : data.pearson.toFixed(3)} over {data.points.x.length} LS
          </span>
        )}
      </div>
      {props.error && <p className="text-xs text-red-600">{props.error}</p>}
      <div className="grid grid-cols-2 gap-3">
        {scatter && <PlotlyChart data={scatter.data} layout={scatter.layout} testId="correlation-plot" className="h-80 w-full" onPointClick={props.onPoint} />}
        {matrix && (
          <PlotlyChart
            data={matrix.data}
            layout={matrix.layout}
            testId="correlation-matrix"
            className="h-80 w-full"
            onPointClick={(p) => {
              const ids = data!.matrix.variables;
              const x = ids.find((v) => matrixLabel(v) === p.x);
              const y = ids.find((v) => matrixLabel(v) === p.y);
              if (x && y) props.onPair(x, y);
            }}
          />
        )}
      </div>
    </section>
  );
}
