import type { Writable } from 'node:stream';
import { setTimeout as sleep, setImmediate as yieldToLoop } from 'node:timers/promises';
import ExcelJS from 'exceljs';
import { DEFAULT_SEVERITY, ResultCode } from '../../shared/codes';
import {
  AMOUNT_COLUMNS,
  amountCurrency,
  amountNumber,
  amountText,
  cleanText,
  codeLabel,
  currencyNumFmt,
  MAX_CELL_CHARS,
  neutraliseFormula,
  RESULT_COLUMNS,
  type ResultColumnKey,
} from './cells';
import {
  checkReportSummary,
  iterateRows,
  type ReportInput,
  type ReportRow,
  type ReportWriteOptions,
  type ReportWriteResult,
  type SignOffEntry,
} from './report-model';
import { endStream } from './stream-util';
import { CLASS_WORDS, TENDER_COLUMNS, tenderCell } from './tender-cells';

/**
 * Streaming XLSX export (exceljs WorkbookWriter, inline strings, no shared-string table, so memory
 * stays flat). Two sheets:
 *  - **Summary**: title, run, rules, filters, counts by code, totals per currency, sign-off block;
 *  - **Results**: one row per result, typed cells: amounts are numbers with a per-currency number
 *    format, dates are dates; frozen header row, autofilter, column widths.
 * Every text cell is cleaned (XML-invalid characters) and neutralised against formula injection,
 * because users re-save workbooks as CSV.
 */

const PROGRESS_EVERY = 5_000;
/** Rows between checks that the zip compressor has caught up (keeps memory bounded on 1M rows). */
const DRAIN_CHECK_EVERY = 200;
/** Buffers (64 KiB each) a sheet may hold before the zip starts reading it. */
const MAX_UNPIPED_BUFFERS = 16;

