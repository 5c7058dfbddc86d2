/**
 * Issue 15 item 9, differential: our CSV reader (lib/io/csv.ts) against csv-parse (a well-kept
 * parser, options as pandas reads: bom, skip_empty_lines, relax_quotes) and Python's csv module
 * (python3 here has no pandas), on a corpus of the cases that broke or could break (BOM, CRLF,
 * lone CR, trailing blank lines, quoted separators, newlines and doubled quotes), then on random
 * documents. Cells compare as text: null (an empty unquoted field) is ''.
 */
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { DatasetError, parseCsv, parseCsvRows } from '../../lib/io';
import { LumiMask } from '../../lib/dqm';
import { fuzzParams, mutated, onlyTypedErrors } from './fuzz.fixtures';

/** The corpus: name -> CSV text. Each must read the same in all three parsers. */
export const CSV_CORPUS: Record<string, string> = {
  'plain LF': 'run,lumisection\n297047,1\n297047,2\n',
  'CRLF line ends': 'run,lumisection\r\n297047,1\r\n297047,2\r\n',
  'lone CR line ends (old Mac)': 'run,lumisection\r297047,1\r297047,2\r',
  'UTF-8 BOM (Excel "CSV UTF-8")': '\uFEFFrun,lumisection\r\n297047,1\r\n',
  'BOM before a quoted header': '\uFEFF"run","lumisection"\n1,2\n',
  'no newline at the end': 'run,lumisection\n297047,1',
  'one trailing blank line': 'run,lumisection\n297047,1\n\n',
  'several trailing blank lines, CRLF': 'run,lumisection\r\n297047,1\r\n\r\n\r\n',
  'blank lines before the header and between rows': '\n\nrun,ls\n1,2\n\n3,4\n',
  'quoted separator': 'title,data\n"chargeInner, layer 1","[1,2,3]"\n',
  'quoted newline (LF and CRLF)': 'a,b\n"two\nlines",1\n"crlf\r\ninside",2\n',
  'doubled quotes': 'a,b\n"say ""hi""",1\n"""",2\n',
  'quoted empty field is a value': 'a\n""\nx\n',
  'empty unquoted fields': 'a,b,c\n,,\n1,,3\n',
  'quote inside an unquoted field is literal': 'a,b\nx"y,2\n',
  'spaces kept': 'a,b\n x , y \n',
  'unicode cells': 'name,v\nΔφ µm,1\n"naïve, ☃",2\n',
  'only a header': 'run,lumisection\n',
  'only a BOM': '\uFEFF',
  'empty file': '',
};

const ours = (text: string) => parseCsvRows(text).rows.map((r) => r.map((c) => c ?? ''));
const csvParse = (text: string): string[][] => parse(text, { bom: true, skip_empty_lines: true, relax_quotes: true, relax_column_count: true });

/** Python's csv.reader on each text (BOM dropped as utf-8-sig does, blank rows skipped as pandas). */
function pythonCsv(texts: string[]): string[][][] {
  const code = [
    'import csv, io, json, sys',
    'out = []',
    'for t in json.load(sys.stdin):',
    "    t = t[1:] if t.startswith('\\ufeff') else t",
    "    out.append([r for r in csv.reader(io.StringIO(t, newline=''), strict=True) if r != []])",
    'json.dump(out, sys.stdout)',
  ].join('\n');
  const r = spawnSync('python3', ['-c', code], { input: JSON.stringify(texts), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python3 failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as string[][][];
}

describe('CSV reader against csv-parse and Python csv', () => {
  const names = Object.keys(CSV_CORPUS);
  const py = pythonCsv(Object.values(CSV_CORPUS));

  it(`corpus of ${names.length} documents`, () => expect(names.length).toBeGreaterThanOrEqual(20));

  it.each(names.map((n, i) => [n, i] as const))('%s: same rows in all three', (name, i) => {
    const text = CSV_CORPUS[name]!;
    const rows = ours(text);
    expect(rows).toEqual(csvParse(text));
    expect(rows).toEqual(py[i]);
  });

  it('the table: BOM not in the first column name, trailing blank lines no row, quoted cells as written', () => {
    expect(Object.keys(parseCsv(CSV_CORPUS['UTF-8 BOM (Excel "CSV UTF-8")']!).columns)).toEqual(['run', 'lumisection']);
    expect(parseCsv(CSV_CORPUS['several trailing blank lines, CRLF']!).columns).toEqual({ run: Int32Array.of(297047), lumisection: Int32Array.of(1) });
    expect(parseCsv(CSV_CORPUS['doubled quotes']!).columns.a).toEqual(['say "hi"', '"']);
    expect(parseCsv(CSV_CORPUS['quoted newline (LF and CRLF)']!).columns.a).toEqual(['two\nlines', 'crlf\r\ninside']);
  });

  it('fuzz: random documents (one line-end style each, optional BOM) read as csv-parse reads them; malformed quoting may be refused', () => {
    const token = fc.constantFrom('a', 'b', '1', '2.5', ',', ',', '"', '""', '"x,y"', '"pNLq"', 'NL', 'NL', 'NL', ' ', 'x"y', 'é');
    const doc = fc.tuple(fc.boolean(), fc.constantFrom('\n', '\r\n', '\r'), fc.array(token, { maxLength: 40 })).map(([bom, nl, t]) => `${bom ? '\uFEFF' : ''}${t.join('').replace(/NL/g, nl)}`);
    const attempt = <T,>(f: () => T): T | Error => {
      try {
        return f();
      } catch (error) {
        return error as Error;
      }
    };
    fc.assert(
      fc.property(doc, (text) => {
        const got = attempt(() => ours(text));
        if (got instanceof Error) expect(got).toBeInstanceOf(DatasetError);
        // csv-parse's strict mode (a quote only opens a field) accepts it: ours must give the same rows
        const strict = attempt(() => parse(text, { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][]);
        if (!(strict instanceof Error)) return void expect(got).toEqual(strict);
        // malformed quoting (text after a closing quote, a lone quote): refused, or read as relax_quotes reads it
        if (!(got instanceof Error)) expect(got).toEqual(csvParse(text));
      }),
      fuzzParams(),
    );
  });

  const seeds = Object.values(CSV_CORPUS).filter((t) => t.length > 0).map((t) => new Uint8Array(Buffer.from(t, 'utf8')));
  const mutatedText = mutated(seeds).map((b) => Buffer.from(b).toString('utf8'));

  it('fuzz: mutated corpus documents give a typed Table or a DatasetError naming the line', () => {
    fc.assert(fc.property(mutatedText, (text) => onlyTypedErrors(() => parseCsv(text))), fuzzParams());
  });

  it('fuzz: mutated run,lumisection lists give a lumi mask or a LumiMaskError', () => {
    const task = '\uFEFFrun,lumisection,comment\r\n297176,118,"hot, pixel"\r\n297176,"119","say ""x"""\r\n\r\n';
    const lists = mutated([new Uint8Array(Buffer.from(task, 'utf8'))]).map((b) => Buffer.from(b).toString('utf8'));
    fc.assert(fc.property(lists, (text) => onlyTypedErrors(() => LumiMask.fromCsv(text, 'task.csv'))), fuzzParams());
  });
});
