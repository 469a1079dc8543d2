import type { ShopifyClient } from '../connectors/shopify/client';
import { pullShopifyBulk, pullShopifyOrders } from '../connectors/shopify/refunds';
import type { Db } from '../store/open';
import { PULL_VERSION, type PullProgress, type PullResult, windowLabel, writePulledSnapshot } from './common';

export interface ShopifyPullOptions {
  updatedSince?: string;
  /** Use a bulk operation (large stores) instead of cursor paging. */
  bulk?: boolean;
  storefrontAccountId?: number;
  label?: string;
  signal?: AbortSignal;
  onProgress?: (progress: PullProgress) => void;
  pageSize?: number;
}

export async function pullShopifyRefunds(
  db: Db,
  client: ShopifyClient,
  options: ShopifyPullOptions = {},
): Promise<PullResult> {
  const signal = options.signal;
  const requestsBefore = client.http.stats.requests;
  const refunds = options.bulk
    ? pullShopifyBulk(client, {
        ...(options.updatedSince ? { updatedSince: options.updatedSince } : {}),
        ...(signal ? { signal } : {}),
        onStatus: (status) =>
          options.onProgress?.({ phase: 'plan', done: 0, total: null, unit: 'requests', message: status }),
      })
    : pullShopifyOrders(client, {
        ...(options.updatedSince ? { updatedSince: options.updatedSince } : {}),
        ...(signal ? { signal } : {}),
        ...(options.pageSize ? { pageSize: options.pageSize } : {}),
        onPage: (p) => options.onProgress?.({ phase: 'fetch', done: p.pages, total: null, unit: 'requests' }),
      });
  const window = options.updatedSince ? `updated>=${options.updatedSince}` : windowLabel();
  return writePulledSnapshot(
    db,
    {
      side: 'storefront',
      label: options.label ?? `Shopify ${new URL(client.baseUrl).host} ${window}`,
      format: options.bulk ? 'shopify-graphql-bulk' : 'shopify-graphql',
      importerVersion: PULL_VERSION,
      queryWindow: window,
      ...(options.storefrontAccountId !== undefined ? { storefrontAccountId: options.storefrontAccountId } : {}),
      provenance: {
        api: 'shopify-admin-graphql',
        shop: new URL(client.baseUrl).host,
        updatedSince: options.updatedSince ?? null,
      },
    },
    refunds,
    () => ({ ...client.http.stats, requests: client.http.stats.requests - requestsBefore }),
    () => ({ pointsUsed: client.pointsUsed }),
    { ...(signal ? { signal } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) },
  );
}
