import { describe, expect, it } from 'vitest';
import { availableEnvs, ConfigError, loadConfig } from './index';
import { makeProject } from './test-project.fixtures';

const pixel = (n: number) => `raw_pixel_layer_${n}:\n  type: pickle.PickleDataSet\n  filepath: data/01_raw/Run_316187_PXLayer_${n}.pkl\n`;

async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  expect((error as ConfigError).code).toBe('CONFIG_ERROR');
  return error as ConfigError;
}

describe('loadConfig: files and merging', () => {
  it('reads base then the env, all file patterns and extensions, ignoring hidden files', async () => {
    const root = makeProject({
      'conf/base/catalog.yml': pixel(1),
      'conf/base/catalog/extra.yml': pixel(2),
      'conf/base/catalog_more/deep/x.yaml': pixel(3),
      'conf/base/catalog_json.json': '{"raw_pixel_layer_4": {"type": "pickle.PickleDataSet", "filepath": "data/01_raw/4.pkl"}}',
      'conf/base/.catalog_hidden.yml': pixel(9),
      'conf/base/catalog/.hidden/x.yml': pixel(8),
      'conf/base/catalog_notes.txt': 'not: config',
      'conf/base/parameters.yml': 'model:\n  lr: 0.1\n  layers: [1, 2]\nseed: 1\n',
      'conf/base/parameters/data_science.yml': 'data_science:\n  k: 3\n',
      'conf/base/credentials.yml': 'db:\n  user: me\n',
      'conf/local/parameters.yml': 'model:\n  lr: 0.5\n',
      'conf/local/catalog.yml': 'raw_pixel_layer_1:\n  type: MemoryDataset\n',
    });
    const config = await loadConfig(root);
    expect(config.env).toBe('local');
    expect(Object.keys(config.catalog).sort()).toEqual(['raw_pixel_layer_1', 'raw_pixel_layer_2', 'raw_pixel_layer_3', 'raw_pixel_layer_4']);
    // catalog entries are replaced whole by the env
    expect(config.catalog.raw_pixel_layer_1).toEqual({ type: 'MemoryDataset' });
    // parameters merge deep
    expect(config.parameters).toEqual({ model: { lr: 0.5, layers: [1, 2] }, seed: 1, data_science: { k: 3 } });
    expect(config.credentials).toEqual({ db: { user: 'me' } });
    expect(config.sources.raw_pixel_layer_1).toBe('conf/local/catalog.yml');
    expect(config.sources.raw_pixel_layer_2).toBe('conf/base/catalog/extra.yml');
    expect(config.sources.raw_pixel_layer_3).toBe('conf/base/catalog_more/deep/x.yaml');
    expect(config.sources['params:model.lr']).toBe('conf/local/parameters.yml');
    expect(config.sources['params:model.layers']).toBe('conf/base/parameters.yml');
    expect(config.sources['params:data_science.k']).toBe('conf/base/parameters/data_science.yml');
    expect(config.files).not.toContain('conf/base/.catalog_hidden.yml');
  });

  it('loads a named env and lists envs (dirs under conf/ except base)', async () => {
    const root = makeProject({ 'conf/ci/parameters.yml': 'a: 2\n', 'conf/base/parameters.yml': 'a: 1\n', 'conf/local/.keep': '' });
    expect(availableEnvs(root)).toEqual(['ci', 'local']);
    expect((await loadConfig(root, 'ci')).parameters).toEqual({ a: 2 });
    expect((await loadConfig(root)).parameters).toEqual({ a: 1 });
  });

  it('works without conf/local (it is usually git-ignored)', async () => {
    const root = makeProject({ 'conf/base/parameters.yml': 'a: 1\n' });
    expect((await loadConfig(root)).parameters).toEqual({ a: 1 });
  });

  it('drops top-level keys starting with _ and supports YAML anchors and merge keys', async () => {
    const root = makeProject({
      'conf/base/catalog.yml': '_csv: &csv\n  type: pandas.CSVDataset\n  layer: raw\nx:\n  <<: *csv\n  filepath: data/x.csv\n',
    });
    expect((await loadConfig(root)).catalog).toEqual({ x: { type: 'pandas.CSVDataset', layer: 'raw', filepath: 'data/x.csv' } });
  });
});