interface WritableStateLike {
  length?: number;
  highWaterMark?: number;
}
interface PipeLike {
  writableLength?: number;
  writableHighWaterMark?: number;
  _writableState?: WritableStateLike;
  destroyed?: boolean;
  once(event: string, listener: (...args: never[]) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
}
interface SheetStreamInternals {
  buffers?: unknown[];
  pipes?: PipeLike[];
}

/** Bytes waiting in a stream's write buffer (Node streams, or the readable-stream copy archiver uses). */
function pending(pipe: PipeLike): { length: number; limit: number } | null {
  const state = pipe._writableState;
  const length = typeof pipe.writableLength === 'number' ? pipe.writableLength : state?.length;
  const limit = typeof pipe.writableHighWaterMark === 'number' ? pipe.writableHighWaterMark : state?.highWaterMark;
  return typeof length === 'number' && typeof limit === 'number' ? { length, limit } : null;
}

/**
 * exceljs's streaming writer ignores backpressure: a committed row goes into the sheet's buffer,
 * which writes into the zip entry's stream without waiting for it. Left alone, a large run piles
 * up in memory faster than zlib compresses it. This waits until the entry's stream has drained
 * (or, before the zip has reached the sheet, until the sheet's own buffer is short). It reads
 * exceljs internals (`stream.pipes`, `stream.buffers`, stable across exceljs 4.x) defensively:
 * when they are not there it only yields to the event loop.
 */
async function waitForSheetDrain(sheet: ExcelJS.Worksheet): Promise<void> {
  const stream = (sheet as unknown as { stream?: SheetStreamInternals }).stream;
  for (let spins = 0; spins < 10_000; spins++) {
    const pipe = stream?.pipes?.[0];
    if (pipe) {
      const p = pending(pipe);
      if (!p || pipe.destroyed || p.length < p.limit) break;
      await new Promise<void>((resolve, reject) => {
        const settle = (error?: unknown): void => {
          pipe.removeListener('drain', onDrain);
          pipe.removeListener('close', onDrain);
          pipe.removeListener('error', onError);
          if (error) reject(error);
          else resolve();
        };
        const onDrain = (): void => settle();
        const onError = (error: unknown): void => settle(error ?? new Error('XLSX stream failed'));
        pipe.once('drain', onDrain);
        pipe.once('close', onDrain);
        pipe.once('error', onError);
      });
      continue;
    }
    if ((stream?.buffers?.length ?? 0) <= MAX_UNPIPED_BUFFERS) break;
    await sleep(1);
  }
  await yieldToLoop();
}

const DATE_FMT = 'yyyy-mm-dd';
const DATETIME_FMT = 'yyyy-mm-dd hh:mm';

/**
 * A text value for a cell: cleaned, line breaks as LF (XML turns a bare CR into LF anyway, and LF
 * is Excel's in-cell line break), cut to Excel's cell limit, neutralised.
 */
export function xlsxText(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = cleanText(String(value)).replace(/\r\n?/g, '\n');
  if (text.length > MAX_CELL_CHARS - 2) text = `${text.slice(0, MAX_CELL_CHARS - 2)}…`;
  return neutraliseFormula(text);
}

/** `YYYY-MM-DD` as a UTC midnight Date, which exceljs writes as a whole Excel serial day. */
function isoDateToExcel(date: string): Date {
  return new Date(`${date}T00:00:00.000Z`);
}

/** An ISO timestamp as a Date for Excel (wall-clock UTC), or the cleaned text when it does not parse. */
function timestampCell(value: string): Date | string {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? xlsxText(value) : new Date(ms);
}

interface StyleCache {
  amount: Map<string, Partial<ExcelJS.Style>>;
}

function amountStyle(cache: StyleCache, currency: string): Partial<ExcelJS.Style> {
  let style = cache.amount.get(currency);
  if (!style) {
    style = { numFmt: currencyNumFmt(currency), alignment: { horizontal: 'right' } };
    cache.amount.set(currency, style);
  }
  return style;
}

const HEADER_STYLE: Partial<ExcelJS.Style> = {
  font: { bold: true },
  fill: { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE7ECF3' } },
  border: { bottom: { style: 'thin', color: { argb: 'FF8A94A6' } } },
  alignment: { vertical: 'middle' },
};
const PLAIN_STYLE: Partial<ExcelJS.Style> = {};
const DATE_STYLE: Partial<ExcelJS.Style> = { numFmt: DATE_FMT, alignment: { horizontal: 'left' } };
const DATETIME_STYLE: Partial<ExcelJS.Style> = { numFmt: DATETIME_FMT, alignment: { horizontal: 'left' } };
const TITLE_STYLE: Partial<ExcelJS.Style> = { font: { bold: true, size: 14 } };
const SECTION_STYLE: Partial<ExcelJS.Style> = { font: { bold: true, size: 12 } };
const LABEL_STYLE: Partial<ExcelJS.Style> = { font: { bold: true } };

function columnLetter(n: number): string {
  let s = '';
  let x = n;
  while (x > 0) {
    const m = (x - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    x = Math.floor((x - 1) / 26);
  }
  return s;
}

function writeSummarySheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, input: ReportInput, cache: StyleCache): void {
  const sheet = workbook.addWorksheet('Summary', { properties: { tabColor: { argb: 'FF2F5597' } } });
  sheet.columns = [{ width: 26 }, { width: 30 }, { width: 20 }, { width: 20 }, { width: 20 }];
  let r = 0;
  const add = (values: unknown[], styles: (Partial<ExcelJS.Style> | undefined)[] = []): void => {
    r++;
    const row = sheet.getRow(r);
    values.forEach((value, i) => {
      if (value === undefined) return;
      const cell = row.getCell(i + 1);
      cell.value = value as ExcelJS.CellValue;
      const style = styles[i];
      if (style) cell.style = style;
    });
    row.commit();
  };
  const blank = (): void => {
    r++;
  };

  add([xlsxText(input.title)], [TITLE_STYLE]);
  blank();
  const info: [string, ExcelJS.CellValue, Partial<ExcelJS.Style> | undefined][] = [
    ['Generated', timestampCell(input.generatedAt), DATETIME_STYLE],
  ];
  if (input.workspaceName !== undefined) info.push(['Workspace', xlsxText(input.workspaceName), undefined]);
  info.push(
    ['Run', xlsxText(String(input.run.id)), undefined],
    ['Run started', timestampCell(input.run.startedAt), DATETIME_STYLE],
    ['Storefront', xlsxText(input.run.storefrontLabel), undefined],
    ['NetSuite', xlsxText(input.run.netsuiteLabel), undefined],
    ['Tolerance', xlsxText(input.run.rules.tolerance), undefined],
    ['Date window (days)', input.run.rules.dateWindowDays, undefined],
    ['Line-item refunds', xlsxText(input.run.rules.lineItems), undefined],
    ['Filters', xlsxText(input.filtersDescription || 'None'), undefined],
  );
  for (const [label, value, style] of info) add([label, value], [LABEL_STYLE, style]);

  blank();
  add(['Results by code'], [SECTION_STYLE]);
  add(['Code', 'Result', 'Severity', 'Count'], [HEADER_STYLE, HEADER_STYLE, HEADER_STYLE, HEADER_STYLE]);
  let total = 0;
  for (const code of ResultCode.options) {
    const count = input.summary.byCode[code] ?? 0;
    total += count;
    add([code, codeLabel(code), DEFAULT_SEVERITY[code], count]);
  }
  add(['Total', undefined, undefined, total], [LABEL_STYLE, undefined, undefined, LABEL_STYLE]);

  blank();
  add(['Totals per currency'], [SECTION_STYLE]);
  add(['Currency', 'Storefront', 'NetSuite', 'Difference'], [HEADER_STYLE, HEADER_STYLE, HEADER_STYLE, HEADER_STYLE]);
  const currencies = Object.keys(input.summary.totals).sort();
  if (currencies.length === 0) add(['(no amounts)']);
  for (const currency of currencies) {
    const t = input.summary.totals[currency]!;
    const style = amountStyle(cache, currency);
    const amount = (minor: number): ExcelJS.CellValue => amountNumber(minor, currency) ?? amountText(minor, currency);
    add([currency, amount(t.storefront), amount(t.netsuite), amount(t.difference)], [undefined, style, style, style]);
  }

  const byClass = input.summary.byClass;
  if (byClass && Object.keys(byClass).length > 0) {
    blank();
    add(['Totals per currency and how the money went back'], [SECTION_STYLE]);
    add(
      ['Currency', 'Paid back as', 'Storefront', 'NetSuite'],
      [HEADER_STYLE, HEADER_STYLE, HEADER_STYLE, HEADER_STYLE],
    );
    for (const currency of Object.keys(byClass).sort()) {
      const style = amountStyle(cache, currency);
      const amount = (minor: number): ExcelJS.CellValue => amountNumber(minor, currency) ?? amountText(minor, currency);
      for (const c of byClass[currency]!) {
        add(
          [currency, CLASS_WORDS[c.class], amount(c.storefront), amount(c.netsuite)],
          [undefined, undefined, style, style],
        );
      }
    }
  }

  blank();
  add(['Sign-off'], [SECTION_STYLE]);
  add(['Role', 'Name', 'Signed at'], [HEADER_STYLE, HEADER_STYLE, HEADER_STYLE]);
  const signRow = (role: string, entry: SignOffEntry | undefined): void => {
    if (entry) add([role, xlsxText(entry.name), timestampCell(entry.at)], [LABEL_STYLE, undefined, DATETIME_STYLE]);
    else add([role, '(not signed)', ''], [LABEL_STYLE]);
  };
  signRow('Preparer', input.signOff.preparer);
  signRow('Reviewer', input.signOff.reviewer);
  sheet.commit();
}

function resultCellValue(row: ReportRow, key: ResultColumnKey): ExcelJS.CellValue {
  if (AMOUNT_COLUMNS.has(key)) {
    const minor = row[key as 'storefrontTotal' | 'netsuiteTotal' | 'difference'];
    if (minor === null) return null;
    const currency = amountCurrency(row, key);
    return amountNumber(minor, currency) ?? amountText(minor, currency);
  }
  if (key === 'date') return row.date === null ? null : isoDateToExcel(row.date);
  return xlsxText(row[key as Exclude<ResultColumnKey, 'storefrontTotal' | 'netsuiteTotal' | 'difference' | 'date'>]);
}

async function writeResultsSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  input: ReportInput,
  cache: StyleCache,
  options: ReportWriteOptions,
): Promise<number> {
  const sheet = workbook.addWorksheet('Results', {
    views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }],
  });
  const columns = [...RESULT_COLUMNS, ...TENDER_COLUMNS];
  sheet.columns = columns.map((c) => ({ key: c.key, width: c.width }));
  const header = sheet.getRow(1);
  columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.style = HEADER_STYLE;
  });
  header.commit();

  let rows = 0;
  for await (const row of iterateRows(input.rows, options.signal)) {
    const xrow = sheet.getRow(rows + 2);
    for (let i = 0; i < RESULT_COLUMNS.length; i++) {
      const key = RESULT_COLUMNS[i]!.key;
      const value = resultCellValue(row, key);
      if (value === null || value === '') continue;
      const cell = xrow.getCell(i + 1);
      cell.value = value;
      if (AMOUNT_COLUMNS.has(key)) cell.style = amountStyle(cache, amountCurrency(row, key));
      else if (key === 'date') cell.style = DATE_STYLE;
      else cell.style = PLAIN_STYLE; // one shared object: exceljs caches its style id per object
    }
    // The tender columns (tenders.md §6): text, after the result's own columns.
    for (let k = 0; k < TENDER_COLUMNS.length; k++) {
      const text = xlsxText(tenderCell(row, TENDER_COLUMNS[k]!.key));
      if (text === '') continue;
      const cell = xrow.getCell(RESULT_COLUMNS.length + k + 1);
      cell.value = text;
      cell.style = PLAIN_STYLE;
    }
    xrow.commit();
    rows++;
    if (rows % DRAIN_CHECK_EVERY === 0) await waitForSheetDrain(sheet);
    if (rows % PROGRESS_EVERY === 0) options.onProgress?.(rows);
  }
  sheet.autoFilter = `A1:${columnLetter(columns.length)}${rows + 1}`;
  sheet.commit();
  return rows;
}

