import { HistogramError } from '../errors';

/** Where in a histogram file a problem is: the file as the user named it, its line, the LS. */
export interface FilePlace {
  file: string;
  line?: number;
  run?: number;
  lumi?: number;
}

/** `data/x.csv: line 12 (run 297047, LS 11)`: how every reader message starts. */
export function describePlace(p: FilePlace): string {
  const ls = p.run !== undefined ? ` (run ${p.run}${p.lumi !== undefined ? `, LS ${p.lumi}` : ''})` : '';
  return `${p.file}${p.line !== undefined ? `: line ${p.line}` : ''}${ls}`;
}

/**
 * A histogram export (DQMIO CSV, the website's CSV) that cannot be read as it is: a wrong number
 * of bins, an unknown ME type, a missing ME, a duplicate lumisection, a NaN or negative count.
 * The message names the file, the line, the run and the lumisection.
 */
export class HistogramFileError extends HistogramError {
  readonly place: FilePlace;
  /** The message after the place. */
  readonly detail: string;
  constructor(place: FilePlace, detail: string, options: { cause?: unknown } = {}) {
    super(`${describePlace(place)}: ${detail}`, { code: 'HISTOGRAM_FILE_ERROR', cause: options.cause });
    this.place = place;
    this.detail = detail;
  }

  /** The same error naming the file as `file` (the path as the user typed it, not as resolved). */
  namingFile(file: string): HistogramFileError {
    return new HistogramFileError({ ...this.place, file }, this.detail, { cause: this.cause });
  }
}