describe('loadConfig: more file shapes', () => {
  it('credentials*/** and .yaml files; credentials replaced whole by the env', async () => {
    const root = makeProject({
      'conf/base/credentials.yaml': 'db:\n  user: base\n  host: h\n',
      'conf/base/credentials/api.yml': 'api:\n  token: t\n',
      'conf/ci/credentials_ci.yml': 'db:\n  user: ci\n',
    });
    const config = await loadConfig(root, 'ci');
    expect(config.credentials).toEqual({ db: { user: 'ci' }, api: { token: 't' } });
  });

  it('a duplicate key nested in a mapping gives its own line', async () => {
    const root = makeProject({ 'conf/base/parameters.yml': 'model:\n  lr: 1\n  depth: 2\n  lr: 3\n' });
    const e = await configError(loadConfig(root));
    expect(e.message).toBe("Duplicate key 'lr' in conf/base/parameters.yml at line 4, column 3: a key may appear only once in a mapping");
  });

  it('several YAML documents in one file are refused with the line', async () => {
    const root = makeProject({ 'conf/base/parameters.yml': 'a: 1\n---\nb: 2\n' });
    const e = await configError(loadConfig(root));
    expect(e.message).toMatch(/^Malformed YAML in conf\/base\/parameters\.yml at line 2, column 1: Source contains multiple documents/);
  });

  it('an empty file is an empty mapping', async () => {
    const root = makeProject({ 'conf/base/parameters.yml': '# nothing yet\n', 'conf/base/catalog.yml': '' });
    const config = await loadConfig(root);
    expect(config.parameters).toEqual({});
    expect(config.catalog).toEqual({});
  });
});

describe('loadConfig: errors', () => {
  it('a key defined in two files of one env names both files', async () => {
    const root = makeProject({ 'conf/base/catalog.yml': pixel(1), 'conf/base/catalog/extra.yml': pixel(1) });
    const e = await configError(loadConfig(root));
    expect(e.message).toBe("Duplicate key 'raw_pixel_layer_1' in conf/base/catalog.yml and conf/base/catalog/extra.yml");
  });

  it('duplicate parameters across files in one env', async () => {
    const root = makeProject({ 'conf/ci/parameters.yml': 'a: 1\n', 'conf/ci/parameters/x.yml': 'a: 2\n' });
    const e = await configError(loadConfig(root, 'ci'));
    expect(e.message).toBe("Duplicate key 'a' in conf/ci/parameters.yml and conf/ci/parameters/x.yml");
  });

  it('the same key in base and env is an override, not a duplicate', async () => {
    const root = makeProject({ 'conf/base/parameters.yml': 'a: 1\n', 'conf/ci/parameters.yml': 'a: 2\n' });
    expect((await loadConfig(root, 'ci')).parameters.a).toBe(2);
  });

  it('a key twice in one YAML file: file, key, line', async () => {
    const root = makeProject({ 'conf/base/catalog.yml': `${pixel(1)}${pixel(2)}${pixel(1)}` });
    const e = await configError(loadConfig(root));
    expect(e.message).toBe("Duplicate key 'raw_pixel_layer_1' in conf/base/catalog.yml at line 7, column 1: a key may appear only once in a mapping");
  });

  it('malformed YAML: file, line and column, with the parser reason', async () => {
    const root = makeProject({ 'conf/base/catalog.yml': 'a:\n  type: JSONDataset\n  filepath: [x, y\nb: 1\n' });
    const e = await configError(loadConfig(root));
    expect(e.message).toBe(
      'Malformed YAML in conf/base/catalog.yml at line 4, column 1: Flow sequence in block collection must be sufficiently indented and end with a ]',
    );
  });

  it('tabs used for indentation get their own message', async () => {
    const root = makeProject({ 'conf/base/parameters.yml': 'model:\n\tlr: 1\n' });
    const e = await configError(loadConfig(root));
    expect(e.message).toBe(
      'Malformed YAML in conf/base/parameters.yml at line 2, column 1: a tab character is used for indentation; YAML indents with spaces only',
    );
  });

  it('a top level that is not a mapping', async () => {
    const root = makeProject({ 'conf/base/parameters.yml': '- 1\n- 2\n' });
    const e = await configError(loadConfig(root));
    expect(e.message).toBe('Config file conf/base/parameters.yml must contain a mapping of keys at the top level, got a list');
  });

  it('malformed JSON config', async () => {
    const root = makeProject({ 'conf/base/catalog.json': '{"a": {"type": "x"},\n "a": 1}' });
    const e = await configError(loadConfig(root));
    expect(e.message).toBe("Duplicate key 'a' in conf/base/catalog.json at line 2, column 2: a key may appear only once in a mapping");
  });

  it('unknown env lists the valid ones with a suggestion', async () => {
    const root = makeProject({ 'conf/local/parameters.yml': '', 'conf/ci/parameters.yml': '', 'conf/prod/parameters.yml': '' });
    const e = await configError(loadConfig(root, 'lcal'));
    expect(e.message).toBe("Unknown environment 'lcal'. Valid environments: 'ci', 'local', 'prod'. Did you mean 'local'?");
  });

  it("'base' is not a run environment", async () => {
    const root = makeProject({ 'conf/ci/parameters.yml': '' });
    const e = await configError(loadConfig(root, 'base'));
    expect(e.message).toBe("'base' is not a run environment (it is always loaded); choose one of: 'ci'");
  });

  it('no conf/base folder', async () => {
    const root = makeProject({});
    const { rmSync } = await import('node:fs');
    rmSync(`${root}/conf`, { recursive: true });
    const e = await configError(loadConfig(root));
    expect(e.message).toBe(`No configuration found: ${root}/conf/base does not exist (is '${root}' the project root?)`);
  });

  it('catalog entry without type names the entry and the file', async () => {
    const root = makeProject({ 'conf/base/catalog.yml': 'x:\n  filepath: data/x.csv\n' });
    const e = await configError(loadConfig(root));
    expect(e.message).toBe("Catalog entry 'x' in conf/base/catalog.yml: 'type' is required");
  });

  it('catalog entry with badly typed keys lists each problem', async () => {
    const root = makeProject({ 'conf/ci/catalog.yml': 'x:\n  type: JSONDataset\n  versioned: "yes"\n  load_args: [1]\n' });
    const e = await configError(loadConfig(root, 'ci'));
    expect(e.message).toBe("Catalog entry 'x' in conf/ci/catalog.yml: 'load_args' must be a mapping, got a list; 'versioned' must be a boolean, got a string");
  });

  it('catalog entry that is not a mapping', async () => {
    const root = makeProject({ 'conf/base/catalog.yml': 'base_path: data/01_raw\n' });
    const e = await configError(loadConfig(root));
    expect(e.message).toBe(
      "Catalog entry 'base_path' in conf/base/catalog.yml: expected a mapping with at least 'type', got a string (keys used only for YAML anchors or interpolation must start with '_')",
    );
  });
});

