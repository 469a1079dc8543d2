import type { ResultCode, Severity } from '../../shared/codes';
import { type CanonicalDispute, type CanonicalRefund, normaliseOrderRef } from '../../shared/model';
import type { ReconcileResult } from './engine';

/**
 * Chargebacks (tenders.md §3 `chargeback`, §3.1): applied to one order's results once they are
 * all known, because rule (a) with an unknown dispute amount needs the count of the order's
 * unmatched NetSuite refunds. INQUIRY, WON and PREVENTED never make `chargeback`.
 */

/** Statuses of a chargeback still open or lost: a refund on top of it may pay the customer twice (b). */
const OPEN_OR_LOST = new Set(['needs_response', 'under_review', 'accepted', 'lost']);
/** Statuses of a chargeback the bank paid out for good (a). */
const LOST = new Set(['lost', 'accepted']);

export function disputesByOrder(disputes: readonly CanonicalDispute[]): Map<string, CanonicalDispute[]> {
  const map = new Map<string, CanonicalDispute[]>();
  for (const d of disputes) {
    const key = normaliseOrderRef(d.orderRef);
    if (key === '') continue;
    const list = map.get(key);
    if (list) list.push(d);
    else map.set(key, [d]);
  }
  return map;
}

interface EngineLike {
  tol(currency: string): number;
  repick(result: ReconcileResult): void;
}

function hasMoneyTender(r: CanonicalRefund): boolean {
  for (const t of r.tenders) if (t.kind === 'card' || t.kind === 'cash') return true;
  return false;
}

function amountFits(d: CanonicalDispute, amount: number, currency: string, tol: number): boolean {
  return d.amount !== null && d.currency === currency && Math.abs(d.amount - amount) <= tol;
}

function setSeverity(result: ReconcileResult, code: ResultCode, severity: Severity): void {
  result.codeSeverity = { ...result.codeSeverity, [code]: severity };
}

/** Applies the order's disputes to its results `results[start…]`. */
export function applyDisputes(
  engine: EngineLike,
  results: ReconcileResult[],
  start: number,
  disputes: readonly CanonicalDispute[],
): void {
  const chargebacks = disputes.filter((d) => d.type === 'chargeback');
  // (a) NetSuite refunds with no storefront refund, on an order with a lost chargeback of their amount.
  const missing: ReconcileResult[] = [];
  for (let k = start; k < results.length; k++) {
    const r = results[k]!;
    if (r.code === 'missing_in_storefront' && r.storefront.length === 0) missing.push(r);
  }
  for (const r of missing) {
    const tol = engine.tol(r.currency);
    const total = r.netsuiteTotal ?? 0;
    const lost = chargebacks.find(
      (d) =>
        LOST.has(d.status) && (amountFits(d, total, r.currency, tol) || (d.amount === null && missing.length === 1)),
    );
    if (lost) {
      r.issues = r.issues.map((c) => (c === 'missing_in_storefront' ? 'chargeback' : c));
      r.dispute = lost;
      setSeverity(r, 'chargeback', 'warning');
      engine.repick(r);
      continue;
    }
    // A chargeback won for this amount: the hint says to reverse the NetSuite refund.
    const won = chargebacks.find((d) => d.status === 'won' && amountFits(d, total, r.currency, tol));
    if (won) r.dispute = won;
  }
  // (b) A storefront refund of money on an order whose chargeback is open or lost.
  const active = chargebacks.filter((d) => OPEN_OR_LOST.has(d.status));
  if (active.length === 0) return;
  for (let k = start; k < results.length; k++) {
    const r = results[k]!;
    const refunds = r.storefront.filter(hasMoneyTender);
    if (refunds.length === 0) continue;
    const d = active[0]!;
    const during = refunds.some((x) => d.initiatedAt === null || x.date >= d.initiatedAt);
    if (!r.issues.includes('chargeback')) {
      r.issues = r.issues.filter((c) => c !== 'matched');
      r.issues.push('chargeback');
    }
    r.dispute = d;
    setSeverity(r, 'chargeback', during ? 'error' : 'warning');
    if (r.duplicateOf === null) engine.repick(r);
  }
}
