/**
 * Issue 15 item 8: an unknown key in a catalog entry (`versoned: true`, `save_arg`) is an error
 * naming the catalog file, the entry, the key and the closest valid key, for EVERY registered
 * dataset type (Kedro fails on an unexpected dataset argument the same way). Through the real
 * config loader (conf/base + conf/local YAML files in a temp project) and DataCatalog.fromConfig,
 * as Project.createCatalog builds it. Keys nested in load_args/save_args go to the format's
 * reader in Kedro (pandas), which is not checked here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import '../../lib/dqm'; // registers dqm.* types, as a project's pipelines do
import { loadConfigSync } from '../../lib/config';
import { canonicalTypeName, DataCatalog, DatasetError, FILE_DATASET_KEYS, supportedDatasetTypes } from '../../lib/io';

/** A valid entry per dataset class (canonical names; Kedro spellings share them). A new type must be added here. */
const VALID: Record<string, Record<string, unknown>> = {
  MemoryDataset: {},
  APIDataset: { url: 'http://127.0.0.1:9/api/' },
  PartitionedDataset: { path: 'data/parts', dataset: 'pickle.PickleDataset', filename_suffix: '.pkl' },
  HistogramSetDataset: { filepath: 'data/x.h5' },
  DQMIOCSVDataset: { filepath: 'data/x.csv', load_args: { hname: 'chargeInner_PXLayer_1' } },
};
const validEntry = (type: string): Record<string, unknown> => {
  const own = Object.entries(VALID).find(([k]) => canonicalTypeName(type).endsWith(k));
  const file = { filepath: `data/x.${type.toLowerCase().replace(/\W/g, '')}` };
  return { type, ...(own ? own[1] : file) };
};
/** Types that take save_args (so `save_arg` is one edit from a valid key). */
const takesSaveArgs = (type: string) => !/MemoryDataset|APIDataset|PartitionedDataset|HistogramSetDataset/.test(type);

const roots: string[] = [];
afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

/** A project whose conf/local/catalog.yml holds `entries`; the catalog built as a run builds it. */
function catalogOf(entries: Record<string, unknown>): () => DataCatalog {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-catalog-keys-'));
  roots.push(root);
  fs.mkdirSync(path.join(root, 'conf/base'), { recursive: true });
  fs.mkdirSync(path.join(root, 'conf/local'), { recursive: true });
  fs.writeFileSync(path.join(root, 'conf/base/catalog.yml'), '{}\n');
  fs.writeFileSync(path.join(root, 'conf/local/catalog.yml'), stringify(entries));
  return () => {
    const config = loadConfigSync(root, 'local');
    return DataCatalog.fromConfig(config.catalog, { projectRoot: root, credentials: config.credentials, sources: config.sources });
  };
}

function errorOf(build: () => unknown): DatasetError {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(DatasetError);
    return error as DatasetError;
  }
  throw new Error('expected a DatasetError, the catalog was built');
}

const types = supportedDatasetTypes();

describe('unknown catalog keys, for every registered dataset type', () => {
  it('covers every type (lib/io and lib/dqm), and each valid entry builds', () => {
    expect(types.length).toBeGreaterThanOrEqual(29);
    expect(types).toEqual(expect.arrayContaining(['pickle.PickleDataset', 'api.APIDataset', 'dqm.HistogramSetDataset', 'partitions.PartitionedDataset', 'MemoryDataset']));
    const build = catalogOf(Object.fromEntries(types.map((t, i) => [`entry_${i}`, validEntry(t)])));
    expect(build().listDatasets()).toHaveLength(types.length);
  });

  it.each(types)("%s: 'versoned: true' names the file, entry, key and 'versioned'", (type) => {
    const e = errorOf(catalogOf({ website_runs: { ...validEntry(type), versoned: true } }));
    expect(e.code).toBe('DATASET_CONFIG');
    expect(e.message).toMatch(
      new RegExp(`^Catalog entry 'website_runs' \\(conf/local/catalog\\.yml\\) has unknown key 'versoned' \\(did you mean 'versioned'\\?\\) for type '${type.replace(/\./g, '\\.')}'\\. Keys it takes: [a-z_, ]+$`),
    );
    // the list of keys it takes holds the catalog keys and the ones of the valid entry
    const taken = e.message.split('Keys it takes: ')[1]!.split(', ');
    expect(taken).toEqual(expect.arrayContaining(['type', 'layer', 'metadata', 'credentials', 'versioned', ...Object.keys(validEntry(type)).filter((k) => k !== 'type')]));
    expect([...taken].sort()).toEqual(taken);
  });

  it.each(types.filter(takesSaveArgs))("%s: 'save_arg' names the closest valid key 'save_args'", (type) => {
    const e = errorOf(catalogOf({ plots: { ...validEntry(type), save_arg: { index: false } } }));
    expect(e.message).toMatch(new RegExp(`^Catalog entry 'plots' \\(conf/local/catalog\\.yml\\) has unknown key 'save_arg' \\(did you mean 'save_args'\\?\\) for type '${type.replace(/\./g, '\\.')}'\\. Keys it takes: `));
    expect(e.message.split('Keys it takes: ')[1]!.split(', ')).toEqual(expect.arrayContaining([...FILE_DATASET_KEYS]));
  });

  it('several unknown keys are all named; a key far from every valid one gets no guess; a factory pattern is named as written', () => {
    const e = errorOf(catalogOf({ runs: { type: 'pandas.CSVDataSet', filepath: 'data/runs.csv', versoned: true, zzzzzz: 1 } }));
    expect(e.message).toBe(
      "Catalog entry 'runs' (conf/local/catalog.yml) has unknown keys 'versoned' (did you mean 'versioned'?), 'zzzzzz' for type 'pandas.CSVDataSet'. Keys it takes: credentials, filepath, fs_args, layer, load_args, metadata, save_args, type, versioned",
    );
    // a factory entry fails when a name first matches it, naming the pattern
    const catalog = catalogOf({ '{name}_data': { type: 'json.JSONDataset', filepath: 'data/{name}.json', filepth: 'x' } })();
    expect(() => catalog.getDataset('runs_data')).toThrow(/^Catalog entry '\{name\}_data' \(conf\/local\/catalog\.yml\) has unknown key 'filepth' \(did you mean 'filepath'\?\) for type 'json\.JSONDataset'/);
  });

  it("the entry in conf/base is named when conf/local does not override it; 'versioned: true' itself is accepted", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dqm-catalog-keys-'));
    roots.push(root);
    fs.mkdirSync(path.join(root, 'conf/base'), { recursive: true });
    fs.writeFileSync(path.join(root, 'conf/base/catalog.yml'), 'model:\n  type: pickle.PickleDataSet\n  filepath: data/06_models/model.pkl\n  versoned: true\nok:\n  type: pickle.PickleDataSet\n  filepath: data/ok.pkl\n  versioned: true\n');
    const config = loadConfigSync(root, 'local');
    expect(() => DataCatalog.fromConfig(config.catalog, { projectRoot: root, sources: config.sources })).toThrow(
      "Catalog entry 'model' (conf/base/catalog.yml) has unknown key 'versoned' (did you mean 'versioned'?) for type 'pickle.PickleDataSet'. Keys it takes: backend, credentials, filepath, fs_args, layer, load_args, metadata, save_args, type, versioned",
    );
    delete config.catalog.model;
    expect(DataCatalog.fromConfig(config.catalog, { projectRoot: root, sources: config.sources }).listDatasets()).toEqual(['ok']);
  });
});
