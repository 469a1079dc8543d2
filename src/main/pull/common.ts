import type { TenderMapping } from '../../shared/contract/snapshot';
import type { CanonicalRefundInput } from '../../shared/model';
import type { HttpStats } from '../connectors/http-policy';
import type { Db } from '../store/open';
import { type SnapshotMeta, writeSnapshot } from '../store/snapshot-writer';
import { applyStorefrontRules, storefrontRules } from '../tenders/tender-mapping';

export const PULL_VERSION = '1';

export interface PullProgress {
  phase: 'plan' | 'fetch' | 'write';
  done: number;
  total: number | null;
  unit: 'refunds' | 'requests' | 'rows';
  message?: string;
}

export interface PullResult {
  snapshotId: number;
  refunds: number;
  requests: number;
  retries: number;
  throttled: number;
  /** Shopify pulls with the disputes scope: how many disputes came with the refunds (tenders.md §3.1). */
  disputes?: number;
}

/** The query window as stored in provenance: `2026-01-01..2026-01-31`, `..2026-01-31`, `all`. */
export function windowLabel(from?: string, to?: string): string {
  return from || to ? `${from ?? ''}..${to ?? ''}` : 'all';
}

/**
 * Writes pulled refunds as one snapshot. The writer owns the transaction: a failed or cancelled pull
 * (an error or abort anywhere in the async source) rolls back, so no snapshot is left behind.
 * Request counts are known only at the end; they go in through finalMeta, before COMMIT.
 */
export async function writePulledSnapshot(
  db: Db,
  meta: Omit<SnapshotMeta, 'source'>,
  refunds: AsyncIterable<CanonicalRefundInput>,
  stats: () => HttpStats,
  extraProvenance: () => Record<string, unknown>,
  options: { signal?: AbortSignal; onProgress?: (p: PullProgress) => void },
): Promise<PullResult> {
  let written = 0;
  const snapshotId = await writeSnapshot(db, { ...meta, source: 'api' }, refunds, {
    ...(options.signal ? { signal: options.signal } : {}),
    progressEvery: 1000,
    onProgress: (n) => {
      written = n;
      options.onProgress?.({ phase: 'write', done: n, total: null, unit: 'refunds' });
    },
    finalMeta: () => {
      const s = stats();
      return {
        requestCount: s.requests,
        provenance: {
          ...meta.provenance,
          requests: s.requests,
          retries: s.retries,
          throttled: s.throttled,
          byStatus: s.byStatus,
          pulledAt: new Date().toISOString(),
          ...extraProvenance(),
        },
      };
    },
  });
  const s = stats();
  return { snapshotId, refunds: written, requests: s.requests, retries: s.retries, throttled: s.throttled };
}

/**
 * A storefront pull's refunds with the user's tender mapping applied (tenders.md §1.3: it
 * overrides the default kinds, for pulls as for files). Without rules for the platform: as given.
 */
export function withTenderMapping(
  refunds: AsyncIterable<CanonicalRefundInput>,
  mapping: TenderMapping | undefined,
  platform: 'shopify' | 'bigcommerce' | 'woocommerce',
): AsyncIterable<CanonicalRefundInput> {
  const rules = storefrontRules(mapping, platform);
  if (!rules) return refunds;
  return (async function* () {
    for await (const refund of refunds) yield applyStorefrontRules(refund, rules);
  })();
}