describe('loadConfig: interpolation', () => {
  it('globals, runtime params (with defaults), self references', async () => {
    const root = makeProject({
      'conf/base/globals.yml': 'folders:\n  raw: data/01_raw\nrun: 316187\n',
      'conf/ci/globals.yml': 'run: 1\n',
      'conf/base/catalog.yml': 'x:\n  type: pandas.CSVDataset\n  filepath: ${globals:folders.raw}/run_${globals:run}.csv\n  layer: ${globals:layer, raw}\n',
      'conf/base/parameters.yml':
        'run: ${globals:run}\nmodel:\n  lr: 0.1\n  lr_copy: ${model.lr}\n  label: lr=${model.lr}\nthreshold: ${runtime_params:threshold, 0.5}\nseeds: ${runtime_params:seeds, [1, 2]}\n',
    });
    const config = await loadConfig(root, 'ci', { runtimeParams: { threshold: 0.9 } });
    expect(config.catalog.x).toEqual({ type: 'pandas.CSVDataset', filepath: 'data/01_raw/run_1.csv', layer: 'raw' });
    expect(config.parameters).toEqual({ run: 1, model: { lr: 0.1, lr_copy: 0.1, label: 'lr=0.1' }, threshold: 0.9, seeds: [1, 2] });
    expect(config.globals).toEqual({ folders: { raw: 'data/01_raw' }, run: 1 });
  });

  it('runtime params override parameters at the nested key, and self references see them', async () => {
    const root = makeProject({ 'conf/base/parameters.yml': 'model:\n  lr: 0.1\n  depth: 3\nlr_twice: ${model.lr}\n' });
    const config = await loadConfig(root, 'local', { runtimeParams: { model: { lr: 0.2 }, 'extra.flag': true } });
    expect(config.parameters).toEqual({ model: { lr: 0.2, depth: 3 }, lr_twice: 0.2, extra: { flag: true } });
    expect(config.sources['params:model.lr']).toBe('--params');
    expect(config.sources['params:model.depth']).toBe('conf/base/parameters.yml');
  });

  it('oc.env resolves in credentials', async () => {
    const root = makeProject({ 'conf/local/credentials.yml': 'dials:\n  token: ${oc.env:DQM_TEST_TOKEN}\n  user: ${oc.env:DQM_TEST_USER, anonymous}\n' });
    const config = await loadConfig(root, 'local', { environ: { DQM_TEST_TOKEN: 's3cret' } });
    expect(config.credentials).toEqual({ dials: { token: 's3cret', user: 'anonymous' } });
  });

  it('oc.env outside credentials is refused', async () => {
    const root = makeProject({ 'conf/base/parameters.yml': 'paths:\n  home: ${oc.env:HOME}\n' });
    const e = await configError(loadConfig(root));
    expect(e.message).toBe(
      "Cannot resolve '${oc.env:HOME}' in conf/base/parameters.yml at 'paths.home': ${oc.env:...} is only allowed in credentials files (credentials*.yml), so that environment values never reach parameters or the catalog",
    );
  });

  it('an unset env var in credentials names the variable, not a value', async () => {
    const root = makeProject({ 'conf/local/credentials.yml': 'db:\n  password: ${oc.env:DQM_NOT_SET}\n' });
    const e = await configError(loadConfig(root, 'local', { environ: {} }));
    expect(e.message).toBe("Cannot resolve '${oc.env:DQM_NOT_SET}' in conf/local/credentials.yml at 'db.password': environment variable 'DQM_NOT_SET' is not set");
  });

  it('unresolved self reference names the file and the key path', async () => {
    const root = makeProject({ 'conf/base/parameters/model.yml': 'model:\n  lr: ${model.learning_rate}\n' });
    const e = await configError(loadConfig(root));
    expect(e.message).toBe("Cannot resolve '${model.learning_rate}' in conf/base/parameters/model.yml at 'model.lr': 'model.learning_rate' is not defined in parameters");
  });

  it('unknown global', async () => {
    const root = makeProject({ 'conf/base/catalog.yml': 'x:\n  type: JSONDataset\n  filepath: ${globals:root}/x.json\n' });
    const e = await configError(loadConfig(root));
    expect(e.message).toBe(
      "Cannot resolve '${globals:root}' in conf/base/catalog.yml at 'x.filepath': 'root' is not defined in globals (globals*.yml in conf/base or the run environment)",
    );
  });

  it('missing runtime param without default', async () => {
    const root = makeProject({ 'conf/base/parameters.yml': 'run: ${runtime_params:run}\n' });
    const e = await configError(loadConfig(root));
    expect(e.message).toBe(
      "Cannot resolve '${runtime_params:run}' in conf/base/parameters.yml at 'run': runtime parameter 'run' was not given (pass --params run=... or add a default: ${runtime_params:run, <default>})",
    );
  });

  it('cycles and unknown resolvers', async () => {
    const cyc = makeProject({ 'conf/base/parameters.yml': 'a: ${b}\nb: ${a}\n' });
    expect((await configError(loadConfig(cyc))).message).toBe("Cannot resolve '${a}' in conf/base/parameters.yml at 'b': interpolation cycle a -> b -> a");
    const res = makeProject({ 'conf/base/parameters.yml': 'a: ${oc.create:b}\n' });
    expect((await configError(loadConfig(res))).message).toBe(
      "Cannot resolve '${oc.create:b}' in conf/base/parameters.yml at 'a': unknown resolver 'oc.create' (supported: globals, runtime_params, oc.env, oc.select, oc.dict.keys, oc.dict.values; add your own in pipelines/settings.ts: configLoaderArgs.customResolvers)",
    );
  });

  it('a mapping cannot be joined into a string; \\${ escapes', async () => {
    const root = makeProject({ 'conf/base/parameters.yml': 'm:\n  a: 1\ns: "x${m}"\n' });
    expect((await configError(loadConfig(root))).message).toBe(
      "Cannot resolve '${m}' in conf/base/parameters.yml at 's': it refers to a mapping or list, which cannot be joined into a string",
    );
    const esc = makeProject({ 'conf/base/parameters.yml': 'tpl: "cost \\\\${x}"\n' });
    expect((await loadConfig(esc)).parameters).toEqual({ tpl: 'cost ${x}' });
  });
});
