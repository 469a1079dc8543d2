import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { ResultCode } from '../../shared/codes';
import type { ReportFilters, ResultRow, ResultsCursor, ResultsQuery, ResultTenders } from '../../shared/contract';
import { ResultsQuery as ResultsQuerySchema } from '../../shared/contract/run';
import { UserError } from '../../shared/errors';
import { isCurrencyCode, parseAmountOrThrow } from '../../shared/money';
import { periodSummary } from '../reconcile/period-summary';
import { annotationHistory, getRun, queryResults, resultTendersByIds } from '../reconcile/run-store';
import { describeTolerance, exportReportTo, type ReportRow, type ReportSummary } from '../reports';
import type { ReportPeriodRow, ReportTenders } from '../reports/report-model';
import type { Db } from '../store/open';
import { getSnapshot } from '../store/snapshots';
import { workspaceTenderKinds } from '../use-cases/workspace-tender-kinds';
import type { HandlerMap } from './handler';
import { checkFolderPath } from './ui-service';

/** Rows per page read from the run store while exporting (the query's maximum). */
export const EXPORT_PAGE_SIZE = 1000;

function minor(text: string | null, currency: string): number | null {
  if (text === null) return null;
  if (!isCurrencyCode(currency)) return Number(text);
  return parseAmountOrThrow(text, currency);
}

const TENDER_PROBLEM_WORDS: Record<NonNullable<ReportFilters['tenderProblem']>, string> = {
  any: 'any tender difference',
  tender_mismatch: 'paid back differently',
  credit_not_paid_out: 'credit not paid out',
  exchange: 'exchanges',
  chargeback: 'chargebacks',
};
const TENDER_CLASS_WORDS: Record<NonNullable<ReportFilters['tenderClasses']>[number], string> = {
  money: 'money',
  stored_value: 'store credit & gift cards',
  exchange: 'exchange credit',
  other: 'not stated',
};

/** A result's tender split (decimal strings of the contract) in the report's minor units. */
function reportTenders(t: ResultTenders, currency: string): ReportTenders {
  const m = (text: string) => minor(text, currency) ?? 0;
  const orNull = (text: string | null) => (text === null ? null : m(text));
  return {
    storefront: t.detail.storefront.map((x) => ({ kind: x.kind, amount: m(x.amount) })),
    netsuite: t.detail.netsuite.map((x) => ({ kind: x.kind, amount: m(x.amount), state: x.state ?? 'settled' })),
    byClass: t.byClass.map((c) => ({ class: c.class, storefront: orNull(c.storefront), netsuite: orNull(c.netsuite) })),
    exchange: t.exchange
      ? {
          returnId: t.exchange.returnId,
          returned: m(t.exchange.returned),
          exchanged: orNull(t.exchange.exchanged),
          balanceDue: orNull(t.exchange.balanceDue),
        }
      : null,
    dispute: t.dispute
      ? { id: t.dispute.id, type: t.dispute.type, status: t.dispute.status, amount: t.dispute.amount }
      : null,
  };
}

/** Plain words for the filters, as the report prints them. */
export function describeFilters(filters: ReportFilters): string {
  const parts: string[] = [];
  if (filters.codes?.length) parts.push(`Codes: ${filters.codes.join(', ')}`);
  if (filters.severities?.length) parts.push(`Severity: ${filters.severities.join(', ')}`);
  if (filters.currencies?.length) parts.push(`Currency: ${filters.currencies.join(', ')}`);
  if (filters.dateFrom || filters.dateTo) parts.push(`Dates: ${filters.dateFrom ?? '…'} to ${filters.dateTo ?? '…'}`);
  if (filters.minDifference || filters.maxDifference) {
    parts.push(`Difference: ${filters.minDifference ?? '0'} to ${filters.maxDifference ?? 'any'}`);
  }
  if (filters.annotation?.length) parts.push(`Status: ${filters.annotation.join(', ')}`);
  if (filters.search?.trim()) parts.push(`Search: "${filters.search.trim()}"`);
  if (filters.tenderProblem) parts.push(`Tender problem: ${TENDER_PROBLEM_WORDS[filters.tenderProblem]}`);
  if (filters.tenderClasses?.length) {
    parts.push(`Paid back as: ${filters.tenderClasses.map((c) => TENDER_CLASS_WORDS[c]).join(', ')}`);
  }
  return parts.length > 0 ? parts.join('; ') : 'None';
}

