import { writeFileAtomic } from '../atomic-write';
import type { DatasetContext } from '../dataset-context';
import { DatasetError } from '../errors';
import { FileDataset } from './file-dataset';
import { toJsonText } from './json-dataset';

/** A Plotly figure as Plotly's own JSON (`fig.to_json()` / `Plotly.newPlot(el, data, layout)`). */
export interface PlotlyFigure {
  data: Array<Record<string, unknown>>;
  layout?: Record<string, unknown>;
  frames?: unknown[];
  config?: Record<string, unknown>;
  [key: string]: unknown;
}

/**
 * Plotly figures in a JSON file (Kedro's `plotly.JSONDataset` and `plotly.PlotlyDataset`). The
 * dashboard renders the file with plotly.js as is. Kedro's PlotlyDataset can also build a figure
 * from a DataFrame with `plotly_args`; here the node builds the figure itself.
 */
export class PlotlyDataset extends FileDataset<PlotlyFigure> {
  constructor(config: Record<string, unknown>, ctx: DatasetContext) {
    super(config, ctx, 'PlotlyDataset');
  }

  protected async doLoad(): Promise<PlotlyFigure> {
    const text = (await this.readBytes()).toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new DatasetError(`invalid JSON: ${(error as Error).message}`, { cause: error });
    }
    return checkFigure(value);
  }

  protected async doSave(data: PlotlyFigure): Promise<void> {
    checkFigure(data);
    await writeFileAtomic(this.path, () => `${toJsonText(data, 0)}\n`);
  }
}

/** A figure is an object with a `data` list of traces (and optionally layout, frames, config). */
export function checkFigure(value: unknown): PlotlyFigure {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new DatasetError(`a Plotly figure must be an object {data: [...], layout: {...}}, got ${Array.isArray(value) ? 'a list' : typeof value}`);
  }
  const fig = value as Record<string, unknown>;
  if (!Array.isArray(fig.data)) {
    throw new DatasetError(`a Plotly figure needs a 'data' list of traces, got ${fig.data === undefined ? 'no data key' : typeof fig.data}`);
  }
  if (fig.layout !== undefined && (typeof fig.layout !== 'object' || fig.layout === null || Array.isArray(fig.layout))) {
    throw new DatasetError(`a Plotly figure's 'layout' must be an object`);
  }
  return fig as PlotlyFigure;
}
