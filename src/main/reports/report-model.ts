import { ResultCode, type Severity, Severity as SeveritySchema } from '../../shared/codes';
import { isCurrencyCode, type MinorUnits } from '../../shared/money';

/**
 * The input of every report exporter (CSV, XLSX, printable HTML). It is the exporters' own type,
 * independent of how runs are stored: the run storage maps its rows onto `ReportRow` and hands an
 * iterable (or async iterable, e.g. a paged SQLite cursor) so a 1,000,000-row run never sits in
 * memory. Money is integer minor units of the row's ISO 4217 currency, everywhere.
 */

export const ANNOTATION_STATUSES = ['open', 'explained', 'ignored', 'fixed'] as const;
export type ReportAnnotationStatus = (typeof ANNOTATION_STATUSES)[number];

export type ReportFormat = 'csv' | 'xlsx' | 'html';
export const REPORT_FORMATS: readonly ReportFormat[] = ['csv', 'xlsx', 'html'];

export interface ReportRow {
  code: ResultCode;
  severity: Severity;
  /** The storefront order reference as printed (`#1001`); free text. */
  orderRef: string;
  /** ISO 4217 code the totals and the difference are in. */
  currency: string;
  /** Refund date `YYYY-MM-DD`, or null when the result has none. */
  date: string | null;
  storefrontRefundId: string | null;
  /** Minor units; null when there is no storefront refund (missing_in_storefront). */
  storefrontTotal: MinorUnits | null;
  /** NetSuite document numbers joined for display, e.g. `CR1001, CUSTREF7` (empty when none). */
  netsuiteDocuments: string;
  /** Minor units; null when there is no NetSuite record (missing_in_netsuite). */
  netsuiteTotal: MinorUnits | null;
  /** storefront − NetSuite, minor units. */
  difference: MinorUnits;
  hint: string;
  annotationStatus: ReportAnnotationStatus;
  /** The reason given with explained/ignored, or the note; empty when none. */
  annotationReason: string;
  /**
   * A currency mismatch (issue 16): each side's total is in its own currency, named here; the row's
   * `currency` is then the storefront's and `difference` is 0 (the totals cannot be compared).
   */
  sideCurrencies?: { storefront: string; netsuite: string };
  /** How the money went back on each side (tenders.md §6); absent on runs stored before tenders were compared. */
  tenders?: ReportTenders;
}

/** Tender classes of tenders.md §2, and the tender kinds of §1.1, as the model names them. */
export type ReportTenderClass = 'money' | 'stored_value' | 'exchange' | 'other';

/** A result's tenders; amounts in minor units of the row's currency. */
export interface ReportTenders {
  /** Each side's tenders in the order the sources give them (`kind` as in tenders.md §1.1: card, store_credit, …). */
  storefront: Array<{ kind: string; amount: MinorUnits }>;
  /** NetSuite's parts: `state` settled, or on Credit Memo parts paid_out, applied or open. */
  netsuite: Array<{ kind: string; amount: MinorUnits; state: string }>;
  /** Per class, each side's amount; null for a side with no record. */
  byClass: Array<{ class: ReportTenderClass; storefront: MinorUnits | null; netsuite: MinorUnits | null }>;
  /** An exchange (§4.1): what was returned and exchanged, and what the customer still owes. */
  exchange: {
    returnId: string;
    returned: MinorUnits;
    exchanged: MinorUnits | null;
    balanceDue: MinorUnits | null;
  } | null;
  /** The chargeback on the order (§3.1); its amount as Shopify gave it (decimal text), null when unknown. */
  dispute: { id: string; type: string; status: string; amount: string | null } | null;
}

export interface ReportRunInfo {
  id: number | string;
  /** e.g. `Shopify — Acme US (snapshot 12, orders.json)` */
  storefrontLabel: string;
  /** e.g. `NetSuite 1234567 (snapshot 13, saved search)` */
  netsuiteLabel: string;
  rules: {
    /** As the user reads it: `0.01`, or `default 0.01; JPY 1`. */
    tolerance: string;
    dateWindowDays: number;
    lineItems: 'auto' | 'yes' | 'no';
  };
  /** ISO timestamp. */
  startedAt: string;
}

export interface CurrencyTotal {
  storefront: MinorUnits;
  netsuite: MinorUnits;
  difference: MinorUnits;
}

export interface ReportSummary {
  /** Result counts by code, over the rows being exported (i.e. after the filters). */
  byCode: Partial<Record<ResultCode, number>>;
  /** Minor units per ISO currency code. */
  totals: Record<string, CurrencyTotal>;
  /**
   * The whole run's money per currency and tender class (tenders.md §6 `summary.totals.byClass`), in
   * minor units; absent when the export is filtered (the run keeps these totals for the whole run only).
   */
  byClass?: Record<string, Array<{ class: ReportTenderClass; storefront: MinorUnits; netsuite: MinorUnits }>>;
}

export interface SignOffEntry {
  name: string;
  /** ISO timestamp. */
  at: string;
}

export interface ReportSignOff {
  preparer?: SignOffEntry;
  reviewer?: SignOffEntry;
}

export type ReportRows = Iterable<ReportRow> | AsyncIterable<ReportRow>;

