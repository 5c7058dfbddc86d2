import { FILE_DATASET_KEYS, registerDatasetType, registerParquetKind, type DatasetConstructor } from '../io';
import { DQMIOCSVDataset, WebsiteHistogramsCSVDataset } from './histogram-csv-datasets';
import { HistogramSetDataset } from './histogram-set-dataset';
import { histogramSetParquet } from './parquet-histogram';

/**
 * lib/io knows no DQM data: this module teaches it, as any dataset plugin would. Runs when
 * lib/dqm is imported (a project's pipelines import it before its catalog is built);
 * registering twice is harmless.
 */
export function registerDqmDatasets(): void {
  for (const name of ['HistogramSetDataset', 'dqm.HistogramSetDataset']) registerDatasetType(name, HistogramSetDataset as DatasetConstructor, ['filepath', 'cache', 'lazy', 'fs_args']);
  for (const name of ['DQMIOCSVDataset', 'dqm.DQMIOCSVDataset']) registerDatasetType(name, DQMIOCSVDataset as DatasetConstructor, FILE_DATASET_KEYS);
  for (const name of ['WebsiteHistogramsCSVDataset', 'dqm.WebsiteHistogramsCSVDataset']) registerDatasetType(name, WebsiteHistogramsCSVDataset as DatasetConstructor, FILE_DATASET_KEYS);
  registerParquetKind(histogramSetParquet);
}

registerDqmDatasets();
