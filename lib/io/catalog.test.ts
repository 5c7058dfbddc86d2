import { mkdtempSync, readdirSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config';
import { AbstractDataset, DataCatalog, DatasetError, DatasetNotFoundError, MemoryDataset, registerDatasetType, supportedDatasetTypes, VERSION_PATTERN } from './index';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'dqm-catalog-'));

function throws(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}

async function rejects(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: Error) => e,
  );
}

describe('DataCatalog basics', () => {
  it('loads and saves by name, lists, has, exists, memory for unregistered outputs', async () => {
    const root = tmp();
    const catalog = DataCatalog.fromConfig({ a: { type: 'JSONDataset', filepath: 'data/a.json' } }, { projectRoot: root });
    expect(catalog.has('a')).toBe(true);
    expect(catalog.has('b')).toBe(false);
    expect(await catalog.exists('a')).toBe(false);
    expect(await catalog.exists('nope')).toBe(false);
    await catalog.save('a', { x: 1 });
    expect(await catalog.exists('a')).toBe(true);
    expect(await catalog.load('a')).toEqual({ x: 1 });
    await catalog.save('intermediate', [1, 2]);
    expect(catalog.getDataset('intermediate')).toBeInstanceOf(MemoryDataset);
    expect(await catalog.load('intermediate')).toEqual([1, 2]);
    catalog.release('intermediate');
    expect(await catalog.exists('intermediate')).toBe(false);
    expect(catalog.listDatasets()).toEqual(['a', 'intermediate']);
    expect(catalog.ensure('other')).toBeInstanceOf(MemoryDataset);
  });

  it('loading an unknown name is an error with a suggestion', async () => {
    const catalog = DataCatalog.fromConfig({ summary_statistics: { type: 'MemoryDataset' } }, { projectRoot: tmp() });
    const e = await rejects(catalog.load('summary_statistic'));
    expect(e).toBeInstanceOf(DatasetNotFoundError);
    expect(e.message).toBe("Dataset 'summary_statistic' not found in the catalog. Did you mean 'summary_statistics'?");
  });

  it('a missing input file names the dataset and the path', async () => {
    const catalog = DataCatalog.fromConfig({ raw: { type: 'JSONDataset', filepath: 'data/01_raw/raw.json' } }, { projectRoot: tmp() });
    const e = await rejects(catalog.load('raw'));
    expect(e).toBeInstanceOf(DatasetError);
    expect((e as DatasetError).code).toBe('DATASET_FILE_NOT_FOUND');
    expect(e.message).toBe(
      "Failed while loading data from dataset 'raw' (data/01_raw/raw.json): the file does not exist (run the node that produces it first, or check 'filepath' in the catalog)",
    );
  });

  it('add() refuses to replace unless asked', () => {
    const catalog = DataCatalog.fromConfig({}, { projectRoot: tmp() });
    catalog.add('x', new MemoryDataset());
    expect(throws(() => catalog.add('x', new MemoryDataset())).message).toBe("Dataset 'x' is already registered in the catalog");
    catalog.add('x', new MemoryDataset({ data: 1 }), { replace: true });
  });

  it('unknown dataset type names the entry, its file and the supported types', () => {
    const e = throws(() => DataCatalog.fromConfig({ x: { type: 'foo.Bar' } }, { projectRoot: tmp(), sources: { x: 'conf/base/catalog.yml' } }));
    expect(e).toBeInstanceOf(DatasetError);
    expect(e.message).toBe(`Catalog entry 'x' (conf/base/catalog.yml) has unknown type 'foo.Bar'. Supported types: ${supportedDatasetTypes().join(', ')}.`);
    expect(supportedDatasetTypes()).toEqual([...supportedDatasetTypes()].sort());
    expect(supportedDatasetTypes()).toContain('pickle.PickleDataset');
    const typo = throws(() => DataCatalog.fromConfig({ x: { type: 'pandas.CSVDatset' } }, { projectRoot: tmp() }));
    expect(typo.message).toMatch(/^Catalog entry 'x' has unknown type 'pandas.CSVDatset'\. Supported types: .*\. Did you mean 'pandas.CSVDataset'\?$/);
  });

  it('entry validation errors come from the schema, naming the entry and file', () => {
    const e = throws(() => DataCatalog.fromConfig({ x: { filepath: 'a' } }, { projectRoot: tmp(), sources: { x: 'conf/base/catalog.yml' } }));
    expect(e).toBeInstanceOf(ConfigError);
    expect(e.message).toBe("Catalog entry 'x' in conf/base/catalog.yml: 'type' is required");
  });

  it('a dataset constructor error names the entry', () => {
    const e = throws(() => DataCatalog.fromConfig({ x: { type: 'JSONDataset' } }, { projectRoot: tmp(), sources: { x: 'conf/base/catalog.yml' } }));
    expect(e.message).toBe("Catalog entry 'x' (conf/base/catalog.yml): JSONDataset needs 'filepath' (a non-empty string), got nothing");
  });

  it('Kedro spellings of type names resolve to our classes', () => {
    const catalog = DataCatalog.fromConfig(
      {
        a: { type: 'json.JSONDataSet', filepath: 'a.json' },
        b: { type: 'kedro_datasets.pandas.CSVDataset', filepath: 'b.csv' },
        c: { type: 'io.MemoryDataset' },
        d: { type: 'MemoryDataSet' },
        e: { type: 'plotly.JSONDataSet', filepath: 'e.json' },
      },
      { projectRoot: tmp() },
    );
    expect(['a', 'b', 'c', 'd', 'e'].map((n) => catalog.describe(n).datasetClass)).toEqual([
      'JSONDataset',
      'CSVDataset',
      'MemoryDataset',
      'MemoryDataset',
      'PlotlyDataset',
    ]);
  });

  it('registerDatasetType adds a type for all catalogs', async () => {
    class Constant extends AbstractDataset<number> {
      constructor(private readonly config: Record<string, unknown>) {
        super();
      }
      protected async doLoad() {
        return Number(this.config.value);
      }
      protected async doSave() {}
      protected async doExists() {
        return true;
      }
      protected doDescribe() {
        return { value: this.config.value };
      }
    }
    registerDatasetType('test.Constant', Constant);
    DataCatalog.registerDatasetType('test.Constant2', Constant);
    const catalog = DataCatalog.fromConfig({ k: { type: 'test.Constant', value: 7 }, k2: { type: 'test.Constant2', value: 8 } }, { projectRoot: tmp() });
    expect(await catalog.load('k')).toBe(7);
    expect(await catalog.load('k2')).toBe(8);
  });
});

