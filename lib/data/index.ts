/** The plain data that flows between nodes: Tables and HistogramSets (format-neutral). */
export { columnNames, isTable, table, tableFromRows, tableToRows, type ColumnData, type Table } from './table';
export type { Axis, HistogramSet, HistogramSetHeader, HistogramSetLs, HistogramSetShape, LsReadable, HistogramSource, Normalisation } from './histogram-set';
export { createHistogramSet, isHistogramSet, isLsReadable, isOneDimensional, lsCount, mapOf, meName } from './histogram-set';
export { DEFAULT_BLOCK_LS, forEachBlock, isBlockReadable, lumisectionsOf, materialise } from './histogram-blocks';
export type { AnyHistogramSet, BlockReadableHistogramSet } from './histogram-blocks';
export { DataError } from './errors';
export { normalisedMean } from './reference';
