import { type CanonicalRefund, normaliseOrderRef } from '../../shared/model';
import { formatAmount, type MinorUnits, sumMinor } from '../../shared/money';
import { recordTypeLabel } from '../../shared/record-labels';
import { refundKeyCandidates } from '../reconcile/refund-key';
import type { Db } from '../store/open';
import { plainRefundId } from './builders/netsuite-record';
import { storefrontIdempotencyKey } from './builders/storefront-request';
import type { SyncDirection } from './catalogue';
import { doneFirstSteps } from './journal';

/**
 * "Already synced?" (spec §8 duplicates check; issue 13 item 8): is the refund already on the
 * receiving side? Decided in this order, per order:
 *
 * 1. **By key** (certain): the journal confirmed it; or a receiving-side record carries the refund's
 *    key in any form the matcher reads (spec §4: External ID `123456`, `shopify-refund-123456`,
 *    `SR-123456`, `Refund 123456` in the memo; a storefront refund with the sync's `[netsuite-…]`
 *    note key); or the source refund itself names a receiving-side record (a NetSuite record whose
 *    memo says "Shopify refund 908000038" was recorded FROM that storefront refund: sending it back
 *    would refund the customer twice — the demo's #1037).
 * 2. **By the order's lines** (likely): a receiving-side record of the same order, with no key of
 *    any source refund, that refunds the same item lines (SKU and quantity).
 * 3. **By the sum of the order's refunds** (likely): the receiving side already shows, without a
 *    key, at least as much refunded on the order as this refund and the unpaired ones before it
 *    (one combined record for two refunds, say): sending it would show more refunded there than
 *    the source side records.
 *
 * An equal total alone never decides: two refunds of the same amount on one order are two refunds.
 */
export interface AlreadySyncedVerdict {
  certain: boolean;
  reason: string;
}

export interface AlreadySyncedIndex {
  /** Journal and receiving-side keys (lower-cased source keys) → reason. */
  byKey: Map<string, string>;
  /** Verdicts per source refund (`sourceId`), from the order-level pairing. */
  bySource: Map<string, AlreadySyncedVerdict>;
}

/** The key a source refund is looked up by: the storefront refund id, or the sync's note key. */
export function sourceKey(direction: SyncDirection, refund: CanonicalRefund): string {
  return direction === 'storefront_to_netsuite'
    ? plainRefundId(refund.id).toLowerCase()
    : storefrontIdempotencyKey(refund).toLowerCase();
}

function sourceId(refund: CanonicalRefund): string {
  return `${refund.side}:${refund.id}`;
}

/** "the storefront already shows this refund" / "NetSuite already shows this refund". */
export function alreadyShownPhrase(direction: SyncDirection): string {
  return direction === 'netsuite_to_storefront'
    ? 'the storefront already shows this refund'
    : 'NetSuite already shows this refund';
}

function money(minor: MinorUnits, currency: string): string {
  return `${currency} ${formatAmount(minor, currency)}`;
}

function label(r: CanonicalRefund): string {
  return r.side === 'netsuite'
    ? `NetSuite ${recordTypeLabel(r.recordType)} ${r.documentNumber || r.id}`
    : `storefront refund ${r.documentNumber || r.id}`;
}

/** The keys a receiving-side record carries (of the source refunds it was made from), with where. */
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

/**
 * The receiving-side records a SOURCE refund names (it was recorded from them), with where:
 * NetSuite → storefront, a NetSuite record naming a storefront refund id in its External ID or memo;
 * storefront → NetSuite, a storefront refund whose note carries a NetSuite record's sync key.
 */
function namedBySource(direction: SyncDirection, s: CanonicalRefund): { key: string; where: string }[] {
  if (direction === 'netsuite_to_storefront') {
    return [
      ...refundKeyCandidates(s.externalId, 'externalId').map((key) => ({
        key,
        where: `its External ID "${s.externalId}"`,
      })),
      ...refundKeyCandidates(s.memo, 'memo').map((key) => ({ key, where: `its memo "${s.memo.slice(0, 80)}"` })),
    ];
  }
  return [...s.memo.matchAll(/\[netsuite-[A-Za-z]+-([^\]]+)\]/g)].map((m) => ({
    key: m[1]!.toLowerCase(),
    where: `its note "${s.memo.slice(0, 80)}"`,
  }));
}

