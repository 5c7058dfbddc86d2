import { promises as fs } from 'node:fs';
import type { HistogramSet } from '../../data';
import { withAtomicPath } from '../../io';

export const DQMIO_HEADER = 'fromrun,fromlumi,hname,metype,histo,entries,Xmax,Xmin,Xbins,Ymax,Ymin,Ybins';

/**
 * One DQMIO CSV row of LS `i` of `h` (under/overflow written as empty bins around the kept ones,
 * values as Python prints floats, `2940.0`), as the CMS exports have them. 1D sets are TH1F
 * (metype 3), 2D TH2F (6).
 */
export function dqmioRow(h: HistogramSet, i: number, hname = h.name ?? h.title): string {
  const oneD = h.ny === 1;
  const size = h.ny * h.nx;
  const v = h.values.subarray(i * size, (i + 1) * size);
  const w = h.nx + 2;
  const parts: string[] = [];
  const zeros = (k: number) => {
    for (let t = 0; t < k; t++) parts.push('0.0');
  };
  if (oneD) {
    parts.push('0.0');
    for (let x = 0; x < h.nx; x++) parts.push(pyFloat(v[x]!));
    parts.push('0.0');
  } else {
    zeros(w);
    for (let y = 0; y < h.ny; y++) {
      parts.push('0.0');
      for (let x = 0; x < h.nx; x++) parts.push(pyFloat(v[y * h.nx + x]!));
      parts.push('0.0');
    }
    zeros(w);
  }
  const y = oneD ? { max: 1, min: 0, bins: 1 } : { max: h.y.max, min: h.y.min, bins: h.ny };
  return `${h.run[i]},${h.lumi[i]},${hname},${oneD ? 3 : 6},"[${parts.join(', ')}]",${pyFloat(h.entries[i]!)},${pyFloat(h.x.max)},${pyFloat(h.x.min)},${h.nx},${pyFloat(y.max)},${pyFloat(y.min)},${y.bins}`;
}

/** Python's repr of a float: integers keep a `.0`. */
export function pyFloat(v: number): string {
  return Number.isInteger(v) ? `${v}.0` : String(v);
}

/** Writes sets (one ME each) as one DQMIO CSV, LS interleaved as the exports are, atomically. */
export async function writeDqmioCsv(file: string, sets: readonly HistogramSet[]): Promise<void> {
  const n = Math.max(0, ...sets.map((s) => s.run.length));
  await writeCsvLines(file, DQMIO_HEADER, function* () {
    for (let i = 0; i < n; i++) for (const s of sets) if (i < s.run.length) yield dqmioRow(s, i);
  });
}

/** A header and the generated lines, written in chunks of 256 lines to a temp file renamed into place. */
export async function writeCsvLines(file: string, header: string, lines: () => Iterable<string>): Promise<void> {
  await withAtomicPath(file, async (tmp) => {
    const fh = await fs.open(tmp, 'w');
    try {
      await fh.write(`${header}\n`);
      let chunk: string[] = [];
      for (const line of lines()) {
        chunk.push(line);
        if (chunk.length >= 256) {
          await fh.write(`${chunk.join('\n')}\n`);
          chunk = [];
        }
      }
      if (chunk.length) await fh.write(`${chunk.join('\n')}\n`);
    } finally {
      await fh.close();
    }
  });
}
