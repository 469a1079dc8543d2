import type { Writable } from 'node:stream';
import { csvField } from '../../shared/csv-field';
import { AMOUNT_COLUMNS, amountCurrency, amountText, RESULT_COLUMNS, type ResultColumnKey, safeText } from './cells';
import {
  iterateRows,
  type ReportInput,
  type ReportRow,
  type ReportWriteOptions,
  type ReportWriteResult,
} from './report-model';
import { endStream, writeWithBackpressure } from './stream-util';
import { TENDER_COLUMNS, tenderCell } from './tender-cells';

/**
 * Streaming CSV export: RFC 4180 (comma, CRLF, double-quote quoting), UTF-8 with a BOM so Excel
 * opens it as UTF-8. One header row, then one row per result. Amounts are plain numbers with the
 * currency's decimals (`-0.01`, `1200` for JPY), never neutralised; every free-text cell is
 * neutralised against formula injection (see cells.ts).
 */

export const CSV_BOM = '\uFEFF';
const EOL = '\r\n';
/** Rows are joined into chunks of about this many characters before each write. */
const CHUNK_CHARS = 64 * 1024;
const PROGRESS_EVERY = 5_000;

/** RFC 4180 field (shared/csv-field.ts): quoted when it holds , ; " CR LF, or leading/trailing blanks. */
export { csvField };

function cellText(row: ReportRow, key: ResultColumnKey): string {
  if (AMOUNT_COLUMNS.has(key)) {
    const minor = row[key as 'storefrontTotal' | 'netsuiteTotal' | 'difference'];
    if (minor === null) return '';
    const currency = amountCurrency(row, key);
    // A side in another currency than the row's says which (the currency column is the row's).
    return currency === row.currency ? amountText(minor, currency) : `${currency} ${amountText(minor, currency)}`;
  }
  return csvField(safeText(row[key as Exclude<ResultColumnKey, 'storefrontTotal' | 'netsuiteTotal' | 'difference'>]));
}

/** One CSV record (without the line break). Exported for tests and for callers that build their own files. */
export function csvRecord(row: ReportRow): string {
  let line = '';
  for (let i = 0; i < RESULT_COLUMNS.length; i++) {
    if (i > 0) line += ',';
    line += cellText(row, RESULT_COLUMNS[i]!.key);
  }
  for (const c of TENDER_COLUMNS) line += `,${csvField(safeText(tenderCell(row, c.key)))}`;
  return line;
}

export function csvHeader(): string {
  return [...RESULT_COLUMNS, ...TENDER_COLUMNS].map((c) => csvField(c.header)).join(',');
}

/**
 * Writes the whole CSV document to `out` and ends it. Honours backpressure, so memory stays
 * bounded whatever the number of rows. Resolves once `out` has finished.
 */
export async function writeCsvReport(
  input: Pick<ReportInput, 'rows'>,
  out: Writable,
  options: ReportWriteOptions = {},
): Promise<ReportWriteResult> {
  let buffer = CSV_BOM + csvHeader() + EOL;
  let rows = 0;
  for await (const row of iterateRows(input.rows, options.signal)) {
    buffer += csvRecord(row) + EOL;
    rows++;
    if (buffer.length >= CHUNK_CHARS) {
      await writeWithBackpressure(out, buffer);
      buffer = '';
    }
    if (rows % PROGRESS_EVERY === 0) options.onProgress?.(rows);
  }
  if (buffer) await writeWithBackpressure(out, buffer);
  await endStream(out);
  options.onProgress?.(rows);
  return { rows };
}