function toReportRow(db: Db, row: ResultRow, tenders: ResultTenders | undefined): ReportRow {
  let reason = '';
  if (row.annotation !== 'open') {
    const last = annotationHistory(db, row.key).at(-1);
    reason = last ? last.reason || last.note : '';
  }
  return {
    code: row.code,
    severity: row.severity,
    orderRef: row.orderRef,
    currency: row.currency,
    date: row.date,
    storefrontRefundId: row.storefrontRefundId,
    storefrontTotal: row.sides?.storefront
      ? minor(row.sides.storefront.amount, row.sides.storefront.currency)
      : minor(row.storefrontTotal, row.currency),
    netsuiteDocuments: row.netsuiteDocuments.join(', '),
    netsuiteTotal: row.sides?.netsuite
      ? minor(row.sides.netsuite.amount, row.sides.netsuite.currency)
      : minor(row.netsuiteTotal, row.currency),
    difference: minor(row.difference, row.currency) ?? 0,
    hint: row.hint,
    annotationStatus: row.annotation,
    annotationReason: reason,
    ...(row.sides?.storefront && row.sides.netsuite
      ? { sideCurrencies: { storefront: row.sides.storefront.currency, netsuite: row.sides.netsuite.currency } }
      : {}),
    ...(tenders ? { tenders: reportTenders(tenders, row.currency) } : {}),
  };
}

/** Every filtered, sorted row, read from the run store one page at a time (never all in memory). */
export async function* pagedReportRows(
  db: Db,
  query: Omit<ResultsQuery, 'offset' | 'limit'>,
  signal?: AbortSignal,
): AsyncGenerator<ReportRow> {
  // Tenders rebuilt from records (plain matches) are mapped as the comparison mapped them.
  const tenderKinds = workspaceTenderKinds(db);
  // Each page after the last one's cursor (an index seek), not at an offset: an offset walks every
  // row before it, per page (quadratic over a large run; over compact rows, a merge in JavaScript).
  let after: ResultsCursor | undefined;
  for (;;) {
    if (signal?.aborted) throw new UserError('cancelled', 'The export was cancelled; no file was written.');
    const page = queryResults(db, {
      ...query,
      offset: 0,
      limit: EXPORT_PAGE_SIZE,
      totals: false,
      count: false,
      ...(after ? { after } : {}),
    });
    const tenders = resultTendersByIds(
      db,
      page.rows.map((r) => r.id),
      tenderKinds,
    );
    for (const row of page.rows) yield toReportRow(db, row, tenders.get(row.id));
    if (page.rows.length < EXPORT_PAGE_SIZE || !page.last) return;
    after = page.last;
    // Let other requests (and the abort signal) in between pages.
    await new Promise((resolve) => setImmediate(resolve));
  }
}

function summaryFor(db: Db, query: Omit<ResultsQuery, 'offset' | 'limit'>): { summary: ReportSummary; total: number } {
  const first = queryResults(db, { ...query, offset: 0, limit: 1 });
  const byCode: ReportSummary['byCode'] = {};
  for (const code of ResultCode.options) {
    if (query.codes && query.codes.length > 0 && !query.codes.includes(code)) continue;
    const n = queryResults(db, { ...query, codes: [code], offset: 0, limit: 1 }).total;
    if (n > 0) byCode[code] = n;
  }
  const totals: ReportSummary['totals'] = {};
  for (const [currency, t] of Object.entries(first.totals)) {
    if (!isCurrencyCode(currency)) continue;
    totals[currency] = {
      storefront: parseAmountOrThrow(t.storefront, currency),
      netsuite: parseAmountOrThrow(t.netsuite, currency),
      difference: parseAmountOrThrow(t.difference, currency),
    };
  }
  return { summary: { byCode, totals }, total: first.total };
}

const REPORT_CLASSES = ['money', 'stored_value', 'exchange', 'other'] as const;

