import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalTypeName, DataCatalog, DatasetError, isKnownDatasetType, LazyDataset, registerLazyDatasetType, type DatasetConstructor } from './index';

const tmp = () => mkdtempSync(path.join(os.tmpdir(), 'dqm-types-'));

describe('dataset type names', () => {
  it('canonicalises Kedro spellings', () => {
    expect(canonicalTypeName('pickle.PickleDataSet')).toBe('pickle.PickleDataset');
    expect(canonicalTypeName('kedro_datasets.pandas.ParquetDataset')).toBe('pandas.ParquetDataset');
    expect(canonicalTypeName('kedro.extras.datasets.pandas.CSVDataSet')).toBe('pandas.CSVDataset');
    expect(canonicalTypeName('io.MemoryDataset')).toBe('MemoryDataset');
    expect(canonicalTypeName('kedro.io.MemoryDataSet')).toBe('MemoryDataset');
    for (const t of ['pickle.PickleDataSet', 'pandas.ParquetDataSet', 'pandas.CSVDataset', 'json.JSONDataSet', 'plotly.JSONDataSet', 'plotly.PlotlyDataSet',
      'matplotlib.MatplotlibWriter', 'pillow.ImageDataSet', 'partitions.PartitionedDataSet', 'MemoryDataSet', 'api.APIDataSet']) {
      expect(isKnownDatasetType(t), t).toBe(true);
    }
    // lib/io knows no DQM type: lib/dqm registers dqm.HistogramSetDataset when it is imported.
    expect(isKnownDatasetType('dqm.HistogramSetDataset')).toBe(false);
  });
});

describe('lazily registered types', () => {
  it('import their class on first use; catalog creation stays synchronous', async () => {
    let imported = 0;
    registerLazyDatasetType('test.LazyJSON', async () => {
      imported++;
      return (await import('./datasets/json-dataset')).JSONDataset as DatasetConstructor;
    });
    const catalog = DataCatalog.fromConfig({ x: { type: 'test.LazyJSON', filepath: 'x.json', layer: 'raw' } }, { projectRoot: tmp() });
    const ds = catalog.getDataset('x');
    expect(ds).toBeInstanceOf(LazyDataset);
    expect(ds.filepath).toBe('x.json');
    expect(imported).toBe(0);
    await catalog.save('x', { a: 1 });
    expect(await catalog.load('x')).toEqual({ a: 1 });
    expect(await catalog.exists('x')).toBe(true);
    expect(imported).toBe(1);
    expect(catalog.describe('x')).toMatchObject({ type: 'test.LazyJSON', filepath: 'x.json', layer: 'raw' });
  });

  it('a class that cannot be loaded fails at first use with the dataset named', async () => {
    registerLazyDatasetType('test.Broken', async () => {
      throw new DatasetError('the dataset class Broken cannot be loaded from ./nowhere: missing');
    });
    const catalog = DataCatalog.fromConfig({ b: { type: 'test.Broken', filepath: 'b.bin' } }, { projectRoot: tmp() });
    await expect(catalog.load('b')).rejects.toThrow(
      "Failed while loading data from dataset 'b' (b.bin): the dataset class Broken cannot be loaded from ./nowhere: missing",
    );
  });
});
