export { ApiClient } from './client';
export { ApiError, type ApiErrorCode } from './errors';
export {
  apiEntrySchema,
  formatIssues,
  DIALS_MAX_PAGE_SIZE,
  parseApiEntry,
  resolveSecret,
  type ApiClientOptions,
  type ApiEntry,
  type ApiFlavour,
  type ApiSecret,
  type PageProgress,
  type QueryParams,
  type QueryValue,
} from './options';
export { readPage, type ApiPage } from './pages';
export {
  parseHistogram1D,
  parseHistogram2D,
  recordLabel,
  dialsHistogram1dSchema,
  dialsHistogram2dSchema,
  playgroundHistogram1dSchema,
  playgroundHistogram2dSchema,
  type Histogram1D,
  type Histogram2D,
} from './records';
export { histogramListToRawTable, histogramsToRawTable, mapTextWithBorder } from './convert';
