import type { NetsuiteClient } from '../connectors/netsuite/client';
import { DEFAULT_ITEM_ROLES, type ItemRoles, mapRefundRows } from '../connectors/netsuite/map-refunds';
import {
  type RefundQueryFilter,
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
  const rows = pullWindowed(
    client,
    {
      stats: () => refundStatsQuery(filter),
      histogram: (lo, hi, width) => refundHistogramQuery(filter, lo, hi, width),
      rows: (range) => refundRowsQuery(filter, range),
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
        itemRoles: options.roles ?? DEFAULT_ITEM_ROLES,
      },
    },
    mapRefundRows(rows, options.roles ?? DEFAULT_ITEM_ROLES),
    () => ({ ...client.http.stats, requests: client.http.stats.requests - requestsBefore }),
    () => ({ suiteqlRows: rowsRead }),
    {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    },
  );
}
