import { type CanonicalRefund, normaliseOrderRef } from '../../shared/model';
import { formatAmount } from '../../shared/money';
import { refundKeyCandidates } from '../reconcile/refund-key';
import type { Db } from '../store/open';
import { plainRefundId } from './builders/netsuite-record';
import { storefrontIdempotencyKey } from './builders/storefront-request';
import type { SyncDirection } from './catalogue';

/**
 * "Already synced?" (spec §8 duplicates check): is the refund already on the receiving side?
 *
 * - `byKey` — certain: the journal confirmed it, or a receiving-side record carries the refund's key
 *   in any form the matcher reads (spec §4: External ID `123456`, `shopify-refund-123456`,
 *   `SR-123456`, or `Refund 123456` in the memo; a storefront refund with the sync's `[netsuite-…]`
 *   note key). A record with the key in another form was written by another connector or by hand:
 *   the sync's upsert by its own External ID would not find it and would create a second record.
 * - `byOrderTotal` — likely: a receiving-side record of the same order, currency and total that
 *   carries no key of any source refund (made by hand). Sending would refund or record it twice.
 */
export interface AlreadySyncedIndex {
  byKey: Map<string, string>;
  byOrderTotal: Map<string, string>;
}

/** The key a source refund is looked up by: the storefront refund id, or the sync's note key. */
export function sourceKey(direction: SyncDirection, refund: CanonicalRefund): string {
  return direction === 'storefront_to_netsuite'
    ? plainRefundId(refund.id).toLowerCase()
    : storefrontIdempotencyKey(refund).toLowerCase();
}

function orderTotalKey(r: Pick<CanonicalRefund, 'orderRef' | 'currency' | 'total'>): string {
  return `${normaliseOrderRef(r.orderRef)}|${r.currency}|${r.total}`;
}

/** The keys a receiving-side record carries, each with where it was found. */
function receivingKeys(direction: SyncDirection, r: CanonicalRefund): { key: string; where: string }[] {
  if (direction === 'storefront_to_netsuite') {
    return [
      ...refundKeyCandidates(r.externalId, 'externalId').map((key) => ({
        key,
        where: `its External ID "${r.externalId}"`,
      })),
      ...refundKeyCandidates(r.memo, 'memo').map((key) => ({ key, where: `its memo "${r.memo.slice(0, 80)}"` })),
    ];
  }
  return [...r.memo.matchAll(/\[(netsuite-[^\]]+)\]/g)].map((m) => ({
    key: m[1]!.toLowerCase(),
    where: `its note "${r.memo.slice(0, 80)}"`,
  }));
}

function label(r: CanonicalRefund): string {
  return r.side === 'netsuite'
    ? `NetSuite ${r.recordType} ${r.documentNumber || r.id}`
    : `storefront refund ${r.documentNumber || r.id}`;
}

export function buildAlreadySyncedIndex(
  db: Db,
  accountId: number,
  direction: SyncDirection,
  source: readonly CanonicalRefund[],
  receiving: readonly CanonicalRefund[],
): AlreadySyncedIndex {
  const byKey = new Map<string, string>();
  const byOrderTotal = new Map<string, string>();
  const rows = db
    .prepare(
      "SELECT refund_key, remote_id, state FROM push_journal WHERE storefront_account_id = ? AND direction = ? AND step = 0 AND state IN ('confirmed','already_synced')",
    )
    .all(accountId, direction) as { refund_key: string; remote_id: string | null; state: string }[];
  for (const r of rows) {
    const key = r.refund_key.toLowerCase();
    const plain = direction === 'storefront_to_netsuite' ? key.replace(/^[a-z0-9]+-refund-/, '') : key;
    byKey.set(plain, `journal: ${r.state}${r.remote_id ? ` as ${r.remote_id}` : ''}`);
  }
  const sourceKeys = new Set(source.map((r) => sourceKey(direction, r)));
  for (const r of receiving) {
    if (r.status !== 'ok') continue;
    if (r.recordType === 'customerRefund' && r.appliesTo) continue; // pays out a Credit Memo: judged with it
    const keys = receivingKeys(direction, r);
    const hit = keys.find((k) => sourceKeys.has(k.key));
    if (hit) {
      if (!byKey.has(hit.key)) byKey.set(hit.key, `${label(r)} carries this refund's key in ${hit.where}`);
      continue;
    }
    const ot = orderTotalKey(r);
    if (r.orderRef && !byOrderTotal.has(ot)) {
      byOrderTotal.set(
        ot,
        `${label(r)} of order ${r.orderRef} has the same total (${formatAmount(r.total, r.currency)} ${r.currency}) but carries no key of this refund: it was probably entered by hand`,
      );
    }
  }
  return { byKey, byOrderTotal };
}

/** Why the refund counts as already synced, or null. */
export function alreadySynced(
  index: AlreadySyncedIndex,
  direction: SyncDirection,
  refund: CanonicalRefund,
): { certain: boolean; reason: string } | null {
  const byKey = index.byKey.get(sourceKey(direction, refund));
  if (byKey) return { certain: true, reason: byKey };
  const likely = index.byOrderTotal.get(orderTotalKey(refund));
  return likely ? { certain: false, reason: likely } : null;
}
