export { DataCatalog, type CatalogOptions } from './catalog';
export { AbstractDataset, type DatasetMetadata } from './dataset';
export { resolveDataPath, type DatasetConstructor, type DatasetContext, type DatasetVersion } from './dataset-context';
export { DatasetError, DatasetNotFoundError } from './errors';
export { columnNames, isTable, table, tableFromRows, tableToRows, type ColumnData, type Table } from './table';
export { writeFileAtomic, withAtomicPath } from './atomic-write';
export {
  canonicalTypeName,
  createDataset,
  isKnownDatasetType,
  registerDatasetType,
  registerLazyDatasetType,
  supportedDatasetTypes,
} from './dataset-types';
export { compilePattern, matchPattern, sortPatterns, specificity } from './dataset-factories';
export { formatCsv, parseCsv, type CsvOptions } from './csv';
export { MemoryDataset, copyData, type CopyMode } from './datasets/memory-dataset';
export { JSONDataset } from './datasets/json-dataset';
export { TextDataset } from './datasets/text-dataset';
export { CSVDataset } from './datasets/csv-dataset';
export { PlotlyDataset, checkFigure, type PlotlyFigure } from './datasets/plotly-dataset';
export { PartitionedDataset, type Partitions, type PartitionsToSave } from './datasets/partitioned-dataset';
export { VersionedDataset, generateTimestamp, VERSION_PATTERN } from './datasets/versioned-dataset';
export { LazyDataset } from './datasets/lazy-dataset';
export { FileDataset, MissingFileError } from './datasets/file-dataset';
// Binary datasets (engineer B's files), re-exported so callers import everything from lib/io.
export { PickleDataset } from './datasets/pickle-dataset';
export { ParquetDataset } from './datasets/parquet-dataset';
export { ImageDataset } from './datasets/image-dataset';
