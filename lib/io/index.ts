export { DataCatalog, type CatalogOptions } from './catalog';
export { AbstractDataset, type DatasetMetadata } from './dataset';
export { resolveDataPath, type DatasetConstructor, type DatasetContext, type DatasetVersion } from './dataset-context';
export { DatasetError, DatasetNotFoundError } from './errors';
export { writeFileAtomic, withAtomicPath, tempPathFor, writeChunksAtomic } from './atomic-write';
export { ReusableBuffer, loadsIntoBuffer, type LoadsIntoBuffer } from './reusable-buffer';
export {
  canonicalTypeName,
  createDataset,
  isKnownDatasetType,
  registerDatasetType,
  FILE_DATASET_KEYS,
  CATALOG_KEYS,
  registerLazyDatasetType,
  supportedDatasetTypes,
} from './dataset-types';
export { compilePattern, matchPattern, sortPatterns, specificity } from './dataset-factories';
export { formatCsv, parseCsv, parseCsvRows, type CsvOptions } from './csv';
export { MemoryDataset, copyData, type CopyMode } from './datasets/memory-dataset';
export { JSONDataset } from './datasets/json-dataset';
export { TextDataset } from './datasets/text-dataset';
export { CSVDataset } from './datasets/csv-dataset';
export { PlotlyDataset, checkFigure, type PlotlyFigure } from './datasets/plotly-dataset';
export { PartitionedDataset, type PartitionLoader, type Partitions, type PartitionsToSave } from './datasets/partitioned-dataset';
export { VersionedDataset, generateTimestamp, VERSION_PATTERN } from './datasets/versioned-dataset';
export { LazyDataset } from './datasets/lazy-dataset';
export { FileDataset, MissingFileError } from './datasets/file-dataset';
export { PickleDataset } from './datasets/pickle-dataset';
export { ParquetDataset } from './datasets/parquet-dataset';
export { ImageDataset } from './datasets/image-dataset';
export { APIDataset } from './datasets/api-dataset';
export { UnavailableDataset } from './datasets/unavailable-dataset';
export { removeStaleTempFiles } from './stale-temp';
export { startWorker } from './worker-thread';
export { WorkerPool, servePool, workerPoolStats } from './worker-pool';
export type { PoolStats } from './worker-pool';
// Formats under the datasets, for nodes that read or write bytes themselves.
export { readParquet, writeParquet, registerParquetKind, parquetKinds, ParquetError, KIND_KEY } from './parquet';
export type { ParquetCodec, ParquetContents, ParquetKind, ParquetKindName, ParquetReadOptions, ParquetWriteOptions, ReadParquetColumns } from './parquet';
export * from './pickle';
export * from './png';
export * from './api';
