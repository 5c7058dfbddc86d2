import type { Axis, HistogramSet } from '../data';
import { DatasetError, FileDataset, type DatasetContext } from '../io';
import { readDqmioCsv, readWebsiteHistogramsCsv } from './readers';
import { writeDqmioCsv } from './readers/dqmio-write';
import { writeWebsiteHistogramsCsv } from './readers/website-write';
import { reportProgress } from '../progress';

/** Axis overrides from load_args: `x_label`, `x_unit`, `y_label`, `y_unit` (exports carry no titles). */
function axisArgs(args: Record<string, unknown>, axis: 'x' | 'y'): Partial<Axis> {
  const label = args[`${axis}_label`];
  const unit = args[`${axis}_unit`];
  for (const [k, v] of [[`${axis}_label`, label], [`${axis}_unit`, unit]] as const) {
    if (v !== undefined && typeof v !== 'string') throw new DatasetError(`load_args.${k} must be a string, got ${JSON.stringify(v)}`);
  }
  return { ...(label !== undefined ? { label: label as string } : {}), ...(unit !== undefined ? { unit: unit as string } : {}) };
}

function withAxes(h: HistogramSet, args: Record<string, unknown>): HistogramSet {
  const x = axisArgs(args, 'x');
  const y = axisArgs(args, 'y');
  return Object.keys(x).length || Object.keys(y).length ? { ...h, x: { ...h.x, ...x }, y: { ...h.y, ...y } } : h;
}

const progress = (bytes: number, total: number) => reportProgress(Math.round(bytes / 1e6), Math.round(total / 1e6), 'MB');

/**
 * `dqm.DQMIOCSVDataset`: one monitoring element of a DQMIO per-LS CSV export as a HistogramSet
 * (1D or 2D), read streaming (memory follows that ME's LS, not the file). `load_args`: `hname`
 * (required), `flow` (`crop`, default, or `keep` the under/overflow bins), axis titles. Saving
 * writes the set as a DQMIO CSV (the simulator's 1D ME, tests, benchmarks).
 */
export class DQMIOCSVDataset extends FileDataset<HistogramSet> {
  constructor(config: Record<string, unknown>, ctx: DatasetContext) {
    super(config, ctx, 'DQMIOCSVDataset');
    const { hname, flow } = this.loadArgs;
    if (typeof hname !== 'string' || !hname) throw new DatasetError(`DQMIOCSVDataset needs load_args.hname (the monitoring element to read), got ${JSON.stringify(hname)}`);
    if (flow !== undefined && flow !== 'crop' && flow !== 'keep') throw new DatasetError(`load_args.flow must be 'crop' or 'keep', got ${JSON.stringify(flow)}`);
  }

  protected async doLoad(): Promise<HistogramSet> {
    const set = readDqmioCsv(this.path, { hname: this.loadArgs.hname as string, shown: this.configuredPath, flow: this.loadArgs.flow as 'crop' | 'keep' | undefined, onProgress: progress });
    return withAxes(set, this.loadArgs);
  }

  protected async doSave(data: HistogramSet): Promise<void> {
    await writeDqmioCsv(this.path, [{ ...data, name: this.loadArgs.hname as string }]);
  }
}

/**
 * `dqm.WebsiteHistogramsCSVDataset`: the DQM playground website's CSV export of 1D lumisection
 * histograms (`run,lumisection,title,data`) as a HistogramSet. `load_args`: `title` (needed if the
 * file holds several), `x_min`/`x_max` (the export has no binning), axis titles. Saving writes a
 * 1D set in that layout with its binning (`entries,x_min,x_max,x_bin` added): data_extraction's cache.
 */
export class WebsiteHistogramsCSVDataset extends FileDataset<HistogramSet> {
  constructor(config: Record<string, unknown>, ctx: DatasetContext) {
    super(config, ctx, 'WebsiteHistogramsCSVDataset');
    const { title, x_min: min, x_max: max } = this.loadArgs;
    if (title !== undefined && (typeof title !== 'string' || !title)) throw new DatasetError(`load_args.title must be a histogram title, got ${JSON.stringify(title)}`);
    if ((min === undefined) !== (max === undefined) || (min !== undefined && !(typeof min === 'number' && typeof max === 'number' && max > min))) {
      throw new DatasetError(`load_args.x_min and x_max go together, as numbers with x_min < x_max (got ${JSON.stringify(min)}, ${JSON.stringify(max)})`);
    }
  }

  protected async doLoad(): Promise<HistogramSet> {
    const { title, x_min: min, x_max: max } = this.loadArgs;
    const x = { ...(min !== undefined ? { min: min as number, max: max as number } : {}), ...axisArgs(this.loadArgs, 'x') };
    const set = readWebsiteHistogramsCsv(this.path, { title: title as string | undefined, shown: this.configuredPath, x, onProgress: progress });
    return withAxes(set, { y_label: this.loadArgs.y_label, y_unit: this.loadArgs.y_unit });
  }

  protected async doSave(data: HistogramSet): Promise<void> {
    await writeWebsiteHistogramsCsv(this.path, data);
  }
}
