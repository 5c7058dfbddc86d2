import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createHistogramSet, type HistogramSet } from '../../data';
import { DQMIOCSVDataset, WebsiteHistogramsCSVDataset } from '../histogram-csv-datasets';
import { DQMIO_HEADER, dqmioRow } from './dqmio-write';
import { readDqmioCsv, readWebsiteHistogramsCsv, sniffHistogramCsv } from './index';
import { SHARED_DIR } from '../../../tests/shared-data.fixtures';

const REPO = path.resolve(__dirname, '../../..');
const SHARED = SHARED_DIR;
const ZB = path.resolve(SHARED, 'data/zerobias2017b/ZeroBias_2017B_chargeInner_PXLayer_1.csv');
const WEBSITE = path.resolve(SHARED, 'data/run297176/adc_PXDisk_-1.csv');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dqmio-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const f = path.join(dir, name);
  fs.writeFileSync(f, text);
  return f;
}

/** A small set: LS i has value (i + 1) * (bin + 1) in every bin. */
function set(name: string, ny: number, nx: number, lumis: number[], run = 300000): HistogramSet {
  const h = createHistogramSet({ title: name, name, ny, nx, x: { min: 0, max: nx * 2, label: 'x' }, y: { min: -1, max: 1, label: 'y' } }, lumis.length);
  h.run.fill(run);
  h.lumi.set(lumis);
  h.values.forEach((_, k) => (h.values[k] = (Math.floor(k / (ny * nx)) + 1) * ((k % (ny * nx)) + 1)));
  for (let i = 0; i < lumis.length; i++) h.entries[i] = h.values.subarray(i * ny * nx, (i + 1) * ny * nx).reduce((a, b) => a + b, 0);
  return h;
}

const rows = (h: HistogramSet) => Array.from(h.run, (_, i) => dqmioRow(h, i));