/** The ids a receiving-side record is known by, for `namedBySource`. */
function receivingIds(r: CanonicalRefund): string[] {
  const ids = [plainRefundId(r.id).toLowerCase()];
  if (r.documentNumber) ids.push(r.documentNumber.toLowerCase());
  return ids;
}

/** The amount of a record in `currency` (its presentment amount when that is the currency), or null. */
function amountIn(r: CanonicalRefund, currency: string): MinorUnits | null {
  if (r.currency === currency) return r.total;
  if (r.presentment?.currency === currency) return r.presentment.total;
  return null;
}

/** Item lines as a comparable signature: `SKU×qty` sorted; empty when the refund has no item lines. */
function lineSignature(r: CanonicalRefund): string {
  const qty = new Map<string, number>();
  for (const l of r.lines) {
    if (l.role !== 'item' || !l.sku) continue;
    const sku = l.sku.trim().toUpperCase();
    qty.set(sku, (qty.get(sku) ?? 0) + l.quantity);
  }
  return [...qty.entries()]
    .sort((a, b) => a[0].localeCompare(b[0]))
    .map(([sku, q]) => `${sku} × ${q}`)
    .join(', ');
}

function byDate(a: CanonicalRefund, b: CanonicalRefund): number {
  return a.date === b.date ? a.id.localeCompare(b.id) : a.date.localeCompare(b.date);
}

function receivingCounts(r: CanonicalRefund): boolean {
  if (r.status !== 'ok') return false;
  if (r.recordType === 'customerRefund' && r.appliesTo) return false; // pays out a Credit Memo: judged with it
  return true;
}

function journalKeys(db: Db, accountId: number, direction: SyncDirection): Map<string, string> {
  const byKey = new Map<string, string>();
  for (const r of doneFirstSteps(db, accountId, direction)) {
    const key = r.refund_key.toLowerCase();
    const plain = direction === 'storefront_to_netsuite' ? key.replace(/^[a-z0-9]+-refund-/, '') : key;
    byKey.set(plain, `the journal records it ${r.state.replace('_', ' ')}${r.remote_id ? ` as ${r.remote_id}` : ''}`);
  }
  return byKey;
}

/**
 * Pairs source and receiving refunds order by order (see the module comment). `source` should hold
 * every source refund of the orders checked (not only the chosen ones): the sum of an order's
 * refunds is only meaningful over all of them.
 */
export function buildAlreadySyncedIndex(
  db: Db,
  accountId: number,
  direction: SyncDirection,
  source: readonly CanonicalRefund[],
  receiving: readonly CanonicalRefund[],
): AlreadySyncedIndex {
  return pairRefunds(direction, source, receiving, journalKeys(db, accountId, direction));
}

