import type { TenderMapping } from '../../shared/contract/snapshot';
import { UserError } from '../../shared/errors';
import type { NetsuiteClient, SuiteqlRow } from '../connectors/netsuite/client';
import {
  DEFAULT_ITEM_ROLES,
  groupMemoLinks,
  type ItemRoles,
  type MemoLinks,
  mapRefundRows,
  pullTenderContext,
} from '../connectors/netsuite/map-refunds';
import {
  memoLinkHistogramQuery,
  memoLinkRowsQuery,
  memoLinkStatsQuery,
  type RefundQueryFilter,
  type RefundRowColumns,
  refundHistogramQuery,
  refundRowsQuery,
  refundStatsQuery,
} from '../connectors/netsuite/refund-query';
import { pullWindowed, type WindowedPullOptions } from '../connectors/netsuite/suiteql-windows';
import type { Db } from '../store/open';
import { PULL_VERSION, type PullProgress, type PullResult, windowLabel, writePulledSnapshot } from './common';

export interface NetsuitePullOptions {
  filter?: RefundQueryFilter;
  roles?: ItemRoles;
  /** The user's tender mapping (tenders.md §1.3): payment methods and tender items → kinds. */
  tenderMapping?: TenderMapping;
  /** Workspace id of the NetSuite account (netsuite_accounts.id), if it is one. */
  netsuiteAccountId?: number;
  label?: string;
  signal?: AbortSignal;
  onProgress?: (progress: PullProgress) => void;
  /** Window size below NetSuite's 100,000-row cap (tests). */
  maxWindowRows?: number;
  pageSize?: number;
  /** Fetch in a worker thread (default: for large pulls; see pullWindowed). */
  thread?: boolean;
  /** Tests: the fetch thread fetches every page (this thread waits for it to load). */
  threadFetchesAll?: boolean;
  onFetchThread?: WindowedPullOptions['onFetchThread'];
}

/** Pulls NetSuite refund records (Cash Refund, Credit Memo, Customer Refund) into a new snapshot. */
export async function pullNetsuiteRefunds(
  db: Db,
  client: NetsuiteClient,
  options: NetsuitePullOptions = {},
): Promise<PullResult> {
  const filter = options.filter ?? {};
  const requestsBefore = client.http.stats.requests;
  let rowsRead = 0;
  // Decided by the count (its answer or its refusal), before any rows query is written.
  const columns: RefundRowColumns = { paymentMethod: true };
  let links: MemoLinks = new Map();
  const rows = pullWindowed(
    client,
    {
      stats: () => refundStatsQuery(filter, columns),
      histogram: (lo, hi, width) => refundHistogramQuery(filter, lo, hi, width),
      rows: (range) => refundRowsQuery(filter, range, columns),
    },
    {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.maxWindowRows ? { maxWindowRows: options.maxWindowRows } : {}),
      ...(options.pageSize ? { pageSize: options.pageSize } : {}),
      ...(options.thread !== undefined ? { thread: options.thread } : {}),
      ...(options.threadFetchesAll ? { threadFetchesAll: true } : {}),
      ...(options.onFetchThread ? { onFetchThread: options.onFetchThread } : {}),
      // The count decides the columns; the memos' links are read right after it, before any page
      // of rows is asked for, so the two never share the account's concurrency limit.
      count: async (signal) => {
        const page = await countWithColumns(client, filter, columns, signal);
        if (Number(page.items[0]?.n) > 0) links = await readMemoLinks(client, filter, columns, options, signal);
        return page;
      },
      onPage: (p) => {
        rowsRead = p.rowsDone;
        options.onProgress?.({ phase: 'fetch', done: p.rowsDone, total: p.rowsTotal, unit: 'rows' });
      },
    },
  );
  const roles = options.roles ?? DEFAULT_ITEM_ROLES;
  const window = windowLabel(filter.from, filter.to);
  return writePulledSnapshot(
    db,
    {
      side: 'netsuite',
      label: options.label ?? `NetSuite ${client.realm} ${window}`,
      format: 'netsuite-suiteql',
      importerVersion: PULL_VERSION,
      queryWindow: window,
      ...(options.netsuiteAccountId !== undefined ? { netsuiteAccountId: options.netsuiteAccountId } : {}),
      provenance: {
        api: 'netsuite-rest',
        account: client.realm,
        host: client.baseUrl,
        filter,
        itemRoles: roles,
        paymentMethods: columns.paymentMethod,
        ...(options.tenderMapping ? { tenderMapping: options.tenderMapping } : {}),
      },
    },
    mapRefundRows(rows, roles, { tenders: pullTenderContext(roles, options.tenderMapping), links: () => links }),
    () => ({ ...client.http.stats, requests: client.http.stats.requests - requestsBefore }),
    () => ({ suiteqlRows: rowsRead }),
    {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    },
  );
}

/**
 * The pull's count, with the payment-method column (tenders.md §1.4 [unconfirmed column]) as its
 * probe: an account that answers "Invalid search query … Field 'paymentmethod' … not found" (HTTP
 * 400) is counted again and pulled without it, and its payment methods are unknown (`other`).
 */
async function countWithColumns(
  client: NetsuiteClient,
  filter: RefundQueryFilter,
  columns: RefundRowColumns,
  signal: AbortSignal | undefined,
) {
  const ask = () =>
    client.suiteql(refundStatsQuery(filter, columns), {
      limit: 1,
      label: 'plan: count',
      ...(signal ? { signal } : {}),
    });
  try {
    return await ask();
  } catch (error) {
    if (!columns.paymentMethod || !refusesPaymentMethod(error)) throw error;
    columns.paymentMethod = false;
    return ask();
  }
}

function refusesPaymentMethod(error: unknown): boolean {
  if (!(error instanceof UserError)) return false;
  const details = error.details as { status?: number; details?: { detail?: string }[] } | undefined;
  if (details?.status !== 400) return false;
  return (details.details ?? []).some((d) => /paymentmethod/i.test(d.detail ?? ''));
}

/**
 * The second query (tenders.md §1.4): every Credit Memo's PreviousTransactionLink rows, windowed
 * like the refund rows, grouped by memo id. Held in memory (a few small rows per memo that has
 * links) while the refund rows stream past; read in this thread, before the rows are fetched.
 */
async function readMemoLinks(
  client: NetsuiteClient,
  filter: RefundQueryFilter,
  columns: RefundRowColumns,
  options: NetsuitePullOptions,
  signal: AbortSignal | undefined,
): Promise<MemoLinks> {
  const rows: SuiteqlRow[] = [];
  const stream = pullWindowed(
    client,
    {
      stats: () => memoLinkStatsQuery(filter),
      histogram: (lo, hi, width) => memoLinkHistogramQuery(filter, lo, hi, width),
      rows: (range) => memoLinkRowsQuery(filter, range, columns),
    },
    {
      ...(signal ? { signal } : {}),
      ...(options.maxWindowRows ? { maxWindowRows: options.maxWindowRows } : {}),
      ...(options.pageSize ? { pageSize: options.pageSize } : {}),
      thread: false,
    },
  );
  for await (const row of stream) rows.push(row);
  return groupMemoLinks(rows);
}
