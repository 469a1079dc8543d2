import type { TenderMapping } from '../../shared/contract/snapshot';
import type { BigcommerceClient } from '../connectors/bigcommerce/client';
import { pullBigcommerceRefunds } from '../connectors/bigcommerce/refunds';
import type { Db } from '../store/open';
import {
  PULL_VERSION,
  type PullProgress,
  type PullResult,
  windowLabel,
  withTenderMapping,
  writePulledSnapshot,
} from './common';

export interface BigcommercePullOptions {
  /** The user's tender mapping (tenders.md §1.3): gateways → kinds, over the defaults. */
  tenderMapping?: TenderMapping;
  /** Refunds created from / to (YYYY-MM-DD, UTC). */
  from?: string;
  to?: string;
  /** The store's currency (BigCommerce refunds do not carry one). */
  currency: string;
  storefrontAccountId?: number;
  label?: string;
  signal?: AbortSignal;
  onProgress?: (progress: PullProgress) => void;
  pageSize?: number;
}

/** Pulls BigCommerce refunds (v3 payment actions) into a new storefront snapshot. */
export async function pullBigcommerceSnapshot(
  db: Db,
  client: BigcommerceClient,
  options: BigcommercePullOptions,
): Promise<PullResult> {
  const signal = options.signal;
  const requestsBefore = client.http.stats.requests;
  let listed = 0;
  const refunds = pullBigcommerceRefunds(client, {
    currency: options.currency,
    ...(options.from ? { from: options.from } : {}),
    ...(options.to ? { to: options.to } : {}),
    ...(options.pageSize ? { pageSize: options.pageSize } : {}),
    ...(signal ? { signal } : {}),
    onPage: (p) => {
      listed = p.total;
      options.onProgress?.({ phase: 'fetch', done: p.pages, total: p.pagesTotal, unit: 'requests' });
    },
  });
  const window = windowLabel(options.from, options.to);
  return writePulledSnapshot(
    db,
    {
      side: 'storefront',
      label: options.label ?? `BigCommerce ${client.storeHash} ${window}`,
      format: 'bigcommerce-v3',
      importerVersion: PULL_VERSION,
      queryWindow: window,
      ...(options.storefrontAccountId !== undefined ? { storefrontAccountId: options.storefrontAccountId } : {}),
      provenance: {
        api: 'bigcommerce-v3-payment-actions',
        account: client.storeHash,
        host: new URL(client.baseUrl).host,
        window: { from: options.from ?? null, to: options.to ?? null },
        currency: options.currency,
      },
    },
    withTenderMapping(refunds, options.tenderMapping, 'bigcommerce'),
    () => ({ ...client.http.stats, requests: client.http.stats.requests - requestsBefore }),
    () => ({ refundsListed: listed, quotaWaits: client.quota.waits, quotaWaitedMs: Math.round(client.quota.waitedMs) }),
    { ...(signal ? { signal } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) },
  );
}