/** The pure part of `buildAlreadySyncedIndex` (no journal read). */
export function pairRefunds(
  direction: SyncDirection,
  source: readonly CanonicalRefund[],
  receiving: readonly CanonicalRefund[],
  journal: ReadonlyMap<string, string> = new Map(),
): AlreadySyncedIndex {
  const shown = alreadyShownPhrase(direction);
  const byKey = new Map(journal);
  const bySource = new Map<string, AlreadySyncedVerdict>();
  const counted = receiving.filter(receivingCounts);
  const pairedReceiving = new Set<CanonicalRefund>();

  // 1a. Receiving records carrying a source refund's key.
  const sourceKeys = new Set(source.map((r) => sourceKey(direction, r)));
  for (const r of counted) {
    const hit = receivingKeys(direction, r).find((k) => sourceKeys.has(k.key));
    if (!hit) continue;
    pairedReceiving.add(r);
    if (!byKey.has(hit.key)) byKey.set(hit.key, `${label(r)} carries this refund's key in ${hit.where}`);
  }
  // 1b. Source refunds naming a receiving record (recorded from it).
  const receivingById = new Map<string, CanonicalRefund>();
  for (const r of counted) for (const id of receivingIds(r)) if (!receivingById.has(id)) receivingById.set(id, r);
  for (const s of source) {
    const key = sourceKey(direction, s);
    const journalOrKey = byKey.get(key);
    if (journalOrKey) {
      bySource.set(sourceId(s), { certain: true, reason: `${shown}: ${journalOrKey}` });
      continue;
    }
    for (const named of namedBySource(direction, s)) {
      const r = receivingById.get(named.key);
      if (!r) continue;
      pairedReceiving.add(r);
      const theirs = amountIn(r, s.currency);
      const differs =
        theirs !== null && theirs !== s.total
          ? `; it shows ${money(theirs, s.currency)} where ${s.documentNumber || s.id} records ${money(s.total, s.currency)}: settle the difference in reconciliation, never with a second refund`
          : '';
      bySource.set(sourceId(s), {
        certain: true,
        reason: `${shown}: ${label(r)} (${money(r.total, r.currency)}) is the refund ${s.documentNumber || s.id} was recorded from (${named.where})${differs}`,
      });
      break;
    }
  }

  // 2–3. Order by order, what is left unpaired on each side.
  const orderOf = (r: CanonicalRefund) => normaliseOrderRef(r.orderRef);
  const leftBySourceOrder = new Map<string, CanonicalRefund[]>();
  for (const s of source) {
    if (!s.orderRef || bySource.has(sourceId(s)) || s.status !== 'ok' || s.recordType === 'customerRefund') continue;
    const list = leftBySourceOrder.get(orderOf(s)) ?? [];
    list.push(s);
    leftBySourceOrder.set(orderOf(s), list);
  }
  const leftReceiving = new Map<string, CanonicalRefund[]>();
  for (const r of counted) {
    if (!r.orderRef || pairedReceiving.has(r) || !r.moneyMoved) continue;
    const list = leftReceiving.get(orderOf(r)) ?? [];
    list.push(r);
    leftReceiving.set(orderOf(r), list);
  }
  for (const [order, sources] of leftBySourceOrder) {
    const all = leftReceiving.get(order) ?? [];
    // A Customer Refund beside a Credit Memo of the same order is its payout, not a second refund.
    const hasMemo = all.some((r) => r.recordType === 'creditMemo');
    const others = all.filter((r) => !(hasMemo && r.recordType === 'customerRefund')).sort(byDate);
    if (others.length === 0) continue;
    sources.sort(byDate);
    const rest: CanonicalRefund[] = [];
    // 2. Same item lines.
    for (const s of sources) {
      const sig = lineSignature(s);
      const idx = sig ? others.findIndex((r) => lineSignature(r) === sig && amountIn(r, s.currency) !== null) : -1;
      if (idx < 0) {
        rest.push(s);
        continue;
      }
      const r = others.splice(idx, 1)[0]!;
      bySource.set(sourceId(s), {
        certain: false,
        reason: `${shown}, probably: ${label(r)} (${money(r.total, r.currency)}) on the same order ${s.orderRef} refunds the same lines (${sig}) and carries no key of this refund — it was probably entered by hand or by another connector`,
      });
    }
    // 3. The sum of the order's refunds, in date order.
    for (const s of rest) {
      const theirs = others.map((r) => amountIn(r, s.currency)).filter((a): a is MinorUnits => a !== null);
      if (theirs.length === 0) continue;
      const shownThere = sumMinor(theirs);
      const ours = sumMinor(rest.filter((o) => o.currency === s.currency).map((o) => o.total));
      const upTo = sumMinor(rest.filter((o) => o.currency === s.currency && byDate(o, s) <= 0).map((o) => o.total));
      // Flagged only when what the receiving side shows without a key covers this refund (and the
      // unpaired ones before it): a smaller hand-made refund there is a refund of its own.
      if (shownThere < upTo) continue;
      const there = direction === 'netsuite_to_storefront' ? 'the storefront' : 'NetSuite';
      const here = direction === 'netsuite_to_storefront' ? 'NetSuite' : 'the storefront';
      const hereName = direction === 'netsuite_to_storefront' ? 'NetSuite' : 'storefront';
      bySource.set(sourceId(s), {
        certain: false,
        reason: `${shown}, probably: ${there} already shows ${money(shownThere, s.currency)} refunded on order ${s.orderRef} (${others.map(label).join(', ')}) with no key tying it to a ${hereName} refund; sending this one would make ${there} show ${money(shownThere + upTo, s.currency)} refunded where ${here} records ${money(ours, s.currency)}`,
      });
    }
  }
  return { byKey, bySource };
}

/** Why the refund counts as already synced, or null. */
export function alreadySynced(
  index: AlreadySyncedIndex,
  direction: SyncDirection,
  refund: CanonicalRefund,
): AlreadySyncedVerdict | null {
  const verdict = index.bySource.get(sourceId(refund));
  if (verdict) return verdict;
  const byKey = index.byKey.get(sourceKey(direction, refund));
  return byKey ? { certain: true, reason: `${alreadyShownPhrase(direction)}: ${byKey}` } : null;
}
