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
