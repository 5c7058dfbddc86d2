import { describe, expect, it } from 'vitest';
import { add, CircularDependencyError, intersect, node, OutputNotUniqueError, Pipeline, PipelineError, subtract, union } from './index';

const f = (name: string) => {
  const fn = (...args: unknown[]) => args;
  Object.defineProperty(fn, 'name', { value: name });
  return fn;
};
const n = (name: string, inputs: string | string[] | null, outputs: string | string[] | null, tags?: string[]) =>
  node(f(name), inputs, outputs, { tags });

/**
 *   raw ─ clean ─ cleaned ─┬─ features ─ feats ─ train ─ model ─ report ─ summary
 *                          └─ stats ─ statistics ──────────────────┘
 */
const clean = n('clean', 'raw', 'cleaned', ['prep']);
const features = n('features', ['cleaned', 'params:window'], 'feats', ['prep', 'ml']);
const stats = n('stats', 'cleaned', 'statistics');
const train = n('train', ['feats', 'params:model'], 'model', ['ml']);
const report = n('report', ['model', 'statistics'], 'summary');
const full = new Pipeline([report, train, stats, features, clean]);

describe('Pipeline', () => {
  it('orders nodes topologically with ties broken by name', () => {
    expect(full.nodeNames()).toEqual(['clean', 'features', 'stats', 'train', 'report']);
    const independent = new Pipeline([n('c', null, 'c1'), n('a', null, 'a1'), n('b', null, 'b1')]);
    expect(independent.nodeNames()).toEqual(['a', 'b', 'c']);
  });

  it('groups nodes by dependency level', () => {
    expect(full.grouped().map((g) => g.map((x) => x.name))).toEqual([['clean'], ['features', 'stats'], ['train'], ['report']]);
  });

  it('knows its free inputs, final outputs, parameters and tags', () => {
    expect([...full.inputs()].sort()).toEqual(['params:model', 'params:window', 'raw']);
    expect([...full.outputs()]).toEqual(['summary']);
    expect([...full.allOutputs()].sort()).toEqual(['cleaned', 'feats', 'model', 'statistics', 'summary']);
    expect([...full.parameters()].sort()).toEqual(['params:model', 'params:window']);
    expect([...full.tags()].sort()).toEqual(['ml', 'prep']);
    expect(full.producerOf('model')?.name).toBe('train');
    expect(full.consumersOf('cleaned').map((x) => x.name)).toEqual(['features', 'stats']);
    expect(full.datasets().size).toBe(8);
  });

  it('adds tags to every node when built with tags', () => {
    const tagged = new Pipeline([clean, stats], { tags: 'nightly' });
    expect(tagged.nodes.every((x) => x.tags.has('nightly'))).toBe(true);
    expect(tagged.getNode('clean')!.tags.has('prep')).toBe(true);
  });

  describe('algebra', () => {
    const a = new Pipeline([clean, stats]);
    const b = new Pipeline([stats, features]);
    it('adds, subtracts, intersects and unites by node', () => {
      expect(add(a, b).nodeNames()).toEqual(['clean', 'features', 'stats']);
      expect(union(a, b).nodeNames()).toEqual(['clean', 'features', 'stats']);
      expect(subtract(a, b).nodeNames()).toEqual(['clean']);
      expect(intersect(a, b).nodeNames()).toEqual(['stats']);
      expect(add(a, a).nodes.length).toBe(2);
    });
    it('returns new pipelines and leaves the operands unchanged', () => {
      const sum = add(a, b);
      expect(sum).not.toBe(a);
      expect(a.nodeNames()).toEqual(['clean', 'stats']);
    });
  });

  describe('filters', () => {
    it('onlyNodes', () => {
      expect(full.onlyNodes('stats', 'train').nodeNames()).toEqual(['stats', 'train']);
    });
    it('fromNodes: the nodes and everything downstream', () => {
      expect(full.fromNodes('features').nodeNames()).toEqual(['features', 'train', 'report']);
    });
    it('toNodes: the nodes and everything upstream', () => {
      expect(full.toNodes('train').nodeNames()).toEqual(['clean', 'features', 'train']);
    });
    it('fromInputs: nodes depending on the datasets', () => {
      expect(full.fromInputs('statistics').nodeNames()).toEqual(['report']);
      expect(full.fromInputs('params:window').nodeNames()).toEqual(['features', 'train', 'report']);
    });
    it('toOutputs: nodes needed for the datasets', () => {
      expect(full.toOutputs('statistics').nodeNames()).toEqual(['clean', 'stats']);
    });
    it('onlyNodesWithTags: nodes carrying any of the tags', () => {
      expect(full.onlyNodesWithTags('ml').nodeNames()).toEqual(['features', 'train']);
      expect(full.onlyNodesWithTags('prep', 'ml').nodeNames()).toEqual(['clean', 'features', 'train']);
    });
    it('filter intersects every criterion given', () => {
      expect(full.filter({ fromNodes: ['features'], toNodes: ['train'] }).nodeNames()).toEqual(['features', 'train']);
      expect(full.filter({ tags: ['ml'], toOutputs: ['feats'] }).nodeNames()).toEqual(['features']);
      expect(full.filter({ nodeNames: ['clean', 'stats'], fromInputs: ['cleaned'] }).nodeNames()).toEqual(['stats']);
      expect(full.filter({}).nodeNames()).toEqual(full.nodeNames());
    });
  });

  describe('errors', () => {
    it('names the nodes of a cycle in execution order', () => {
      const cyclic = () => new Pipeline([n('c', 'z', 'x'), n('a', 'x', 'y'), n('b', 'y', 'z'), n('d', 'z', 'w')]);
      expect(cyclic).toThrow(CircularDependencyError);
      expect(cyclic).toThrow('Circular dependencies exist among these nodes: a -> b -> c -> a');
    });
    it('names both nodes writing one output', () => {
      const twice = () => new Pipeline([n('b', 'x', 'out'), n('a', 'y', 'out')]);
      expect(twice).toThrow(OutputNotUniqueError);
      expect(twice).toThrow("Output 'out' is produced by more than one node: a, b");
    });
    it('rejects two different nodes with one name', () => {
      expect(() => new Pipeline([n('same', 'a', 'b'), n('same', 'c', 'd')])).toThrow(
        "Pipeline contains duplicate node names: 'same'. Give the nodes distinct names with node(..., { name })",
      );
      const g = f('g');
      expect(() => new Pipeline([node(g, 'a', 'b'), node(g, 'c', 'd')])).toThrow("Pipeline contains duplicate node names: 'g'");
    });
    it('rejects things that are not nodes', () => {
      expect(() => new Pipeline([{} as never])).toThrow('A pipeline can only contain nodes and pipelines');
    });
    it('suggests close names for an unknown node', () => {
      expect(() => full.onlyNodes('trian')).toThrow(PipelineError);
      expect(() => full.onlyNodes('trian')).toThrow("Pipeline does not contain a node named 'trian'. Did you mean 'train'?");
      expect(() => full.fromNodes('nothing_like_it')).toThrow("Pipeline does not contain a node named 'nothing_like_it'.");
      expect(() => full.toNodes('report_')).toThrow("Pipeline does not contain a node named 'report_'. Did you mean 'report'?");
    });
    it('rejects datasets that are not inputs or outputs', () => {
      expect(() => full.fromInputs('summary')).toThrow("Pipeline does not have 'summary' among its inputs.");
      expect(() => full.toOutputs('modle')).toThrow("Pipeline does not have 'modle' among its outputs. Did you mean 'model'?");
    });
    it('refuses a filter that leaves nothing', () => {
      expect(() => full.filter({ tags: ['nope'] })).toThrow(
        'Pipeline contains no nodes after applying the filters (check --tags, --nodes, --from-nodes, --to-nodes, --from-inputs, --to-outputs, --namespaces)',
      );
    });
  });
});
