import { DqmError, type ErrorCode } from '../errors';

/** Where a map came from, for messages: the lumisection (run, lumi) and, if known, the file. */
export interface MapLocation {
  run?: number;
  lumi?: number;
  source?: string;
  /** The map's row in its table (file order, before sorting). */
  row?: number;
}

/** Base of the histogram module's errors (bad shapes, empty sets, ...). */
export class HistogramError extends DqmError {
  constructor(message: string, options: { code?: ErrorCode; cause?: unknown } = {}) {
    super(message, { code: options.code ?? 'HISTOGRAM_ERROR', httpStatus: 400, cause: options.cause });
  }
}

/**
 * A map string is not a list of `expected` non-negative numbers. The message names the
 * lumisection and the character position, so a user can find the bad value in the pickle.
 */
export class MapParseError extends HistogramError {
  readonly position: number;
  readonly location: MapLocation;
  constructor(detail: string, position: number, location: MapLocation = {}) {
    super(`Cannot parse the map of ${describeLocation(location)}: ${detail}`, { code: 'MAP_PARSE_ERROR' });
    this.position = position;
    this.location = location;
  }
}

/** `LS 316187:107 (raw_pixel_layer_1[Run_316187_0], row 3)`; `an unnamed map` when nothing is known. */
export function describeLocation(loc: MapLocation): string {
  const ls = loc.run !== undefined || loc.lumi !== undefined ? `LS ${loc.run ?? '?'}:${loc.lumi ?? '?'}` : 'an unnamed map';
  const where = [loc.source, loc.row !== undefined ? `row ${loc.row}` : undefined].filter((w) => w !== undefined);
  return where.length ? `${ls} (${where.join(', ')})` : ls;
}

/**
 * data_processing got no lumisection to keep: the input files hold 0 rows, or every LS was
 * filtered out (min_entries). An error, not an empty set: saving an empty set would overwrite the
 * last good one and only make a later node fail, far from the file at fault.
 */
export class EmptyInputError extends HistogramError {
  /** The input files (project-relative) or, when the files are not known, dataset names. */
  readonly files: readonly string[];
  constructor(dataset: string, files: readonly string[], filtered?: { rows: number; minEntries: number }) {
    const shown = files.length > 5 ? `${files.slice(0, 5).join(', ')}, ... (${files.length} files)` : files.join(', ');
    const why = filtered
      ? `all ${filtered.rows} lumisection${filtered.rows > 1 ? 's' : ''} of ${shown} have fewer than ${filtered.minEntries} entries (min_entries)`
      : `${shown} ${files.length > 1 ? 'hold' : 'holds'} 0 lumisections`;
    super(`${dataset} has no lumisections to process: ${why}; nothing was written`, { code: 'EMPTY_HISTOGRAM_SET' });
    this.files = files;
  }
}