describe('DQMIO CSV reader', () => {
  it('reads the real ZeroBias 2017B export: 1,054 LS of 100 bins, totals as Python computes them', () => {
    const h = readDqmioCsv(ZB, { hname: 'chargeInner_PXLayer_1', shown: 'zb.csv' });
    expect([h.run.length, h.ny, h.nx, h.title, h.name]).toEqual([1054, 1, 100, 'chargeInner_PXLayer_1', 'chargeInner_PXLayer_1']);
    expect([...new Set(h.run)]).toEqual([297047, 297050, 297056, 297171]);
    expect(h.values.reduce((a, b) => a + b, 0)).toBe(151227113); // Python: sum(literal_eval(histo)[1:101])
    expect([h.entries[0], h.values[0], h.values[99]]).toEqual([96516, 39, 17]);
    expect([h.x.min, h.x.max]).toEqual([0, 80000]);
    expect(h.source).toEqual({ format: 'dqmio-csv', path: 'zb.csv', metype: 3 });
    // sorted by (run, LS)
    for (let i = 1; i < h.run.length; i++) expect(h.run[i - 1]! < h.run[i]! || h.lumi[i - 1]! < h.lumi[i]!).toBe(true);
  });

  it('keeps one ME of several, 1D and 2D, cropping or keeping the flow bins, sorting the LS', () => {
    const oneD = set('charge', 1, 4, [3, 1, 2]);
    const twoD = set('map', 3, 2, [2, 1, 3]);
    const f = write('multi.csv', [DQMIO_HEADER, ...rows(oneD).map((r, i) => `${r}\n${rows(twoD)[i]}`)].join('\n') + '\n');
    const a = readDqmioCsv(f, { hname: 'charge' });
    expect(Array.from(a.lumi)).toEqual([1, 2, 3]);
    expect(Array.from(a.values.subarray(0, 4))).toEqual([2, 4, 6, 8]); // LS 1 was the second row (i = 1)
    const b = readDqmioCsv(f, { hname: 'map' });
    expect([b.ny, b.nx, b.source?.metype, b.y.min, b.y.max]).toEqual([3, 2, 6, -1, 1]);
    expect(Array.from(b.values.subarray(0, 6))).toEqual([2, 4, 6, 8, 10, 12]);
    const keep = readDqmioCsv(f, { hname: 'map', flow: 'keep' });
    expect([keep.ny, keep.nx, keep.x.min, keep.x.max]).toEqual([5, 4, -2, 6]);
    expect(Array.from(keep.values.subarray(4, 8))).toEqual([0, 2, 4, 0]);
  });

  it('reads CRLF, a BOM, reordered extra columns and a missing final newline; chunks smaller than a line', () => {
    const h = set('charge', 1, 3, [1, 2]);
    const text = ['\uFEFFextra,' + DQMIO_HEADER, ...rows(h).map((r) => `x,${r}`)].join('\r\n');
    const got = readDqmioCsv(write('crlf.csv', text), { hname: 'charge', chunkBytes: 16 });
    expect(Array.from(got.values)).toEqual(Array.from(h.values));
    expect(Array.from(got.entries)).toEqual(Array.from(h.entries));
  });

  describe('bad input: one clear error naming file, line, run and LS', () => {
    const h = set('charge', 1, 3, [1, 2]);
    const [r1, r2] = rows(h) as [string, string];
    const bad = (text: string, hname = 'charge') => () => readDqmioCsv(write('bad.csv', text), { hname, shown: 'bad.csv' });
    it.each([
      ['a histo of the wrong length', `${DQMIO_HEADER}\n${r1}\n${r2.replace('"[0.0, ', '"[')}\n`, "bad.csv: line 3 (run 300000, LS 2): histo has 4 values, expected 5 (Xbins 3 + 2 under/overflow)"],
      ['an unknown metype', `${DQMIO_HEADER}\n${r1.replace(',charge,3,', ',charge,9,')}\n`, "bad.csv: line 2 (run 300000, LS 1): unknown metype 9 for 'charge' (1D histograms: 3, 4, 5; 2D: 6, 7, 8)"],
      ['a duplicate (run, LS)', `${DQMIO_HEADER}\n${r1}\n${r2}\n${r1}\n`, "bad.csv: line 4 (run 300000, LS 1): duplicate lumisection: run 300000, LS 1 of 'charge' is also on line 2"],
      ['a NaN count', `${DQMIO_HEADER}\n${r1.replace('"[0.0, 1.0', '"[0.0, nan')}\n`, 'bad.csv: line 2 (run 300000, LS 1): histo value 2 of 5 is NaN: bin contents must be counts ≥ 0'],
      ['a negative count', `${DQMIO_HEADER}\n${r1}\n${r2.replace('4.0, 6.0', '4.0, -6.0')}\n`, 'bad.csv: line 3 (run 300000, LS 2): histo value 4 of 5 is negative (-6): bin contents must be counts ≥ 0'],
      ['a token that is no number', `${DQMIO_HEADER}\n${r1.replace('2.0, 3.0', '2.0, x3')}\n`, "bad.csv: line 2 (run 300000, LS 1): histo value 4 is not a number: 'x3'"],
      ['a row with a field missing', `${DQMIO_HEADER}\n${r1.replace(/,1$/, '')}\n`, 'bad.csv: line 2: 11 fields, the header has 12'],
      ['another binning further down', `${DQMIO_HEADER}\n${r1}\n${dqmioRow(set('charge', 1, 4, [2]), 0)}\n`, "bad.csv: line 3 (run 300000, LS 2): 'charge' has 4 bins here but 3 on the first line of it"],
      ['a header that is not DQMIO', 'run,lumi,map\n1,2,[0]\n', 'bad.csv: line 1: not a DQMIO CSV header: missing columns fromrun, fromlumi, hname, histo, Xmin, Xmax, Xbins (has: run, lumi, map)'],
      ['an empty file', '', 'bad.csv: empty file: no DQMIO CSV header'],
    ])('%s', (_name, text, message) => {
      expect(bad(text)).toThrow(message);
      try {
        bad(text)();
      } catch (error) {
        expect((error as Error).message).toBe(message);
      }
    });

    it('a file without the selected ME lists the names it has', () => {
      const other = rows(set('adc_PXLayer_1', 1, 3, [1]))[0]!;
      expect(bad(`${DQMIO_HEADER}\n${r1}\n${other}\n`, 'chargeInner_PXLayer_2')).toThrow(
        "bad.csv: no monitoring element 'chargeInner_PXLayer_2' in its 2 rows; the file has: charge, adc_PXLayer_1",
      );
    });

    it('a missing file', () => {
      expect(() => readDqmioCsv(path.join(dir, 'nope.csv'), { hname: 'x', shown: 'nope.csv' })).toThrow('nope.csv: no such file');
    });
  });
});

