export type * from './record.types.ts';
export * from './parsers/formats.ts';
export { detectFormat } from './parsers/detect.ts';
export { decodeBytes, decodeChunks } from './parsers/decode.ts';
export {
  parseStream,
  parseByteStream,
  parseText,
  formatDiagnostic,
  type ParseBatch,
  type ParseOptions,
} from './parsers/parse-stream.ts';
export type { CsvColumnMapping, CsvField } from './parsers/reader.types.ts';
export { DEFAULT_PARSE_LIMITS, type ParseLimits } from './parsers/limits.ts';
export { recordsToRis, recordToRis } from './export/ris.export.ts';
export { recordsToCsv, recordToCsvRow, csvRows, CSV_HEADERS } from './export/csv.export.ts';
export * from './dedup/index.ts';
export { ingestImportJob } from './import/import.job.ts';
export { runImport } from './import/import.service.ts';
export { addRecordSearchWords } from './import/record-search-words.ts';
export { requestImport, type ImportRequest } from './import/import.request.ts';
export * from './import/import.repository.ts';
export * from './import/import.types.ts';
export * from './import/search-update.repository.ts';
export * from './manual/manual-record.ts';
