import { describe, expect, it } from 'vitest';
import { ConfigError, getNested, parseLoadVersions, parseRuntimeParams, setNested } from './index';

function fails(input: string): string {
  try {
    parseRuntimeParams(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`expected parseRuntimeParams('${input}') to fail`);
}

describe('parseRuntimeParams', () => {
  it('nests dotted keys and types values as YAML', () => {
    expect(parseRuntimeParams('a.b=1,c=[1,2],name=x')).toEqual({ a: { b: 1 }, c: [1, 2], name: 'x' });
    expect(parseRuntimeParams('f=0.5,t=true,n=null,s="1",e=,big=1e3,neg=-2')).toEqual({ f: 0.5, t: true, n: null, s: '1', e: '', big: 1000, neg: -2 });
  });

  it('does not split on commas inside [], {} or quotes', () => {
    expect(parseRuntimeParams('m={a: 1, b: [2, 3]},l=[[1,2],[3]],q="x,y"')).toEqual({ m: { a: 1, b: [2, 3] }, l: [[1, 2], [3]], q: 'x,y' });
  });

  it('trims spaces, keeps apostrophes in plain values, merges sibling keys', () => {
    expect(parseRuntimeParams(' a.b = 1 , a.c=2, msg=don\'t ')).toEqual({ a: { b: 1, c: 2 }, msg: "don't" });
    expect(parseRuntimeParams('')).toEqual({});
    expect(parseRuntimeParams('date=2024-01-01')).toEqual({ date: '2024-01-01' });
  });

  it('rejects bad input with one clear line', () => {
    expect(fails('foo')).toBe("Invalid --params 'foo': expected key=value pairs separated by commas");
    expect(fails('a=1,foo')).toBe("Invalid --params 'foo': expected key=value pairs separated by commas");
    expect(fails('=1')).toBe("Invalid --params '=1': empty key before '='");
    expect(fails('a=1,a=2')).toBe("Invalid --params 'a=2': key 'a' is given twice");
    expect(fails('a b=1')).toBe("Invalid --params 'a b=1': key 'a b' contains whitespace");
    expect(fails('a..b=1')).toBe("Invalid --params 'a..b=1': Invalid key 'a..b': empty segment in dotted path");
    expect(fails('c=[1,2')).toBe("Invalid --params 'c=[1,2': unclosed '[' or '{'");
    expect(fails('c=1]')).toBe("Invalid --params 'c=1]': unbalanced ']' at character 4");
    expect(fails('a=1,a.b=2')).toBe("Invalid --params 'a.b=2': Cannot set 'a.b': 'a' is a number, not a mapping");
    expect(fails('m={a: 1, a: 2}')).toMatch(/^Invalid --params 'm=\{a: 1, a: 2\}': the value of 'm' is not valid YAML \(Map keys must be unique/);
  });
});

describe('setNested / getNested', () => {
  it('creates intermediate mappings and reads them back', () => {
    const obj: Record<string, unknown> = { a: { x: 1 } };
    setNested(obj, 'a.b.c', 2);
    expect(obj).toEqual({ a: { x: 1, b: { c: 2 } } });
    expect(getNested(obj, 'a.b.c')).toBe(2);
    expect(getNested(obj, 'a.z')).toBeUndefined();
  });
});

describe('parseLoadVersions', () => {
  it('parses name:version pairs', () => {
    expect(parseLoadVersions('model:2024-05-01T10.00.00.000Z, ns.plot:2024-05-02T10.00.00.123Z')).toEqual({
      model: '2024-05-01T10.00.00.000Z',
      'ns.plot': '2024-05-02T10.00.00.123Z',
    });
  });

  it('rejects bad input with one clear line', () => {
    expect(() => parseLoadVersions('model')).toThrow("Invalid --load-versions 'model': expected dataset:version pairs separated by commas");
    expect(() => parseLoadVersions('model:latest')).toThrow(
      "Invalid --load-versions 'model:latest': version 'latest' is not a timestamp like 2024-05-01T10.00.00.000Z",
    );
    expect(() => parseLoadVersions('m:2024-05-01T10.00.00.000Z,m:2024-05-01T10.00.00.001Z')).toThrow(
      "Invalid --load-versions 'm:2024-05-01T10.00.00.001Z': dataset 'm' is given twice",
    );
  });
});