describe('params: inputs', () => {
  it('adds parameters, params:a and nested params:a.b', async () => {
    const catalog = DataCatalog.fromConfig({}, { projectRoot: tmp() });
    catalog.addFeedDict({ model: { lr: 0.1, layers: [1, 2] }, seed: 3 });
    expect(await catalog.load('parameters')).toEqual({ model: { lr: 0.1, layers: [1, 2] }, seed: 3 });
    expect(await catalog.load('params:model')).toEqual({ lr: 0.1, layers: [1, 2] });
    expect(await catalog.load('params:model.lr')).toBe(0.1);
    expect(await catalog.load('params:seed')).toBe(3);
    expect(catalog.describe('params:seed')).toMatchObject({ type: 'MemoryDataset', parameter: true, persisted: false });
    // a node mutating its parameters cannot change what the next node sees
    const p = (await catalog.load('params:model')) as { layers: number[] };
    p.layers.push(99);
    expect(await catalog.load('params:model')).toEqual({ lr: 0.1, layers: [1, 2] });
  });
});

describe('dataset factories', () => {
  const entries = {
    '{layer}_{name}': { type: 'JSONDataset', filepath: 'data/{layer}/{name}.json', metadata: { 'kedro-viz': { layer: '{layer}' } } },
    'preprocessed_raw_pixel_layer_{n}': { type: 'CSVDataset', filepath: 'data/02_intermediate/layer_{n}.csv', layer: 'intermediate' },
    '{namespace}.{name}': { type: 'TextDataset', filepath: 'data/{namespace}/{name}.txt' },
    'explicit_one': { type: 'MemoryDataset' },
  };

  it('the most specific pattern wins and placeholders fill every string', () => {
    const catalog = DataCatalog.fromConfig(entries, { projectRoot: tmp(), sources: { '{layer}_{name}': 'conf/base/catalog.yml' } });
    expect(catalog.listPatterns()).toEqual(['preprocessed_raw_pixel_layer_{n}', '{layer}_{name}', '{namespace}.{name}']);
    expect(catalog.has('raw_pixel')).toBe(true);
    expect(catalog.has('nounderscore')).toBe(false);
    expect(catalog.matchFactory('preprocessed_raw_pixel_layer_3')).toBe('preprocessed_raw_pixel_layer_{n}');
    expect(catalog.describe('preprocessed_raw_pixel_layer_3')).toMatchObject({
      type: 'CSVDataset',
      filepath: 'data/02_intermediate/layer_3.csv',
      layer: 'intermediate',
      pattern: 'preprocessed_raw_pixel_layer_{n}',
    });
    // parse semantics: the first placeholder matches as little as possible
    expect(catalog.describe('raw_pixel_layer_1')).toMatchObject({
      type: 'JSONDataset',
      filepath: 'data/raw/pixel_layer_1.json',
      layer: 'raw',
      metadata: { 'kedro-viz': { layer: 'raw' } },
      source: 'conf/base/catalog.yml',
    });
    expect(catalog.describe('science.model')).toMatchObject({ filepath: 'data/science/model.txt' });
    // equal rank: alphabetical, so `{layer}_{name}` takes a namespaced name that has an underscore
    expect(catalog.matchFactory('data_science.model')).toBe('{layer}_{name}');
    expect(catalog.listDatasets()).toEqual(['explicit_one', 'preprocessed_raw_pixel_layer_3', 'raw_pixel_layer_1', 'science.model']);
    expect(catalog.matchFactory('explicit_one')).toBeUndefined();
  });

  it('ranks by specificity, then more placeholders, then alphabetically (Kedro)', () => {
    const catalog = DataCatalog.fromConfig(
      {
        '{a}': { type: 'MemoryDataset' },
        '{x}_{y}': { type: 'MemoryDataset' },
        'b_{x}': { type: 'MemoryDataset' },
        'a_{x}': { type: 'MemoryDataset' },
        '{x}{y}_{z}': { type: 'MemoryDataset' },
      },
      { projectRoot: tmp() },
    );
    expect(catalog.listPatterns()).toEqual(['a_{x}', 'b_{x}', '{x}{y}_{z}', '{x}_{y}', '{a}']);
  });

  it('round trip through a factory dataset', async () => {
    const root = tmp();
    const catalog = DataCatalog.fromConfig(entries, { projectRoot: root });
    await catalog.save('reporting.summary', 'hello');
    expect(await catalog.load('reporting.summary')).toBe('hello');
    expect(readdirSync(path.join(root, 'data/reporting'))).toEqual(['summary.txt']);
  });

  it('errors: placeholder not in the pattern, several catch-alls, bad placeholder, bad type', () => {
    const bad = DataCatalog.fromConfig({ '{name}_x': { type: 'JSONDataset', filepath: 'data/{other}.json' } }, { projectRoot: tmp() });
    expect(throws(() => bad.getDataset('a_x')).message).toBe(
      "Unable to resolve 'data/{other}.json' from the dataset factory pattern '{name}_x': '{other}' is not a placeholder of the pattern (it has {name})",
    );
    expect(throws(() => DataCatalog.fromConfig({ '{a}': { type: 'MemoryDataset' }, '{b}': { type: 'MemoryDataset' } }, { projectRoot: tmp() })).message).toBe(
      "Multiple catch-all dataset factory patterns in the catalog: '{a}', '{b}'. Only one is allowed; remove the others.",
    );
    expect(throws(() => DataCatalog.fromConfig({ '{a b}': { type: 'MemoryDataset' } }, { projectRoot: tmp() })).message).toBe(
      "Dataset factory pattern '{a b}' has an invalid placeholder '{a b}' (use names like {name} or {layer})",
    );
    expect(throws(() => DataCatalog.fromConfig({ '{a}_x': { type: 'Nope' } }, { projectRoot: tmp() })).message).toMatch(
      /^Catalog entry '\{a\}_x' has unknown type 'Nope'\. Supported types: /,
    );
  });
});