/** The run summary's `byClass` (decimal strings) back in minor units, per currency. */
function runByClass(
  totals: Record<string, { byClass?: Record<string, { storefront: string; netsuite: string }> }> | undefined,
): ReportSummary['byClass'] {
  const out: NonNullable<ReportSummary['byClass']> = {};
  for (const [currency, t] of Object.entries(totals ?? {})) {
    if (!isCurrencyCode(currency) || !t.byClass) continue;
    const rows = REPORT_CLASSES.filter((c) => t.byClass![c]).map((c) => ({
      class: c,
      storefront: parseAmountOrThrow(t.byClass![c]!.storefront, currency),
      netsuite: parseAmountOrThrow(t.byClass![c]!.netsuite, currency),
    }));
    if (rows.length > 0) out[currency] = rows;
  }
  return out;
}

function snapshotLabel(db: Db, id: number, side: string): string {
  const s = getSnapshot(db, id);
  if (!s) return `${side} snapshot ${id}`;
  return `${s.label} (snapshot ${s.id}${s.fileName ? `, ${s.fileName}` : ''})`;
}

/** The whole run's period summary for the XLSX "Period" sheet, amounts back in minor units. */
function reportPeriod(db: Db, runId: number): ReportPeriodRow[] {
  return periodSummary(db, runId).rows.map((r) => {
    const minor = (text: string) => (isCurrencyCode(r.currency) ? parseAmountOrThrow(text, r.currency) : Number(text));
    return {
      ...r,
      storefront: minor(r.storefront),
      netsuite: minor(r.netsuite),
      difference: minor(r.difference),
    };
  });
}

export const reportHandlers: HandlerMap<'report:export'> = {
  'report:export': async (input, ctx, signal) => {
    const run = getRun(ctx.db, input.runId);
    // Desktop app: only a folder the user chose in the dialog, by its realpath.
    const folder = ctx.pathGrants
      ? ctx.pathGrants.assertGranted(checkFolderPath(input.folder), 'write-folder')
      : checkFolderPath(input.folder);
    const query = ResultsQuerySchema.parse({ ...input.filters, runId: input.runId });
    const { offset: _o, limit: _l, ...rest } = query;
    const { summary, total } = summaryFor(ctx.db, rest);
    // The run keeps its per-class totals for the whole run: shown only on an unfiltered export.
    if (describeFilters(input.filters) === 'None') summary.byClass = runByClass(run.summary?.totals);
    const jobId = randomUUID();
    const preparer = run.signoffs.find((s) => s.role === 'preparer');
    const reviewer = run.signoffs.find((s) => s.role === 'reviewer');
    ctx.emit('job:progress', { jobId, kind: 'report', phase: 'writing', done: 0, total, unit: 'results' });
    let last = 0;
    const result = await exportReportTo(
      {
        title: `Refund reconciliation — run ${run.id}`,
        generatedAt: new Date().toISOString(),
        workspaceName: path.basename(ctx.workspacePath),
        run: {
          id: run.id,
          storefrontLabel: snapshotLabel(ctx.db, run.storefrontSnapshotId, 'Storefront'),
          netsuiteLabel: snapshotLabel(ctx.db, run.netsuiteSnapshotId, 'NetSuite'),
          rules: {
            tolerance: describeTolerance(run.rules.tolerance),
            dateWindowDays: run.rules.dateWindowDays,
            lineItems: run.rules.storefrontLineItems,
          },
          startedAt: run.startedAt,
        },
        filtersDescription: describeFilters(input.filters),
        summary,
        signOff: {
          preparer: preparer ? { name: preparer.name, at: preparer.signedAt } : undefined,
          reviewer: reviewer ? { name: reviewer.name, at: reviewer.signedAt } : undefined,
        },
        rows: pagedReportRows(ctx.db, rest, signal),
        period: input.format === 'xlsx' ? reportPeriod(ctx.db, run.id) : undefined,
      },
      input.format,
      folder,
      input.fileName,
      {
        signal,
        onProgress: (done) => {
          const now = Date.now();
          if (now - last < 100) return;
          last = now;
          ctx.emit('job:progress', { jobId, kind: 'report', phase: 'writing', done, total, unit: 'results' });
        },
      },
    );
    ctx.emit('job:progress', { jobId, kind: 'report', phase: 'done', done: result.rows, total, unit: 'results' });
    return { path: result.file, format: result.format, rows: result.rows, bytes: result.bytes };
  },
};