describe("the website's CSV export", () => {
  it('reads the real run 297176 export (inner bins only, axis = bin index)', () => {
    const h = readWebsiteHistogramsCsv(WEBSITE, { shown: 'adc.csv' });
    expect([h.run.length, h.nx, h.ny, h.title, h.x.label, h.x.min, h.x.max]).toEqual([10, 34, 1, 'adc_PXDisk_-1', 'bin', 0, 34]);
    expect(Array.from(h.lumi)).toEqual([118, 119, 121, 122, 189, 190, 192, 193, 194, 195]);
    expect(h.entries[4]).toBe(h.values.subarray(4 * 34, 5 * 34).reduce((a, b) => a + b, 0));
    expect(h.source).toEqual({ format: 'website-csv', path: 'adc.csv' });
    expect(sniffHistogramCsv(WEBSITE)).toBe('website-csv');
    expect(sniffHistogramCsv(ZB)).toBe('dqmio-csv');
  });

  it('uses x_bin / x_min / x_max columns, and refuses a file of several titles without load_args.title', () => {
    const f = write('web.csv', 'run,lumisection,title,data,x_min,x_max,x_bin\n1,2,a,"[1.0, 2.0]",0,10,2\n1,1,a,"[3.0, 4.0]",0,10,2\n1,1,b,"[5.0, 6.0]",0,10,2\n');
    const a = readWebsiteHistogramsCsv(f, { title: 'a' });
    expect([Array.from(a.lumi), Array.from(a.values), a.x.max]).toEqual([[1, 2], [3, 4, 1, 2], 10]);
    expect(() => readWebsiteHistogramsCsv(f, { shown: 'web.csv' })).toThrow("web.csv: line 4: holds several histograms ('a', 'b'): choose one with load_args.title");
    expect(() => readWebsiteHistogramsCsv(f, { shown: 'web.csv', title: 'c' })).toThrow("web.csv: no histogram titled 'c' in its 3 rows; the file has: a, b");
    const g = write('web2.csv', 'run,lumisection,title,data\n1,1,a,"[1.0, 2.0]"\n1,2,a,"[1.0, 2.0, 3.0]"\n');
    expect(() => readWebsiteHistogramsCsv(g, { shown: 'web2.csv' })).toThrow('web2.csv: line 3 (run 1, LS 2): data has 3 values, expected 2 (as the first line of it; the website strips under/overflow)');
    expect(() => sniffHistogramCsv(write('x.csv', 'a,b\n'), 'x.csv')).toThrow("x.csv: line 1: is neither a DQMIO CSV export (columns fromrun, fromlumi, hname, histo, ...) nor the website's CSV export (run, lumisection, title, data); its header is: a, b");
  });
});

describe('dqm.DQMIOCSVDataset and dqm.WebsiteHistogramsCSVDataset', () => {
  it('load through the catalog wrapper, with axis titles from load_args; DQMIO round-trips through save', async () => {
    const ds = new DQMIOCSVDataset({ filepath: ZB, load_args: { hname: 'chargeInner_PXLayer_1', x_label: 'Cluster charge', x_unit: 'e' } }, { projectRoot: REPO });
    const h = await ds.load();
    expect(h.x).toEqual({ min: 0, max: 80000, label: 'Cluster charge', unit: 'e' });
    const out = new DQMIOCSVDataset({ filepath: path.join(dir, 'rt.csv'), load_args: { hname: 'chargeInner_PXLayer_1' } }, { projectRoot: REPO });
    await out.save(h);
    const back = await out.load();
    expect([Array.from(back.values), Array.from(back.entries), Array.from(back.lumi)]).toEqual([Array.from(h.values), Array.from(h.entries), Array.from(h.lumi)]);
    const web = new WebsiteHistogramsCSVDataset({ filepath: WEBSITE, load_args: { x_min: 0, x_max: 340, x_unit: 'ADC' } }, { projectRoot: REPO });
    expect((await web.load()).x).toEqual({ min: 0, max: 340, label: 'x', unit: 'ADC' });
  });

  it('reject bad load_args at construction', () => {
    expect(() => new DQMIOCSVDataset({ filepath: 'a.csv' }, { projectRoot: dir })).toThrow('DQMIOCSVDataset needs load_args.hname (the monitoring element to read), got undefined');
    expect(() => new DQMIOCSVDataset({ filepath: 'a.csv', load_args: { hname: 'x', flow: 'drop' } }, { projectRoot: dir })).toThrow("load_args.flow must be 'crop' or 'keep', got \"drop\"");
    expect(() => new WebsiteHistogramsCSVDataset({ filepath: 'a.csv', load_args: { x_min: 3 } }, { projectRoot: dir })).toThrow('load_args.x_min and x_max go together');
  });
});
