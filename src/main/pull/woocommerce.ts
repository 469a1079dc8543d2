import type { TenderMapping } from '../../shared/contract/snapshot';
import type { WoocommerceClient } from '../connectors/woocommerce/client';
import { pullWoocommerceRefunds } from '../connectors/woocommerce/refunds';
import type { Db } from '../store/open';
import {
  PULL_VERSION,
  type PullProgress,
  type PullResult,
  windowLabel,
  withTenderMapping,
  writePulledSnapshot,
} from './common';

export interface WoocommercePullOptions {
  /** The user's tender mapping (tenders.md §1.3): gateways → kinds, over the defaults. */
  tenderMapping?: TenderMapping;
  /** Orders created from / to (YYYY-MM-DD, site time). */
  from?: string;
  to?: string;
  /** Orders modified since (YYYY-MM-DD): incremental pulls. */
  modifiedSince?: string;
  storefrontAccountId?: number;
  label?: string;
  signal?: AbortSignal;
  onProgress?: (progress: PullProgress) => void;
  perPage?: number;
}

/** Pulls WooCommerce order refunds into a new storefront snapshot. */
export async function pullWoocommerceSnapshot(
  db: Db,
  client: WoocommerceClient,
  options: WoocommercePullOptions = {},
): Promise<PullResult> {
  const signal = options.signal;
  const requestsBefore = client.http.stats.requests;
  let orders = 0;
  const refunds = pullWoocommerceRefunds(client, {
    ...(options.from ? { from: options.from } : {}),
    ...(options.to ? { to: options.to } : {}),
    ...(options.modifiedSince ? { modifiedSince: options.modifiedSince } : {}),
    ...(options.perPage ? { perPage: options.perPage } : {}),
    ...(signal ? { signal } : {}),
    onProgress: (p) => {
      orders = p.orders;
      options.onProgress?.({
        phase: 'fetch',
        done: p.orderPages,
        total: p.orderPagesTotal || null,
        unit: 'requests',
        message: `${p.orders} orders, ${p.refunds} refunds`,
      });
    },
  });
  const base = windowLabel(options.from, options.to);
  const window = options.modifiedSince ? `${base};modified>=${options.modifiedSince}` : base;
  return writePulledSnapshot(
    db,
    {
      side: 'storefront',
      label: options.label ?? `WooCommerce ${client.host} ${window}`,
      format: 'woocommerce-v3',
      importerVersion: PULL_VERSION,
      queryWindow: window,
      ...(options.storefrontAccountId !== undefined ? { storefrontAccountId: options.storefrontAccountId } : {}),
      provenance: {
        api: 'woocommerce-rest-v3',
        account: client.host,
        host: client.host,
        window: { from: options.from ?? null, to: options.to ?? null, modifiedSince: options.modifiedSince ?? null },
      },
    },
    withTenderMapping(refunds, options.tenderMapping, 'woocommerce'),
    () => ({ ...client.http.stats, requests: client.http.stats.requests - requestsBefore }),
    () => ({ ordersListed: orders }),
    { ...(signal ? { signal } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) },
  );
}