/** Month-end (issue 16): per month and currency, the refunds, both sides, the difference and the states. */
function writePeriodSheet(
  workbook: ExcelJS.stream.xlsx.WorkbookWriter,
  period: NonNullable<ReportInput['period']>,
  cache: StyleCache,
): void {
  const sheet = workbook.addWorksheet('Period');
  sheet.columns = [12, 10, 10, 16, 16, 16, 10, 10, 12, 12].map((width) => ({ width }));
  const header = [
    'Month',
    'Currency',
    'Refunds',
    'Storefront',
    'NetSuite',
    'Difference',
    'Agree',
    'Open',
    'Annotated',
    'Resolved',
  ];
  const head = sheet.getRow(1);
  header.forEach((h, i) => {
    const cell = head.getCell(i + 1);
    cell.value = h;
    cell.style = HEADER_STYLE;
  });
  head.commit();
  period.forEach((p, i) => {
    const row = sheet.getRow(i + 2);
    const style = amountStyle(cache, p.currency);
    const amount = (minor: number): ExcelJS.CellValue =>
      amountNumber(minor, p.currency) ?? amountText(minor, p.currency);
    const values: ExcelJS.CellValue[] = [
      p.month,
      p.currency,
      p.refunds,
      amount(p.storefront),
      amount(p.netsuite),
      amount(p.difference),
      p.agreed,
      p.open,
      p.annotated,
      p.resolved,
    ];
    values.forEach((value, k) => {
      const cell = row.getCell(k + 1);
      cell.value = value;
      if (k >= 3 && k <= 5) cell.style = style;
    });
    row.commit();
  });
  sheet.commit();
}

/**
 * Writes the workbook to `out` and ends it; resolves once `out` has finished. `out` should be a
 * fresh file stream (see export-run.ts, which writes atomically).
 */
export async function writeXlsxReport(
  input: ReportInput,
  out: Writable,
  options: ReportWriteOptions = {},
): Promise<ReportWriteResult> {
  checkReportSummary(input.summary);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = 'Refund Reconciler';
  workbook.lastModifiedBy = 'Refund Reconciler';
  const generated = Date.parse(input.generatedAt);
  if (!Number.isNaN(generated)) workbook.created = new Date(generated);
  const cache: StyleCache = { amount: new Map() };
  writeSummarySheet(workbook, input, cache);
  if (input.period) writePeriodSheet(workbook, input.period, cache);
  const rows = await writeResultsSheet(workbook, input, cache, options);
  await workbook.commit();
  if (!out.writableFinished) await endStream(out);
  options.onProgress?.(rows);
  return { rows };
}
