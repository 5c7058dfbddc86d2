import { z } from 'zod';
import { ApiError } from './errors';
import type { ApiFlavour } from './options';

/** A run number or an id sent as a number or a numeric string (the playground serialises some as strings). */
const intLike = z.union([z.number().int(), z.string().regex(/^\s*-?\d+\s*$/).transform((s) => Number(s))]);
const num = z.number().refine(Number.isFinite, 'must be a finite number');
const binCount = z.number().refine((v) => Number.isInteger(v) && v > 0, 'must be a positive whole number');
/** Rows are checked by hand below: zod over 60,000 numbers per map costs more than the download. */
const rows = z.array(z.unknown());

/** The contents and x axis both flavours' 1D and 2D records share. */
const histogram1dBody = {
  entries: num,
  data: rows,
  x_min: num,
  x_max: num,
  x_bin: binCount,
};
const histogram2dBody = { ...histogram1dBody, y_min: num, y_max: num, y_bin: binCount };

/** A lumisection 1D histogram as the playground serialises it (`lumisection_histograms_1d/`). */
export const playgroundHistogram1dSchema = z.looseObject({
  id: intLike,
  run: intLike,
  lumisection: intLike,
  title: z.string(),
  ...histogram1dBody,
  source_data_file: z.union([intLike, z.string(), z.null()]).optional(),
});

/** A DIALS TH1 record (`/api/v1/th1/`; cmsdials' LumisectionHistogram1D). */
export const dialsHistogram1dSchema = z.looseObject({
  hist_id: intLike.optional(),
  dataset_id: intLike,
  run_number: intLike,
  ls_number: intLike,
  me_id: intLike,
  me: z.string(),
  ...histogram1dBody,
});

/** A lumisection 2D histogram as the playground serialises it (`lumisection_histograms_2d/`): the 1D record and a y axis. */
export const playgroundHistogram2dSchema = playgroundHistogram1dSchema.extend(histogram2dBody);

/** A DIALS TH2 record (`/api/v1/th2/`). */
export const dialsHistogram2dSchema = dialsHistogram1dSchema.extend(histogram2dBody);

/** What either flavour's 1D and 2D records share, in one shape. `label` names the record in messages. */
interface HistogramRecord {
  label: string;
  /** The website's id of the histogram (playground `id`, DIALS `hist_id`), if any. */
  histogramId: number | undefined;
  run: number;
  lumi: number;
  title: string;
  entries: number;
  xBins: number;
  xMin: number;
  xMax: number;
}

/** Either flavour's 2D record. */
export interface Histogram2D extends HistogramRecord {
  yBins: number;
  yMin: number;
  yMax: number;
  /** `data[y][x]`, under/overflow removed: yBins rows of xBins values. */
  data: number[][];
}

/** Either flavour's 1D record. */
export interface Histogram1D extends HistogramRecord {
  /** xBins values, under/overflow removed. */
  data: number[];
}

/** Where a record is and what it is called: the fields both dimensions share, per flavour. */
function identity(record: unknown, flavour: ApiFlavour, dim: '1D' | '2D', label: string) {
  if (flavour === 'dials') {
    const r = check((dim === '1D' ? dialsHistogram1dSchema : dialsHistogram2dSchema).safeParse(record), record, flavour, dim, label);
    return { r, id: { label, histogramId: r.hist_id, run: r.run_number, lumi: r.ls_number, title: r.me } };
  }
  const r = check((dim === '1D' ? playgroundHistogram1dSchema : playgroundHistogram2dSchema).safeParse(record), record, flavour, dim, label);
  return { r, id: { label, histogramId: r.id, run: r.run, lumi: r.lumisection, title: r.title } };
}

/**
 * Validates one 1D record of `flavour` and normalises it. `data` must hold `x_bin` numbers (the
 * website strips under/overflow) or `x_bin + 2` (with them: they are dropped, as the DQMIO reader
 * crops them); any other length, a missing field or a value that is not a number is an error
 * naming the record.
 */