export interface ReportInput {
  title: string;
  /** ISO timestamp. */
  generatedAt: string;
  workspaceName?: string;
  run: ReportRunInfo;
  /** Plain-language description of the filters applied, e.g. `Codes: amount_mismatch; Currency: USD` or `None`. */
  filtersDescription: string;
  summary: ReportSummary;
  signOff: ReportSignOff;
  /** Consumed once per export. Pass a fresh iterable (or a generator call) for each export. */
  rows: ReportRows;
  /** The month-end period summary of the run (issue 16): the XLSX export adds it as its "Period" sheet. */
  period?: ReportPeriodRow[];
}

/** One month and currency of the period summary; amounts in minor units of `currency`. */
export interface ReportPeriodRow {
  month: string;
  currency: string;
  refunds: number;
  storefront: number;
  netsuite: number;
  difference: number;
  agreed: number;
  open: number;
  annotated: number;
  resolved: number;
}

/**
 * The run's tolerance rule as the report prints it: `0.01; JPY 1, USD 0.05`, or `one minor unit`
 * when no default is set. Takes the shape of the stored rules (`ReconcileRules.tolerance`).
 */
export function describeTolerance(tolerance: { default: string | null; byCurrency: Record<string, string> }): string {
  const base = tolerance.default ?? 'one minor unit';
  const overrides = Object.entries(tolerance.byCurrency)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([currency, value]) => `${currency} ${value}`);
  return overrides.length > 0 ? `${base}; ${overrides.join(', ')}` : base;
}

/** Options every writer accepts. */
export interface ReportWriteOptions {
  signal?: AbortSignal;
  /** Called every few thousand rows with the number of rows written so far. */
  onProgress?: (rowsWritten: number) => void;
}

export interface ReportWriteResult {
  rows: number;
}

/** A row the storage handed over is not a valid report row: a bug upstream, not a user error. */
export class ReportDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ReportDataError';
  }
}

const CODES = new Set<string>(ResultCode.options);
const SEVERITIES = new Set<string>(SeveritySchema.options);
const STATUSES = new Set<string>(ANNOTATION_STATUSES);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

function checkMinor(value: unknown, field: string, index: number, nullable: boolean): void {
  if (value === null && nullable) return;
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new ReportDataError(
      `Report row ${index + 1}: ${field} must be an integer of minor units, found ${String(value)}`,
    );
  }
}

/** Validates one row (cheap checks, run on every exported row). `index` is 0-based. */
export function checkReportRow(row: ReportRow, index: number): void {
  if (!CODES.has(row.code)) throw new ReportDataError(`Report row ${index + 1}: unknown result code "${row.code}"`);
  if (!SEVERITIES.has(row.severity)) {
    throw new ReportDataError(`Report row ${index + 1}: unknown severity "${row.severity}"`);
  }
  if (!isCurrencyCode(row.currency)) {
    throw new ReportDataError(`Report row ${index + 1}: "${row.currency}" is not an ISO 4217 currency code`);
  }
  if (row.date !== null && !ISO_DATE.test(row.date)) {
    throw new ReportDataError(`Report row ${index + 1}: date must be YYYY-MM-DD, found "${row.date}"`);
  }
  if (!STATUSES.has(row.annotationStatus)) {
    throw new ReportDataError(`Report row ${index + 1}: unknown annotation status "${row.annotationStatus}"`);
  }
  checkMinor(row.storefrontTotal, 'storefrontTotal', index, true);
  checkMinor(row.netsuiteTotal, 'netsuiteTotal', index, true);
  checkMinor(row.difference, 'difference', index, false);
}

/** Validates the summary's currencies and amounts (run once per export). */
export function checkReportSummary(summary: ReportSummary): void {
  for (const [currency, total] of Object.entries(summary.totals)) {
    if (!isCurrencyCode(currency)) throw new ReportDataError(`Report summary: "${currency}" is not an ISO 4217 code`);
    for (const field of ['storefront', 'netsuite', 'difference'] as const) {
      if (!Number.isSafeInteger(total[field])) {
        throw new ReportDataError(`Report summary ${currency}.${field} must be an integer of minor units`);
      }
    }
  }
  for (const [currency, classes] of Object.entries(summary.byClass ?? {})) {
    if (!isCurrencyCode(currency)) throw new ReportDataError(`Report summary: "${currency}" is not an ISO 4217 code`);
    for (const c of classes) {
      if (!Number.isSafeInteger(c.storefront) || !Number.isSafeInteger(c.netsuite)) {
        throw new ReportDataError(`Report summary ${currency}.${c.class} must be integers of minor units`);
      }
    }
  }
  for (const [code, count] of Object.entries(summary.byCode)) {
    if (!CODES.has(code)) throw new ReportDataError(`Report summary: unknown result code "${code}"`);
    if (!Number.isSafeInteger(count) || (count as number) < 0) {
      throw new ReportDataError(`Report summary: count for ${code} must be a non-negative integer`);
    }
  }
}

/** Iterates sync and async row sources alike, validating each row and honouring an abort signal. */
export async function* iterateRows(rows: ReportRows, signal?: AbortSignal): AsyncGenerator<ReportRow> {
  let index = 0;
  for await (const row of rows as AsyncIterable<ReportRow>) {
    if (signal?.aborted) throw signal.reason ?? new Error('Export cancelled');
    checkReportRow(row, index);
    index++;
    yield row;
  }
}
