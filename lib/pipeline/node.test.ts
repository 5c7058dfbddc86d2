import { describe, expect, it } from 'vitest';
import { isParameter, node, NodeError, PipelineError } from './index';

function identity(x: unknown) {
  return x;
}
function sum(a: number, b: number) {
  return a + b;
}

describe('node', () => {
  it('takes its default name from the function, never a hash', () => {
    expect(node(identity, 'a', 'b').name).toBe('identity');
    expect(node(identity, 'a', 'b', { name: 'copy' }).name).toBe('copy');
  });

  it('namespaces its name but keeps a name that already carries the namespace', () => {
    const n = node(identity, 'a', 'b', { namespace: 'layer_1' });
    expect(n.name).toBe('layer_1.identity');
    expect(n.shortName).toBe('identity');
    expect(node(identity, 'a', 'b', { namespace: 'ns', name: 'ns.copy' }).name).toBe('ns.copy');
  });

  it('passes a single string input as the only argument', async () => {
    expect(await node(identity, 'a', 'b').run({ a: 5 })).toEqual({ b: 5 });
  });

  it('passes a list of inputs positionally and maps list outputs by position', async () => {
    const split = (x: number, y: number) => [x + y, x - y];
    const n = node(split, ['x', 'y'], ['plus', 'minus']);
    expect(await n.run({ x: 5, y: 3 })).toEqual({ plus: 8, minus: 2 });
  });

  it('passes an {argument: dataset} mapping as one object and maps object outputs by key', async () => {
    const f = ({ a, b }: { a: number; b: number }) => ({ total: a + b, product: a * b });
    const n = node(f, { a: 'first', b: 'second' }, { total: 'sum_ds', product: 'prod_ds' });
    expect(n.inputs).toEqual(['first', 'second']);
    expect(n.outputs).toEqual(['sum_ds', 'prod_ds']);
    expect(await n.run({ first: 2, second: 3 })).toEqual({ sum_ds: 5, prod_ds: 6 });
  });

  it('supports null inputs and null outputs, and awaits async functions', async () => {
    const make = async () => 42;
    expect(await node(make, null, 'answer').run({})).toEqual({ answer: 42 });
    expect(await node(function sink(_x: unknown) {}, 'x', null).run({ x: 1 })).toEqual({});
  });

  it('lists a dataset read twice once', () => {
    expect(node(sum, ['a', 'a'], 'b').inputs).toEqual(['a']);
  });

  it('normalises tags', () => {
    expect([...node(identity, 'a', 'b', { tags: 'x' }).tags]).toEqual(['x']);
    expect([...node(identity, 'a', 'b', { tags: ['x', 'y'] }).tags]).toEqual(['x', 'y']);
  });

  it('recognises parameters', () => {
    expect(isParameter('params:a.b')).toBe(true);
    expect(isParameter('parameters')).toBe(true);
    expect(isParameter('raw_params')).toBe(false);
  });

  it('prints itself readably', () => {
    expect(String(node(sum, ['a', 'b'], 'c'))).toBe('sum([a, b]) -> [c]');
  });

  describe('errors', () => {
    it('rejects a non-function', () => {
      expect(() => node(42 as never, 'a', 'b', { name: 'x' })).toThrow(new PipelineError("Node 'x': the first argument must be a function, got number"));
    });
    it('asks for a name when the function has none', () => {
      expect(() => node((x: unknown) => x, 'a', 'b')).toThrow('Node with an anonymous function needs a name: node(fn, inputs, outputs, { name: "..." })');
    });
    it('rejects empty and malformed dataset names', () => {
      expect(() => node(identity, '', 'b')).toThrow("Node 'identity': inputs has an empty dataset name");
      expect(() => node(identity, 'a', ['b', ''])).toThrow("Node 'identity': outputs must be a dataset name, a list of names or an {argument: name} mapping");
      expect(() => node(identity, 42 as never, 'b')).toThrow("Node 'identity': inputs must be a dataset name, a list of names or an {argument: name} mapping");
    });
    it('rejects an output listed twice and a node that reads its own output', () => {
      expect(() => node(identity, 'a', ['b', 'b'])).toThrow("Node 'identity' lists output 'b' twice");
      expect(() => node(identity, 'a', 'a')).toThrow("Node 'identity' reads and writes the same dataset 'a'");
    });
    it('reports missing inputs and outputs that do not match the declaration', async () => {
      await expect(node(sum, ['a', 'b'], 'c').run({ a: 1 })).rejects.toThrow(new NodeError("Node 'sum' is missing inputs: b", 'sum'));
      await expect(node(identity, 'a', ['b', 'c']).run({ a: 1 })).rejects.toThrow("Node 'identity' must return an array of 2 values (b, c), got number");
      await expect(node(identity, 'a', ['b', 'c']).run({ a: [1] })).rejects.toThrow("Node 'identity' must return an array of 2 values (b, c), got an array of 1");
      await expect(node(identity, 'a', { x: 'b' }).run({ a: null })).rejects.toThrow("Node 'identity' must return an object with keys x, got null");
      await expect(node(identity, 'a', { x: 'b', y: 'c' }).run({ a: { x: 1 } })).rejects.toThrow("Node 'identity' returned no value for y");
    });
  });
});
