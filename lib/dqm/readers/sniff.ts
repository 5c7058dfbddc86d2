import * as fs from 'node:fs';
import { HistogramFileError } from './errors';

/** The two per-LS CSV layouts we read. */
export type HistogramCsvFormat = 'dqmio-csv' | 'website-csv';

/**
 * Which layout a CSV export is, from its header: DQMIO (`fromrun, fromlumi, hname, histo, ...`)
 * or the website's (`run, lumisection, title, data`). Reads the first 64 KB only.
 */
export function sniffHistogramCsv(file: string, shown = file): HistogramCsvFormat {
  let head: string;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const buf = Buffer.alloc(1 << 16);
      head = buf.toString('utf8', 0, fs.readSync(fd, buf, 0, buf.length, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new HistogramFileError({ file: shown }, code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(error)})`, { cause: error });
  }
  const header = head.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0]!.split(',').map((c) => c.trim().replace(/^"|"$/g, ''));
  if (['fromrun', 'fromlumi', 'hname', 'histo'].every((c) => header.includes(c))) return 'dqmio-csv';
  if (['run', 'lumisection', 'title', 'data'].every((c) => header.includes(c))) return 'website-csv';
  throw new HistogramFileError(
    { file: shown, line: 1 },
    `is neither a DQMIO CSV export (columns fromrun, fromlumi, hname, histo, ...) nor the website's CSV export (run, lumisection, title, data); its header is: ${header.slice(0, 12).join(', ') || '(empty)'}`,
  );
}
