import type { TenderMapping } from '../../shared/contract/snapshot';
import { UserError } from '../../shared/errors';
import type { NetsuiteClient } from '../connectors/netsuite/client';
import {
  DEFAULT_ITEM_ROLES,
  type ItemRoles,
  mapRefundRows,
  pullTenderContext,
} from '../connectors/netsuite/map-refunds';
import {
  memoLinkHistogramQuery,
  memoLinkRowsQuery,
  memoLinkStatsQuery,
  paymentMethodProbeQuery,
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
  const columns = await rowColumns(client, filter, options.signal);
  const rows = pullWindowed(
    client,
    {
      stats: () => refundStatsQuery(filter),
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
      onPage: (p) => {
        rowsRead = p.rowsDone;
        options.onProgress?.({ phase: 'fetch', done: p.rowsDone, total: p.rowsTotal, unit: 'rows' });
      },
    },
  );
  // The second query (§1.4): the Credit Memos' transaction links, merged into the rows by memo id.
  const links = pullWindowed(
    client,
    {
      stats: () => memoLinkStatsQuery(filter),
      histogram: (lo, hi, width) => memoLinkHistogramQuery(filter, lo, hi, width),
      rows: (range) => memoLinkRowsQuery(filter, range, columns),
    },
    {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.maxWindowRows ? { maxWindowRows: options.maxWindowRows } : {}),
      ...(options.pageSize ? { pageSize: options.pageSize } : {}),
      thread: false,
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
    mapRefundRows(rows, roles, { tenders: pullTenderContext(roles, options.tenderMapping), links }),
    () => ({ ...client.http.stats, requests: client.http.stats.requests - requestsBefore }),
    () => ({ suiteqlRows: rowsRead }),
    {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    },
  );
}

/**
 * Whether the account's SuiteQL has the payment-method column (tenders.md §1.4 [unconfirmed
 * column]): one row is asked for with it; an account that answers "Invalid search query … Field
 * 'paymentmethod' … not found" (HTTP 400) is pulled without it, and its payment methods are unknown.
 */
async function rowColumns(
  client: NetsuiteClient,
  filter: RefundQueryFilter,
  signal: AbortSignal | undefined,
): Promise<RefundRowColumns> {
  try {
    await client.suiteql(paymentMethodProbeQuery(filter), {
      limit: 1,
      label: 'payment method column',
      ...(signal ? { signal } : {}),
    });
    return { paymentMethod: true };
  } catch (error) {
    if (refusesPaymentMethod(error)) return { paymentMethod: false };
    throw error;
  }
}

function refusesPaymentMethod(error: unknown): boolean {
  if (!(error instanceof UserError)) return false;
  const details = error.details as { status?: number; details?: { detail?: string }[] } | undefined;
  if (details?.status !== 400) return false;
  return (details.details ?? []).some((d) => /paymentmethod/i.test(d.detail ?? ''));
}