export function parseHistogram1D(record: unknown, flavour: ApiFlavour, index = 0): Histogram1D {
  const label = recordLabel(record, flavour, index);
  const { r, id } = identity(record, flavour, '1D', label);
  let data = r.data;
  if (data.length === r.x_bin + 2) data = data.slice(1, -1);
  else if (data.length !== r.x_bin) {
    throw new ApiError('API_BAD_RECORD', `${flavour} 1D histogram ${label}: data has ${data.length} values, expected x_bin = ${r.x_bin} (or ${r.x_bin + 2} with under/overflow)`);
  }
  for (let x = 0; x < data.length; x++) {
    const v = data[x];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new ApiError('API_BAD_RECORD', `${flavour} 1D histogram ${label}: data[${x}] is ${JSON.stringify(v) ?? String(v)}, not a number`);
    }
  }
  return { ...id, entries: r.entries, xBins: r.x_bin, xMin: r.x_min, xMax: r.x_max, data: data as number[] };
}

/**
 * Validates one 2D record of `flavour` and normalises it; any missing or mistyped field, or a
 * `data` array whose shape disagrees with `x_bin`/`y_bin`, is an error naming the record.
 */
export function parseHistogram2D(record: unknown, flavour: ApiFlavour, index = 0): Histogram2D {
  const label = recordLabel(record, flavour, index);
  const { r, id } = identity(record, flavour, '2D', label);
  const h: Histogram2D = { ...id, ...common(r as z.infer<typeof playgroundHistogram2dSchema>) };
  if (h.data.length !== h.yBins) {
    throw new ApiError('API_BAD_RECORD', `${flavour} 2D histogram ${label}: data has ${h.data.length} rows, expected y_bin = ${h.yBins} (under/overflow removed)`);
  }
  for (let y = 0; y < h.yBins; y++) {
    const row = h.data[y]!;
    if (!Array.isArray(row)) {
      throw new ApiError('API_BAD_RECORD', `${flavour} 2D histogram ${label}: data row ${y} is ${JSON.stringify(row) ?? String(row)}, not a list`);
    }
    if (row.length !== h.xBins) {
      throw new ApiError('API_BAD_RECORD', `${flavour} 2D histogram ${label}: data row ${y} has ${row.length} values, expected x_bin = ${h.xBins} (under/overflow removed)`);
    }
    for (let x = 0; x < row.length; x++) {
      const v = row[x];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new ApiError('API_BAD_RECORD', `${flavour} 2D histogram ${label}: data[${y}][${x}] is ${JSON.stringify(v) ?? String(v)}, not a number`);
      }
    }
  }
  return h;
}

function check<T>(result: z.ZodSafeParseResult<T>, record: unknown, flavour: ApiFlavour, dim: '1D' | '2D', label: string): T {
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 5).map((i) => {
    const key = i.path.map(String).join('.');
    const present = typeof record === 'object' && record !== null && i.path.length > 0 && String(i.path[0]) in record;
    return present ? `'${key}': ${i.message}` : `'${key}' is missing`;
  });
  throw new ApiError('API_BAD_RECORD', `${flavour} ${dim} histogram ${label}: ${problems.join('; ')}`);
}

function common(r: { entries: number; data: unknown[]; x_min: number; x_max: number; x_bin: number; y_min: number; y_max: number; y_bin: number }) {
  // checked cell by cell in parseHistogram2D before anyone reads it as numbers
  return { entries: r.entries, data: r.data as number[][], xBins: r.x_bin, yBins: r.y_bin, xMin: r.x_min, xMax: r.x_max, yMin: r.y_min, yMax: r.y_max };
}

/** `id 123` / `hist_id 9 (run 316187, LS 5)`: how a message names a record, even a broken one. */
export function recordLabel(record: unknown, flavour: ApiFlavour, index: number): string {
  const r = (typeof record === 'object' && record !== null ? record : {}) as Record<string, unknown>;
  const run = flavour === 'dials' ? r.run_number : r.run;
  const ls = flavour === 'dials' ? r.ls_number : r.lumisection;
  const where = run !== undefined || ls !== undefined ? ` (run ${String(run ?? '?')}, LS ${String(ls ?? '?')})` : '';
  const idKey = flavour === 'dials' ? 'hist_id' : 'id';
  return r[idKey] !== undefined ? `${idKey} ${String(r[idKey])}${where}` : `#${index}${where}`;
}
