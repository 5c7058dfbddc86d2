import { describe, expect, it } from 'vitest';
import { table } from '../data';
import { DatasetError, formatCsv, parseCsv } from './index';

describe('parseCsv', () => {
  it('quoted fields with separators, doubled quotes, newlines; CRLF', () => {
    const t = parseCsv('a,b\r\n"x,1","say ""hi"""\r\n"multi\nline",2\r\n');
    expect(t.columns).toEqual({ a: ['x,1', 'multi\nline'], b: ['say "hi"', '2'] });
  });

  it('a UTF-8 BOM is dropped; blank lines (leading, inside, trailing) are no rows; lone CR ends a line', () => {
    expect(parseCsv('\uFEFFrun,lumisection\r\n1,2\r\n').columns).toEqual({ run: Int32Array.of(1), lumisection: Int32Array.of(2) });
    expect(parseCsv('\uFEFF"run"\n1\n').columns).toEqual({ run: Int32Array.of(1) });
    expect(parseCsv('\n\nrun,ls\n1,2\n\n3,4\n\n\n').columns).toEqual({ run: Int32Array.of(1, 3), ls: Int32Array.of(2, 4) });
    expect(parseCsv('run,ls\r\n1,2\r\n\r\n').columns).toEqual({ run: Int32Array.of(1), ls: Int32Array.of(2) });
    expect(parseCsv('a\r1\r2\r').columns).toEqual({ a: Int32Array.of(1, 2) });
    expect(parseCsv('\uFEFF').rowCount).toBe(0);
    // a quoted empty field is a value, not a blank line
    expect(parseCsv('a\n""\n').columns).toEqual({ a: [''] });
    // a quote inside an unquoted field is literal (pandas, csv-parse relax_quotes)
    expect(parseCsv('a,b\nx"y,2\n').columns.a).toEqual(['x"y']);
  });

  it('types columns as pandas does', () => {
    const t = parseCsv('i,f,b,s,m\n1,1.5,True,x,\n2,,False,,3\n');
    expect(t.columns.i).toEqual(Int32Array.from([1, 2]));
    expect(t.columns.f).toEqual(Float64Array.from([1.5, NaN]));
    expect(t.columns.b).toEqual([true, false]);
    expect(t.columns.s).toEqual(['x', null]);
    expect(t.columns.m).toEqual(Float64Array.from([NaN, 3]));
    expect(parseCsv('big\n3000000000\n').columns.big).toEqual(Float64Array.from([3e9]));
    expect(parseCsv('x\ninf\n-inf\nnan\n').columns.x).toEqual(Float64Array.from([Infinity, -Infinity, NaN]));
  });

  it('header: false names columns by position; no trailing newline; empty input', () => {
    expect(parseCsv('1,a\n2,b', { header: false }).columns).toEqual({ 0: Int32Array.from([1, 2]), 1: ['a', 'b'] });
    expect(parseCsv('').rowCount).toBe(0);
    expect(parseCsv('a,b\n').columns).toEqual({ a: [], b: [] });
  });

  it('bad input: ragged rows, unterminated quote, duplicate header', () => {
    expect(() => parseCsv('a,b\n1,2\n3\n')).toThrow(new DatasetError('CSV line 3 has 1 field, expected 2 (as the header)'));
    // the line counts blank lines and the line breaks inside quoted fields
    expect(() => parseCsv('a,b\r\n\r\n"x\ny",2\r\n1,2,3\r\n')).toThrow(new DatasetError('CSV line 5 has 3 fields, expected 2 (as the header)'));
    expect(() => parseCsv('a\n"open\n')).toThrow('CSV line 2 opens a quoted field that is never closed');
    expect(() => parseCsv('a\n"x"y\n')).toThrow('CSV line 2 has text after a closing quote (a quote inside a quoted field is written as two)');
    expect(() => parseCsv('a,a\n1,2\n')).toThrow("CSV header has column 'a' twice");
  });
});

describe('formatCsv', () => {
  it('round-trips random doubles exactly', () => {
    const values = Float64Array.from({ length: 2000 }, (_, i) => (Math.sin(i * 12.9898) * 43758.5453) % 1 * 10 ** ((i % 40) - 20));
    const back = parseCsv(formatCsv(table({ v: values })));
    expect(back.columns.v).toEqual(values);
  });

  it('Float32 columns come back as Float64 with the same values', () => {
    const f = Float32Array.from([0.1, 2.5]);
    expect(parseCsv(formatCsv(table({ f }))).columns.f).toEqual(Float64Array.from(f));
  });

  it('quotes what needs it and nothing else', () => {
    expect(formatCsv(table({ 'col,1': ['plain', 'with space', 'True', '', 'nan'] }))).toBe('"col,1"\nplain\nwith space\n"True"\n""\n"nan"\n');
    expect(formatCsv(table({}))).toBe('\n');
  });
});
