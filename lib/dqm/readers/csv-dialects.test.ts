/**
 * Issue 15 item 9 for the histogram CSV readers (line-based, bytes straight to floats): the same
 * export saved with a UTF-8 BOM, CRLF line ends, trailing blank lines or no final newline reads
 * to the same set, as pandas and csv-parse read it. Quoted titles may hold the separator; a
 * doubled quote (which the exports never write) is refused with file and line.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHistogramSet, type HistogramSet } from '../../data';
import { DQMIO_HEADER, dqmioRow } from './dqmio-write';
import { readDqmioCsv, readWebsiteHistogramsCsv, sniffHistogramCsv } from './index';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-csv-dialects-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
}

/** Saved as Excel or Windows tools save a CSV: each variant of the same LF text. */
const DIALECTS: Record<string, (lf: string) => string> = {
  'LF (as written)': (t) => t,
  CRLF: (t) => t.replace(/\n/g, '\r\n'),
  'UTF-8 BOM + CRLF': (t) => `\uFEFF${t.replace(/\n/g, '\r\n')}`,
  'UTF-8 BOM': (t) => `\uFEFF${t}`,
  'trailing blank lines': (t) => `${t}\n\n\n`,
  'trailing blank lines, CRLF': (t) => `${t}\n\n`.replace(/\n/g, '\r\n'),
  'no final newline': (t) => t.replace(/\n$/, ''),
};

function oneD(title: string, lumis: number[]): HistogramSet {
  const nx = 4;
  const h = createHistogramSet({ title, name: title, ny: 1, nx, x: { min: 0, max: 8, label: 'x' }, y: { min: 0, max: 1, label: 'y' } }, lumis.length);
  h.run.fill(297047);
  h.lumi.set(lumis);
  h.values.forEach((_, k) => (h.values[k] = (Math.floor(k / nx) + 1) * ((k % nx) + 1)));
  for (let i = 0; i < lumis.length; i++) h.entries[i] = h.values.subarray(i * nx, (i + 1) * nx).reduce((a, b) => a + b, 0);
  return h;
}

const summary = (h: HistogramSet) => ({ title: h.title, run: Array.from(h.run), lumi: Array.from(h.lumi), entries: Array.from(h.entries), values: Array.from(h.values), x: [h.x.min, h.x.max] });

describe('DQMIO CSV export in every line-end dialect (the reader is not changed here: checked only)', () => {
  const h = oneD('chargeInner_PXLayer_1', [2, 1, 3]);
  const lf = `${[DQMIO_HEADER, ...Array.from(h.run, (_, i) => dqmioRow(h, i))].join('\n')}\n`;
  const want = summary(readDqmioCsv(write('dqmio-lf.csv', lf), { hname: 'chargeInner_PXLayer_1' }));
  it('the LF file reads as written', () => expect(want.lumi).toEqual([1, 2, 3]));
  it.each(Object.keys(DIALECTS))('%s', (name) => {
    const f = write(`dqmio-${name.replace(/\W+/g, '_')}.csv`, DIALECTS[name]!(lf));
    expect(sniffHistogramCsv(f)).toBe('dqmio-csv');
    expect(summary(readDqmioCsv(f, { hname: 'chargeInner_PXLayer_1' }))).toEqual(want);
  });
});

describe("the website's CSV export in every line-end dialect", () => {
  const h = oneD('chargeInner, layer 1', [1, 2]);
  // the title holds the separator, so it is quoted, as pandas' to_csv writes it
  const lf = `run,lumisection,title,data,entries,x_min,x_max,x_bin\n${Array.from(h.run, (_, i) => `297047,${h.lumi[i]},"chargeInner, layer 1","[${Array.from(h.values.subarray(i * 4, i * 4 + 4)).join(', ')}]",${h.entries[i]},0.0,8.0,4`).join('\n')}\n`;
  const want = summary(readWebsiteHistogramsCsv(write('web-lf.csv', lf)));
  it('the LF file reads as written, the quoted title with its comma', () => expect(want).toMatchObject({ title: 'chargeInner, layer 1', lumi: [1, 2], x: [0, 8] }));
  it.each(Object.keys(DIALECTS))('%s', (name) => {
    const f = write(`web-${name.replace(/\W+/g, '_')}.csv`, DIALECTS[name]!(lf));
    expect(sniffHistogramCsv(f)).toBe('website-csv');
    expect(summary(readWebsiteHistogramsCsv(f))).toEqual(want);
  });
  it('a doubled quote inside a quoted title is refused with the file and line', () => {
    const f = write('web-doubled.csv', 'run,lumisection,title,data\n297047,1,"say ""hi""","[1, 2]"\n');
    expect(() => readWebsiteHistogramsCsv(f, { shown: 'web-doubled.csv' })).toThrow("web-doubled.csv: line 2: expected ',' after quoted field 3, found '\"'");
  });
});
