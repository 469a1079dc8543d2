import type { ResultTenders, TenderClass } from '../../shared/contract/run';
import type { CanonicalRefund, Tender } from '../../shared/model';
import { formatAmount } from '../../shared/money';
import { type ClassSums, classSums } from '../tenders/classes';
import type { ReconcileResult } from './engine';
import { unitTenders } from './tender-check';
import { EXCHANGE_BLOCK_BIT, TENDER_CLASS_BITS } from './tender-class-bits';
import { tenderCheckOf } from './tender-hints';

/**
 * A result's tenders as the outputs show them (tenders.md §6): per class, per tender, and the
 * exchange and dispute; amounts as decimal strings of the result's currency, null when absent.
 */

const CLASSES: TenderClass[] = ['money', 'stored_value', 'exchange', 'other'];

function amountText(minor: number, currency: string): string {
  try {
    return formatAmount(minor, currency);
  } catch {
    return String(minor);
  }
}

function hasExchangeData(result: ReconcileResult): boolean {
  // Loops, not `some`: see tendersCell.
  const refunds = result.storefront;
  for (let i = 0; i < refunds.length; i++) {
    const r = refunds[i]!;
    if (r.exchange && r.exchange.exchangeValue !== null) return true;
    for (let k = 0; k < r.tenders.length; k++) if (r.tenders[k]!.kind === 'exchange') return true;
  }
  return false;
}

/** Each side's tenders as compared: the storefront's own, each NetSuite unit's resolved parts. */
export function sideTenders(result: ReconcileResult): { storefront: Tender[]; netsuite: Tender[] } {
  const check = result.tenderCheck;
  if (check) return { storefront: check.storefrontTenders, netsuite: check.netsuiteTenders };
  const exchange = hasExchangeData(result);
  const storefront: Tender[] = [];
  for (const r of result.storefront) for (const t of r.tenders) storefront.push(t);
  const netsuite: Tender[] = [];
  for (const u of result.units) for (const t of unitTenders(u, exchange)) netsuite.push(t);
  return { storefront, netsuite };
}

/** Each side's sums per class as the split shows them (null: the side has no record). */
function splitClassSums(
  result: ReconcileResult,
  sides: { storefront: Tender[]; netsuite: Tender[] },
): { sf: ClassSums | null; ns: ClassSums | null } {
  const check = result.units.length > 0 && result.storefront.length > 0 ? tenderCheckOf(result) : null;
  const sf: ClassSums | null = result.storefront.length > 0 ? (check?.storefront ?? classSums(sides.storefront)) : null;
  const ns: ClassSums | null = result.units.length > 0 ? (check?.netsuiteRecorded ?? classSums(sides.netsuite)) : null;
  return { sf, ns };
}

/** The classes of the split `resultTenders` gives (its `byClass`), in the split's order. */
function splitClasses(sf: ClassSums | null, ns: ClassSums | null): TenderClass[] {
  return CLASSES.filter((k) => (sf?.[k] ?? 0) > 0 || (ns?.[k] ?? 0) > 0);
}

/**
 * `matched_results.tender_classes` of a result (tender-class-bits.ts): the bits of its split's
 * classes and of its exchange block, without formatting or serialising the split.
 */
export function tenderClassBits(result: ReconcileResult): number {
  const { sf, ns } = splitClassSums(result, sideTenders(result));
  let bits = 0;
  for (const k of splitClasses(sf, ns)) bits |= TENDER_CLASS_BITS[k];
  if (result.storefront.some((r) => r.exchange)) bits |= EXCHANGE_BLOCK_BIT;
  return bits;
}

export function resultTenders(result: ReconcileResult): ResultTenders {
  const c = result.currency;
  const sides = sideTenders(result);
  const { sf, ns } = splitClassSums(result, sides);
  const byClass = splitClasses(sf, ns).map((k) => ({
    class: k,
    storefront: sf ? amountText(sf[k], c) : null,
    netsuite: ns ? amountText(ns[k], c) : null,
  }));
  const out = (t: Tender, withState: boolean) => ({
    kind: t.kind,
    gateway: t.gateway,
    amount: amountText(t.amount, c),
    ref: t.ref,
    ...(withState ? { state: t.state } : {}),
  });
  const block = result.storefront.find((r) => r.exchange)?.exchange ?? null;
  const d = result.dispute;
  return {
    byClass,
    detail: {
      storefront: sides.storefront.map((t) => out(t, false)),
      netsuite: sides.netsuite.map((t) => out(t, true)),
    },
    exchange: block
      ? {
          returnId: block.returnId,
          returned: amountText(block.returnedValue, c),
          exchanged: block.exchangeValue === null ? null : amountText(block.exchangeValue, c),
          balanceDue: block.balanceDue === null ? null : amountText(block.balanceDue, c),
        }
      : null,
    dispute: d
      ? {
          id: d.id,
          type: d.type,
          status: d.status,
          amount: d.amount === null ? null : amountText(d.amount, d.currency),
        }
      : null,
  };
}

/** `card 10.00; store_credit 40.00`: a CSV/XLSX cell of one side's tenders, per kind in order. */
export function tendersCell(tenders: readonly Tender[], currency: string): string {
  const sums = new Map<string, number>();
  for (const t of tenders) sums.set(t.kind, (sums.get(t.kind) ?? 0) + t.amount);
  // A loop, not spread + map + join: those arrays' kinds deoptimised the CSV row writer this is
  // inlined into (output.ts joinedIds).
  let out = '';
  let first = true;
  for (const [kind, amount] of sums) {
    out += `${first ? '' : '; '}${kind} ${amountText(amount, currency)}`;
    first = false;
  }
  return out;
}

/** The stored text of `results.tenders` (migration 016): JSON, or null when there is nothing to show by tender. */
export function storedTendersText(result: ReconcileResult): string | null {
  if (result.code === 'matched' && result.tenderCheck === null && result.dispute === null) return null;
  return JSON.stringify(resultTenders(result));
}

/**
 * A stored result's tenders rebuilt from its records (a result stored with no tender text: a plain
 * match, or a run older than migration 016): Credit Memos with the Customer Refunds applying them.
 */
export function resultTendersFromRecords(
  storefront: CanonicalRefund[],
  netsuite: CanonicalRefund[],
  currency: string,
): ResultTenders {
  const refunds = netsuite.filter((n) => n.recordType === 'customerRefund');
  const primaries = netsuite.filter((n) => n.recordType !== 'customerRefund');
  const units = primaries.map((p) => ({
    primary: p,
    members: [p, ...refunds.filter((cr) => cr.appliesTo === p.id || (primaries.length === 1 && cr.appliesTo === ''))],
    day: 0,
  }));
  // Customer Refunds applying no memo of the result stand alone.
  for (const cr of refunds)
    if (!units.some((u) => u.members.includes(cr))) units.push({ primary: cr, members: [cr], day: 0 });
  const result = {
    code: 'matched',
    issues: [],
    currency,
    tolerance: 0,
    storefront,
    netsuite,
    units,
    tenderCheck: null,
    dispute: null,
    storefrontTotal: storefront.reduce((acc, r) => acc + r.total, 0),
  } as unknown as ReconcileResult;
  return resultTenders(result);
}
