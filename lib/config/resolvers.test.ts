/** Custom resolvers (pipelines/settings.ts) and the OmegaConf built-ins Kedro users write. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from './index';
import { configErrorMessage, makeProject } from './test-project.fixtures';

const customResolvers = {
  add: (...xs: unknown[]) => (xs as number[]).reduce((a, b) => a + b, 0),
  upper: (s: unknown) => String(s).toUpperCase(),
  join: (...xs: unknown[]) => xs.join('|'),
  now: () => 'fixed',
  boom: () => {
    throw new Error('no luck');
  },
  later: async () => 1,
};


describe('custom resolvers', () => {
  it('take typed arguments, nested interpolations and keep the returned type', async () => {
    const root = makeProject({
      'conf/base/globals.yml': 'layer_count: 4\n',
      'conf/base/parameters.yml': [
        'a: 1',
        'total: ${add:1,2,3}',
        'nested: ${add:${a},${globals:layer_count}}',
        'name: ${upper:pixel}',
        'label: "run-${upper:x}-${add:1,1}"',
        "quoted: ${join:'a,b', c, [1, 2]}",
        'empty: ${now:}',
        '',
      ].join('\n'),
      'conf/base/catalog.yml': 'x:\n  type: json.JSONDataset\n  filepath: data/${upper:raw}/x.json\n',
    });
    const config = await loadConfig(root, 'local', { customResolvers });
    expect(config.parameters).toEqual({ a: 1, total: 6, nested: 5, name: 'PIXEL', label: 'run-X-2', quoted: 'a,b|c|1,2', empty: 'fixed' });
    expect(config.catalog.x!.filepath).toBe('data/RAW/x.json');
  });

  it('a resolver that throws or returns a Promise names the key, the file and the resolver', async () => {
    const throws = makeProject({ 'conf/base/parameters.yml': 'x: ${boom:1}\n' });
    expect(await configErrorMessage(loadConfig(throws, 'local', { customResolvers }))).toBe(
      "Cannot resolve '${boom:1}' in conf/base/parameters.yml at 'x': resolver 'boom' failed: no luck",
    );
    const promise = makeProject({ 'conf/base/parameters/p.yml': 'p:\n  y: ${later:}\n' });
    expect(await configErrorMessage(loadConfig(promise, 'local', { customResolvers }))).toBe(
      "Cannot resolve '${later:}' in conf/base/parameters/p.yml at 'p.y': resolver 'later' returned a Promise; resolvers must be synchronous",
    );
  });

  it('may not shadow a built-in resolver and must be functions', async () => {
    const root = makeProject({ 'conf/base/parameters.yml': 'a: 1\n' });
    expect(await configErrorMessage(loadConfig(root, 'local', { customResolvers: { 'oc.env': () => 'x' } }))).toBe(
      "Custom resolver 'oc.env' in pipelines/settings.ts has the name of a built-in resolver (globals, runtime_params, oc.env, oc.select, oc.dict.keys, oc.dict.values); choose another name",
    );
    expect(await configErrorMessage(loadConfig(root, 'local', { customResolvers: { x: 3 as unknown as () => unknown } }))).toBe(
      "Custom resolver 'x' in pipelines/settings.ts must be a function, got number",
    );
  });
});

describe('OmegaConf built-ins', () => {
  it('oc.select reads a key or falls back to its default (null without one)', async () => {
    const root = makeProject({
      'conf/base/parameters.yml': 'model:\n  lr: 0.1\nlr: ${oc.select:model.lr, 0.5}\ndepth: ${oc.select:model.depth, 3}\nnone: ${oc.select:model.missing}\nlist: ${oc.select:model.layers, [1, 2]}\n',
    });
    const { parameters } = await loadConfig(root);
    expect(parameters).toEqual({ model: { lr: 0.1 }, lr: 0.1, depth: 3, none: null, list: [1, 2] });
  });

  it('oc.dict.keys and oc.dict.values list a mapping', async () => {
    const root = makeProject({
      'conf/base/parameters.yml': 'layers:\n  layer_1: {radius: 2.9}\n  layer_2: {radius: 6.8}\nnames: ${oc.dict.keys:layers}\nradii: ${oc.dict.values:layers}\n',
    });
    const { parameters } = await loadConfig(root);
    expect(parameters.names).toEqual(['layer_1', 'layer_2']);
    expect(parameters.radii).toEqual([{ radius: 2.9 }, { radius: 6.8 }]);
    const bad = makeProject({ 'conf/base/parameters.yml': 'n: 3\nk: ${oc.dict.keys:n}\n' });
    expect(await configErrorMessage(loadConfig(bad))).toBe("Cannot resolve '${oc.dict.keys:n}' in conf/base/parameters.yml at 'k': 'n' is not a mapping");
  });
});