describe('credentials', () => {
  class Echo extends AbstractDataset<unknown> {
    constructor(
      readonly config: Record<string, unknown>,
      readonly ctx: { credentials?: unknown },
    ) {
      super();
    }
    protected async doLoad() {
      return this.ctx.credentials;
    }
    protected async doSave() {}
    protected async doExists() {
      return true;
    }
    protected doDescribe() {
      return { ...this.config }; // a careless dataset that echoes its config
    }
  }
  registerDatasetType('test.Echo', Echo);

  it('injects the named credentials and never describes them', async () => {
    const catalog = DataCatalog.fromConfig(
      { api: { type: 'test.Echo', credentials: 'dials', url: 'https://x' }, inline: { type: 'test.Echo', credentials: { token: 'inline-secret' } } },
      { projectRoot: tmp(), credentials: { dials: { token: 'super-secret' } } },
    );
    expect(await catalog.load('api')).toEqual({ token: 'super-secret' });
    expect(await catalog.load('inline')).toEqual({ token: 'inline-secret' });
    const described = JSON.stringify([catalog.describe('api'), catalog.describe('inline')]);
    expect(described).not.toContain('secret');
    expect(described).not.toContain('credentials');
  });

  it('missing credentials fail only the dataset that needs them, naming the key and the defined names, never values', async () => {
    const catalog = DataCatalog.fromConfig(
      { api: { type: 'test.Echo', credentials: 'dial' }, other: { type: 'MemoryDataset' } },
      { projectRoot: tmp(), credentials: { dials: { token: 'super-secret' } }, sources: { api: 'conf/base/catalog.yml' } },
    );
    await catalog.save('other', 1);
    expect(await catalog.load('other')).toBe(1);
    const e = await catalog.load('api').then(() => undefined, (err: Error) => err);
    expect(e?.message).toBe(
      "Catalog entry 'api' (conf/base/catalog.yml) uses credentials 'dial', which are not defined in credentials*.yml (conf/base or the run environment). Defined credentials: 'dials'. Did you mean 'dials'?",
    );
    expect(e?.message).not.toContain('super-secret');
    const patterned = DataCatalog.fromConfig({ '{name}_api': { type: 'test.Echo', credentials: 'nope' } }, { projectRoot: tmp() });
    const pattern = await patterned.load('x_api').then(() => undefined, (err: Error) => err);
    expect(pattern?.message).toBe(
      "Failed while loading data from dataset 'x_api': Catalog entry '{name}_api' uses credentials 'nope', which are not defined in credentials*.yml (conf/base or the run environment). Defined credentials: none.",
    );
  });

  it('an unknown type is still an error at once, even when credentials are missing', () => {
    const e = throws(() => DataCatalog.fromConfig({ api: { type: 'nope.Nope', credentials: 'dial' } }, { projectRoot: tmp() }));
    expect(e.message).toMatch(/^Catalog entry 'api' has unknown type 'nope.Nope'/);
  });
});

