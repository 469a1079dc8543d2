import type { CanonicalRefund, Tender, TenderKind } from '../../shared/model';
import { type ClassSums, classSums, splitAgrees } from '../tenders/classes';
import type { OrderDispute } from './types';

/**
 * How a refund's value went back, split the way the sync builds records (tenders.md §5): money
 * (card, cash and the unattributed `other`), store credit, gift card and exchange. Pure.
 */
export interface SyncSplit {
  /** Card and cash, plus `other` (a source that does not say: synced as money, "tender unverified"). */
  money: number;
  storeCredit: number;
  giftCard: number;
  exchange: number;
  /** Part of `money` that was `other` in the source. */
  unverified: number;
  /** The gateway of the largest money tender ("" when none names one). */
  moneyGateway: string;
}

function emptySplit(): SyncSplit {
  return { money: 0, storeCredit: 0, giftCard: 0, exchange: 0, unverified: 0, moneyGateway: '' };
}

function add(split: SyncSplit, kind: TenderKind, amount: number): void {
  if (kind === 'store_credit') split.storeCredit += amount;
  else if (kind === 'gift_card') split.giftCard += amount;
  else if (kind === 'exchange') split.exchange += amount;
  else {
    split.money += amount;
    if (kind === 'other') split.unverified += amount;
  }
}

function largestGateway(tenders: readonly Tender[], kinds: readonly TenderKind[]): string {
  let best: Tender | undefined;
  for (const t of tenders) if (kinds.includes(t.kind) && (!best || t.amount > best.amount)) best = t;
  return best?.gateway ?? '';
}

/** A storefront refund's split (tenders §1.2 kinds, after the user's mapping). */
export function storefrontSplit(refund: CanonicalRefund): SyncSplit {
  const split = emptySplit();
  for (const t of refund.tenders) add(split, t.kind, t.amount);
  split.moneyGateway = largestGateway(refund.tenders, ['card', 'cash']) || largestGateway(refund.tenders, ['other']);
  return split;
}

/** A refund "has exchange data" (tenders §1.1): an exchange tender, or an exchange block with a known value. */
export function hasExchangeData(refund: CanonicalRefund): boolean {
  if (refund.tenders.some((t) => t.kind === 'exchange')) return true;
  // The exchange block (§4.1) comes with the importers; read it without depending on its type.
  const exchange = (refund as { exchange?: { exchangeValue?: number | null } | null }).exchange;
  return exchange !== undefined && exchange !== null && typeof exchange.exchangeValue === 'number';
}

/** What NetSuite holds, split for a push to the storefront (tenders §5.2). */
export interface NetsuiteSyncSplit extends SyncSplit {
  /** Marked store credit: a store-credit tender item, or the `storeCreditMarker` body field. */
  marked: boolean;
  /** Invoices the Credit Memo was applied to (not a refund: the credit was spent). */
  appliedTo: { doc: string; amount: number }[];
}

/** True when a Credit Memo tender is a tender-item line (not a memo part: open, applied, paid out). */
function isTenderItem(t: Tender): boolean {
  return t.state === 'settled' && t.gateway !== 'open-credit' && t.gateway !== 'applied';
}

/**
 * The NetSuite record's split. An open Credit Memo part is store credit only when the memo is
 * marked; otherwise it is a card refund the connector pays out (§5.2 "Credit Memo, open, not
 * marked": as today). Parts applied to invoices are reported in `appliedTo`, never synced.
 */
export function netsuiteSplit(record: CanonicalRefund, markedByField: boolean): NetsuiteSyncSplit {
  const itemMarked = record.tenders.some((t) => t.kind === 'store_credit' && isTenderItem(t));
  const marked = itemMarked || markedByField;
  const split: NetsuiteSyncSplit = { ...emptySplit(), marked, appliedTo: [] };
  for (const t of record.tenders) {
    if (t.state === 'applied' && t.gateway !== 'applied') {
      split.appliedTo.push({ doc: t.ref || 'an invoice', amount: t.amount });
      continue;
    }
    if (t.state === 'open') {
      add(split, marked ? 'store_credit' : 'card', t.amount);
      continue;
    }
    // A Customer Refund's part carries its payment method's kind when the importer knew it.
    add(split, t.kind, t.amount);
  }
  split.moneyGateway = largestGateway(record.tenders, ['card', 'cash']);
  return split;
}

/** Money + stored value + exchange: what a storefront request would move. */
export function splitTotal(split: SyncSplit): number {
  return split.money + split.storeCredit + split.giftCard + split.exchange;
}

/** A chargeback that makes a refund risky (tenders §5.3 `chargeback_open`): a CHARGEBACK not won or prevented. */
export function openChargeback(disputes: readonly OrderDispute[]): OrderDispute | undefined {
  return disputes.find(
    (d) => d.type === 'chargeback' && d.status !== 'won' && d.status !== 'prevented' && d.status !== 'charge_refunded',
  );
}

/** Does `RefundInput` take `refundMethods`? Documented from 2025-10 [S2]; older: the introspection answer. */
export function refundMethodsSupported(apiVersion: string, introspected: readonly string[] | null): boolean {
  if (apiVersion === 'unstable' || apiVersion >= '2025-10') return true;
  return introspected?.includes('refundMethods') ?? false;
}

/**
 * §2 rule 3 for the sync's read-back: NetSuite `open` credit counts as money pending payout up to
 * the storefront's money surplus (no age limit here: the record is about to be written).
 */
export function withPendingPayout(storefront: ClassSums, netsuite: ClassSums, open: number): ClassSums {
  const surplus = Math.max(0, storefront.money - netsuite.money);
  const moved = Math.min(open, surplus, netsuite.stored_value);
  return { ...netsuite, money: netsuite.money + moved, stored_value: netsuite.stored_value - moved };
}

/** Whether the read-back tenders reproduce the source split (§2 rule 2, exact: tolerance 0). */
export function readBackAgrees(
  storefront: readonly Tender[],
  netsuite: readonly Tender[],
): { agrees: boolean; storefront: ClassSums; netsuite: ClassSums } {
  const sf = classSums(storefront);
  const open = netsuite.filter((t) => t.state === 'open').reduce((s, t) => s + t.amount, 0);
  const ns = withPendingPayout(sf, classSums(netsuite), open);
  return { agrees: splitAgrees(sf, ns, 0), storefront: sf, netsuite: ns };
}
