/** Report exporters (spec §10): CSV, XLSX and a printable HTML summary, written atomically. */
export {
  amountNumber,
  cleanText,
  currencyNumFmt,
  neutraliseFormula,
  RESULT_COLUMNS,
  safeText,
  startsWithFormulaTrigger,
} from './cells';
export { csvField, csvHeader, csvRecord, writeCsvReport } from './csv';
export { type ExportOptions, type ExportResult, exportReport, exportReportTo } from './export-run';
export {
  collectReportFacts,
  escapeHtml,
  PRINTABLE_CSP,
  type PrintableOptions,
  type ReportFacts,
  renderPrintableHtml,
} from './printable';
export * from './report-model';
export {
  EXPORT_EXTENSIONS,
  isWindowsReservedName,
  planExportPath,
  resolveExportPath,
  sanitiseExportName,
} from './safe-path';
export { writeXlsxReport, xlsxText } from './xlsx';