describe('versioned datasets', () => {
  it('saves under <filepath>/<version>/<basename>, loads the latest or a pinned version', async () => {
    const root = tmp();
    const entries = { model: { type: 'JSONDataset', filepath: 'data/06_models/model.json', versioned: true } };
    const v1 = '2024-01-01T10.00.00.000Z';
    const v2 = '2024-01-02T10.00.00.000Z';
    await DataCatalog.fromConfig(entries, { projectRoot: root, saveVersion: v1 }).save('model', { v: 1 });
    await DataCatalog.fromConfig(entries, { projectRoot: root, saveVersion: v2 }).save('model', { v: 2 });
    expect(readdirSync(path.join(root, 'data/06_models/model.json'))).toEqual([v1, v2]);
    expect(readdirSync(path.join(root, 'data/06_models/model.json', v1))).toEqual(['model.json']);
    expect(await DataCatalog.fromConfig(entries, { projectRoot: root }).load('model')).toEqual({ v: 2 });
    expect(await DataCatalog.fromConfig(entries, { projectRoot: root, loadVersions: { model: v1 } }).load('model')).toEqual({ v: 1 });

    const fresh = DataCatalog.fromConfig(entries, { projectRoot: root });
    await fresh.save('model', { v: 3 });
    const versions = readdirSync(path.join(root, 'data/06_models/model.json'));
    expect(versions).toHaveLength(3);
    expect(versions[2]).toMatch(VERSION_PATTERN);
    expect(await fresh.load('model')).toEqual({ v: 3 });
    expect(fresh.describe('model')).toMatchObject({ type: 'JSONDataset', datasetClass: 'JSONDataset', filepath: 'data/06_models/model.json', versioned: true });
  });

  it('unknown version lists the available ones; no overwrite of a version; bad --load-versions', async () => {
    const root = tmp();
    const entries = { model: { type: 'JSONDataset', filepath: 'data/model.json', versioned: true }, plain: { type: 'MemoryDataset' } };
    const v1 = '2024-01-01T10.00.00.000Z';
    const catalog = DataCatalog.fromConfig(entries, { projectRoot: root, saveVersion: v1 });
    const none = await rejects(catalog.load('model'));
    expect(none.message).toBe("Failed while loading data from dataset 'model' (data/model.json): no version has been saved yet under data/model.json/");
    await catalog.save('model', 1);
    const again = await rejects(catalog.save('model', 2));
    expect(again.message).toBe(
      `Failed while saving data to dataset 'model' (data/model.json): version '${v1}' already exists (data/model.json/${v1}/model.json); a versioned dataset never overwrites a saved version`,
    );
    const pinned = DataCatalog.fromConfig(entries, { projectRoot: root, loadVersions: { model: '2023-01-01T00.00.00.000Z' } });
    expect(await pinned.exists('model')).toBe(false);
    expect((await rejects(pinned.load('model'))).message).toBe(
      `Failed while loading data from dataset 'model' (data/model.json): version '2023-01-01T00.00.00.000Z' does not exist; available versions: ${v1}`,
    );
    expect(throws(() => DataCatalog.fromConfig(entries, { projectRoot: root, loadVersions: { modle: v1 } })).message).toBe(
      "--load-versions names dataset 'modle', which is not in the catalog. Did you mean 'model'?",
    );
    expect(throws(() => DataCatalog.fromConfig(entries, { projectRoot: root, loadVersions: { plain: v1 } })).message).toBe(
      "--load-versions names dataset 'plain', which is not versioned (add 'versioned: true' to its catalog entry)",
    );
    expect(throws(() => DataCatalog.fromConfig({ m: { type: 'MemoryDataset', versioned: true } }, { projectRoot: root })).message).toBe(
      "Catalog entry 'm' has 'versioned: true' but no 'filepath'",
    );
  });

  it('one save version per catalog (run), shared by its datasets and by catalogs rebuilt from toConfig', async () => {
    const root = tmp();
    const entries = { a: { type: 'JSONDataset', filepath: 'data/a.json', versioned: true }, b: { type: 'JSONDataset', filepath: 'data/b.json', versioned: true } };
    const catalog = DataCatalog.fromConfig(entries, { projectRoot: root, credentials: { k: 'v' } });
    expect(catalog.saveVersion).toMatch(VERSION_PATTERN);
    const { entries: again, options } = catalog.toConfig();
    const worker = DataCatalog.fromConfig(again, options);
    expect(worker.saveVersion).toBe(catalog.saveVersion);
    await catalog.save('a', 1);
    await worker.save('b', 2);
    expect(readdirSync(path.join(root, 'data/a.json'))).toEqual([catalog.saveVersion]);
    expect(readdirSync(path.join(root, 'data/b.json'))).toEqual([catalog.saveVersion]);
  });
});
