import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config';
import { DataCatalog, LazyDataset, type AbstractDataset } from './index';

const FIXTURE = path.join(__dirname, 'fixtures', 'seed-ci-catalog.yml');

/** The class behind a dataset, importing it if the type is registered lazily. */
async function realClass(ds: AbstractDataset): Promise<string> {
  return (ds instanceof LazyDataset ? await ds.resolve() : ds).constructor.name;
}

describe("the seed project's conf/ci/catalog.yml", () => {
  it('loads unchanged into a catalog, every Kedro type resolving to one of ours', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'dqm-seed-'));
    mkdirSync(path.join(root, 'conf', 'base'), { recursive: true });
    mkdirSync(path.join(root, 'conf', 'ci'), { recursive: true });
    copyFileSync(FIXTURE, path.join(root, 'conf', 'ci', 'catalog.yml'));
    const config = await loadConfig(root, 'ci');
    const catalog = DataCatalog.fromConfig(config.catalog, { projectRoot: root, sources: config.sources });

    const names = [1, 2, 3, 4].flatMap((n) => [`raw_pixel_layer_${n}`, `preprocessed_raw_pixel_layer_${n}`]);
    names.push('summary_statistics', 'geometrical_properties', 'mean_image', 'images_rmse', 'aggregated_properties', 'time_series_plots', 'correlation_plots');
    expect([...catalog.listDatasets()].sort()).toEqual([...names].sort());

    const classes: Record<string, string> = {};
    for (const name of catalog.listDatasets()) classes[name] = await realClass(catalog.getDataset(name));
    expect(classes.raw_pixel_layer_1).toBe('PickleDataset');
    expect(classes.preprocessed_raw_pixel_layer_4).toBe('ParquetDataset');
    expect(classes.aggregated_properties).toBe('ParquetDataset');
    expect(classes.time_series_plots).toBe('ImageDataset');

    expect(catalog.describe('raw_pixel_layer_3')).toMatchObject({
      type: 'pickle.PickleDataSet',
      filepath: 'data/01_raw/Run_316187_0_clusterposition_PXLayer_3.pkl',
      layer: 'raw',
      source: 'conf/ci/catalog.yml',
    });
    expect(catalog.describe('correlation_plots')).toMatchObject({ type: 'matplotlib.MatplotlibWriter', layer: 'reporting' });
    expect(catalog.describe('images_rmse')).toMatchObject({ layer: 'feature', filepath: 'data/04_feature/images_rmse.parquet' });
  });
});
