import { type CanonicalRefund, normaliseOrderRef } from '../../shared/model';
import { addMinor } from '../../shared/money';
import { buildNetsuiteRecord, type NetsuiteBuild } from './builders/netsuite-record';
import { buildStorefrontRequest, type StorefrontBuild } from './builders/storefront-request';
import { type SyncDirection, sourceSide } from './catalogue';
import type { NewJournalEntry } from './journal';
import type { AccountSyncState } from './settings-store';
import type { OrderContexts } from './sources';

export type SyncBuild = NetsuiteBuild | StorefrontBuild;

export interface PlannedRefund {
  refund: CanonicalRefund;
  build: SyncBuild;
  /** The journal rows this refund needs, in order. */
  writes: NewJournalEntry[];
}

/** Refunds of the source side the sync would consider: completed, and not written by the sync itself. */
export function syncCandidates(direction: SyncDirection, refunds: readonly CanonicalRefund[]): CanonicalRefund[] {
  const side = sourceSide(direction);
  return refunds.filter((r) => {
    if (r.side !== side) return false;
    if (r.recordType === 'customerRefund') return false; // pays out a Credit Memo (or a deposit): not synced out
    // A record the opposite sync wrote (it carries that sync's key) must never be sent back: a loop.
    return !writtenByOppositeSync(r);
  });
}

function writtenByOppositeSync(r: CanonicalRefund): boolean {
  if (r.side === 'netsuite') return /^[a-z]+-refund-/i.test(r.externalId);
  return /\[netsuite-(cashRefund|creditMemo)-[^\]]+\]/.test(r.memo);
}

export function buildFor(
  state: AccountSyncState,
  direction: SyncDirection,
  refund: CanonicalRefund,
  contexts: OrderContexts,
  /** `RefundInput`'s fields as Shopify's introspection answered (a read), when it was asked. */
  refundInputFields: readonly string[] | null = null,
): SyncBuild {
  const key = normaliseOrderRef(refund.orderRef);
  const settings = {
    platform: state.account.platform,
    lineItemRefunds: state.account.lineItemRefunds,
    options: state.options,
    tenders: {
      storeCredit: state.account.storeCredit,
      splitTender: state.account.splitTender,
      shopifyApiVersion: state.options.shopifyApiVersion,
      refundInputFields,
    },
  };
  return direction === 'storefront_to_netsuite'
    ? buildNetsuiteRecord(refund, contexts.netsuite.get(key) ?? null, settings)
    : buildStorefrontRequest(refund, contexts.storefront.get(key) ?? null, settings);
}

/** The journal rows of one build. Keys are deterministic: planning twice yields the same rows. */
export function journalRowsFor(accountId: number, build: SyncBuild): NewJournalEntry[] {
  if (build.direction === 'storefront_to_netsuite') {
    return build.writes.map((w, step) => ({
      refundKey: build.externalId,
      step,
      idempotencyKey: `${accountId}:netsuite:${w.recordType}:eid:${w.externalId}`,
      target: `netsuite:${w.recordType}`,
      payload: w,
      orderRef: build.orderRef,
      currency: build.currency,
      amount: step === 0 ? build.total : 0,
    }));
  }
  const sending = build.writes.filter((w) => w.writes);
  return sending.map((w, step) => ({
    refundKey: build.idempotencyKey,
    step,
    idempotencyKey: `${accountId}:${build.platform}:${build.idempotencyKey}${step > 0 ? `:${step}` : ''}`,
    target: `${build.platform}:${w.kind}`,
    payload: {
      ...w,
      quote: build.writes.find((q) => !q.writes) ?? null,
      key: build.idempotencyKey,
      orderRef: build.orderRef,
    },
    orderRef: build.orderRef,
    currency: build.currency,
    amount: step === 0 ? build.total : 0,
  }));
}

export type Totals = Record<string, number>;

export function totalsOf(items: readonly { currency: string; amount: number }[]): Totals {
  const totals: Totals = {};
  for (const i of items) totals[i.currency] = addMinor(totals[i.currency] ?? 0, i.amount);
  return totals;
}
