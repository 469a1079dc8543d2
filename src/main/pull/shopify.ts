import type { TenderMapping } from '../../shared/contract/snapshot';
import type { ShopifyClient } from '../connectors/shopify/client';
import type { QueryFeatures } from '../connectors/shopify/queries';
import {
  pullShopifyBulk,
  pullShopifyDisputes,
  pullShopifyOrders,
  shopifyQueryFeatures,
} from '../connectors/shopify/refunds';
import type { PulledDispute } from '../mapping/shopify-disputes';
import type { Db } from '../store/open';
import {
  PULL_VERSION,
  type PullProgress,
  type PullResult,
  windowLabel,
  withTenderMapping,
  writePulledSnapshot,
} from './common';

export interface ShopifyPullOptions {
  /** The user's tender mapping (tenders.md §1.3): gateways → kinds, over the defaults. */
  tenderMapping?: TenderMapping;
  updatedSince?: string;
  /** Use a bulk operation (large stores) instead of cursor paging. */
  bulk?: boolean;
  storefrontAccountId?: number;
  label?: string;
  signal?: AbortSignal;
  onProgress?: (progress: PullProgress) => void;
  pageSize?: number;
  /** What to ask for beyond money; default: what the API version and the token's scopes allow. */
  features?: QueryFeatures;
  /**
   * Receives the shop's disputes (tenders.md §3.1) when the token may read them, with the new
   * snapshot's id, to store them beside its refunds (the disputes store keys them by order).
   */
  onDisputes?: (snapshotId: number, disputes: PulledDispute[]) => void;
}

export async function pullShopifyRefunds(
  db: Db,
  client: ShopifyClient,
  options: ShopifyPullOptions = {},
): Promise<PullResult> {
  const signal = options.signal;
  const requestsBefore = client.http.stats.requests;
  const features = options.features ?? (await shopifyQueryFeatures(client, signal));
  const refunds = options.bulk
    ? pullShopifyBulk(client, {
        features,
        ...(options.updatedSince ? { updatedSince: options.updatedSince } : {}),
        ...(signal ? { signal } : {}),
        onStatus: (status) =>
          options.onProgress?.({ phase: 'plan', done: 0, total: null, unit: 'requests', message: status }),
      })
    : pullShopifyOrders(client, {
        features,
        ...(options.updatedSince ? { updatedSince: options.updatedSince } : {}),
        ...(signal ? { signal } : {}),
        ...(options.pageSize ? { pageSize: options.pageSize } : {}),
        onPage: (p) => options.onProgress?.({ phase: 'fetch', done: p.pages, total: null, unit: 'requests' }),
      });
  const window = options.updatedSince ? `updated>=${options.updatedSince}` : windowLabel();
  const result = await writePulledSnapshot(
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
        // What the pull could read (tenders.md §1.2): manual gateways, returns with exchange items.
        features,
      },
    },
    withTenderMapping(refunds, options.tenderMapping, 'shopify'),
    () => ({ ...client.http.stats, requests: client.http.stats.requests - requestsBefore }),
    () => ({ pointsUsed: client.pointsUsed }),
    { ...(signal ? { signal } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) },
  );
  if (!features.disputes) return result;
  // Disputes with the pull when the token has the scope (§3.1): after the refunds, so a failed
  // refund pull asks for none; the disputes' requests are counted in the result.
  const before = client.http.stats.requests;
  const disputes = await pullShopifyDisputes(client, signal);
  options.onDisputes?.(result.snapshotId, disputes);
  return { ...result, disputes: disputes.length, requests: result.requests + client.http.stats.requests - before };
}
