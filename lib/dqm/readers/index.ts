export { readDqmioCsv, type DqmioReadOptions } from './dqmio-csv';
export { readWebsiteHistogramsCsv, type WebsiteCsvReadOptions } from './website-csv';
export { sniffHistogramCsv, type HistogramCsvFormat } from './sniff';
export { HistogramFileError, describePlace, type FilePlace } from './errors';
export { parseHistoList, firstBadCount } from './parse-histo';
