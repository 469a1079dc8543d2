import type { CanonicalRefund, Tender } from '../../shared/model';
import { quickClassOfOwnText } from '../store/tender-table';
import { type ClassSums, emptyClassSums, splitAgrees, tenderClassOf } from '../tenders/classes';

/**
 * Matching per tender class (tenders.md §2, after pairing): how each side's total went back, the
 * NetSuite side with its Credit Memo parts resolved (paid-out parts take the Customer Refund's
 * payment method; applied parts are exchange credit when the storefront refund is an exchange),
 * open credit counted as money pending payout (rule 3), and the per-class agreement (rule 2,
 * classes.ts). Pure: no dates but the day numbers it is given, never the wall clock.
 */

/** A NetSuite refund as compared: a record, or a Credit Memo with the Customer Refunds paying it out. */
export interface TenderUnit {
  primary: CanonicalRefund;
  members: readonly CanonicalRefund[];
  day: number;
}

/** Open credit that §2 rule 3 counted as money pending payout. */
export interface OpenCreditUse {
  memo: CanonicalRefund;
  /** Minor units counted as money. */
  amount: number;
  /** The memo's whole open balance. */
  open: number;
  /** asOf − memo date, in days. */
  ageDays: number;
}

export interface TenderCheck {
  storefront: ClassSums;
  /** NetSuite per class after rule 3 (open credit moved to money where the storefront paid money). */
  netsuite: ClassSums;
  /** NetSuite per class before rule 3 (what the records say). */
  netsuiteRecorded: ClassSums;
  /** The storefront's tenders and each unit's resolved tenders, for hints and output. */
  storefrontTenders: Tender[];
  netsuiteTenders: Tender[];
  /** Open credit counted as money within `creditPayoutDays`, and older than that. */
  pending: OpenCreditUse[];
  overdue: OpenCreditUse[];
  /** The split agrees (rule 2 after rule 3). */
  agrees: boolean;
  /** The storefront refund has exchange data (§1.1) or NetSuite an exchange part. */
  exchange: boolean;
  /** Pattern X2 (§3 `exchange` warning): NetSuite refunded the exchange value as money. */
  x2: boolean;
  creditPayoutDays: number;
}

export interface TenderContext {
  tolerance: number;
  /** Day number (days since 1970-01-01) open credit is aged against. */
  asOfDay: number;
  creditPayoutDays: number;
}

/** Class index of the quick path: 0 money, 1 stored value, 2 exchange, 3 other, 4 none; -1 needs the full check. */
export const QUICK_MIXED = -1;
const QUICK_INDEX = { money: 0, stored_value: 1, exchange: 2, other: 3 } as const;

/**
 * The one class all of a record's tenders are in, when that is all the check needs to know (every
 * part settled or paid out, no exchange block): no allocation. Records read from a snapshot answer
 * from their tenders text (`quickTenderClass` on ColumnRecord) without parsing it.
 */
export function quickClass(r: CanonicalRefund): number {
  const fromColumns = (r as { quickTenderClass?: number }).quickTenderClass;
  if (fromColumns !== undefined) return fromColumns;
  return quickClassOfTenders(r.tenders, r.exchange);
}

/** quickClass of a tender list (and the refund's exchange block). */
export function quickClassOfTenders(tenders: readonly Tender[], exchange: unknown): number {
  if (exchange) return QUICK_MIXED;
  if (tenders.length === 0) return 4;
  let cls = -1;
  for (let i = 0; i < tenders.length; i++) {
    const t = tenders[i]!;
    if (t.state === 'open' || t.state === 'applied') return QUICK_MIXED;
    const c = QUICK_INDEX[tenderClassOf(t.kind)];
    if (cls === -1) cls = c;
    else if (c !== cls) return QUICK_MIXED;
  }
  return cls;
}

/** The quick class from a tenders column text (JSON this app wrote; '' = the default `other`), without parsing it. */
export function quickClassOfText(text: string, start: number, end: number): number {
  if (start === end) return 3;
  // Searched within the record's own text: an indexOf on the joined column from `start` ran to
  // the column's end whenever the needle was absent (no open part), which made a snapshot's check
  // quadratic (30k refunds: 2 minutes). A slice is a view in V8, not a copy.
  return quickClassOfOwnText(text.slice(start, end));
}

const QUICK_KEYS = ['money', 'stored_value', 'exchange', 'other'] as const;

/**
 * The quick check: true when every record is in one class and the per-class sums agree; false when
 * the full check is needed (mixed, open or applied parts, exchange data, disagreement, presentment
 * money). `a`/`b` are scratch sums the caller reuses, so the common case allocates nothing.
 */
export function quickAgrees(
  storefront: readonly CanonicalRefund[],
  units: readonly TenderUnit[],
  tolerance: number,
  a: ClassSums,
  b: ClassSums,
): boolean {
  a.money = a.stored_value = a.exchange = a.other = 0;
  b.money = b.stored_value = b.exchange = b.other = 0;
  for (let i = 0; i < storefront.length; i++) {
    const r = storefront[i]!;
    const c = quickClass(r);
    if (c < 0) return false;
    if (c < 4) a[QUICK_KEYS[c]!] += r.total;
  }
  for (let i = 0; i < units.length; i++) {
    const u = units[i]!;
    if (u.members.length > 1) return false;
    const c = quickClass(u.primary);
    if (c < 0) return false;
    if (c < 4) b[QUICK_KEYS[c]!] += u.primary.total;
  }
  if (a.exchange > 0 || b.exchange > 0) return false;
  return splitAgrees(a, b, tolerance);
}

function hasExchangeData(r: CanonicalRefund): boolean {
  if (r.exchange && r.exchange.exchangeValue !== null) return true;
  for (const t of r.tenders) if (t.kind === 'exchange') return true;
  return false;
}

/**
 * A unit's tenders as compared: a Credit Memo's paid-out parts take the kind and payment method of
 * the Customer Refund that paid them (by document number, else in order); a Customer Refund the memo
 * detail does not show takes its amount from the memo's unattributed part; applied store credit is
 * exchange credit when the storefront side is an exchange (§1.4 (2)).
 */
export function unitTenders(u: TenderUnit, exchangeOnStorefront: boolean): Tender[] {
  const p = u.primary;
  const tenders = p.tenders;
  if (p.recordType !== 'creditMemo') return tenders;
  const refunds = u.members.filter((m) => m !== p && m.recordType === 'customerRefund');
  if (refunds.length === 0 && !exchangeOnStorefront) return tenders;
  const payers = refunds.map((cr) => ({
    cr,
    left: cr.total,
    kind: cr.tenders[0]?.kind ?? 'other',
    gateway: cr.tenders[0]?.gateway ?? '',
  }));
  const out: Tender[] = [];
  for (const t of tenders) {
    if (t.state === 'paid_out' && payers.length > 0) {
      const payer =
        payers.find((x) => t.ref !== '' && (x.cr.documentNumber === t.ref || x.cr.id === t.ref)) ??
        payers.find((x) => x.left > 0) ??
        payers[0]!;
      payer.left -= t.amount;
      out.push({ ...t, kind: payer.kind, gateway: payer.gateway, ref: t.ref || payer.cr.documentNumber });
    } else if (exchangeOnStorefront && t.state === 'applied' && t.kind === 'store_credit') {
      out.push({ ...t, kind: 'exchange' });
    } else out.push(t);
  }
  // Customer Refunds the memo's detail does not show: their money comes out of the unattributed part.
  for (const payer of payers) {
    let left = payer.left;
    for (let i = 0; i < out.length && left > 0; i++) {
      const t = out[i]!;
      if (t.kind !== 'other' || t.state === 'paid_out' || t.gateway === 'receivable') continue;
      const take = Math.min(t.amount, left);
      left -= take;
      const paid: Tender = {
        ...t,
        kind: payer.kind,
        gateway: payer.gateway,
        state: 'paid_out',
        ref: payer.cr.documentNumber || payer.cr.id,
        amount: take,
      };
      if (take === t.amount) out[i] = paid;
      else {
        out[i] = { ...t, amount: t.amount - take };
        out.splice(i, 0, paid);
        i++;
      }
    }
    payer.left = left;
  }
  return out;
}

/** A storefront refund's tenders in the compared currency (presentment money when that is what NetSuite recorded). */
function storefrontTendersIn(r: CanonicalRefund, currency: string): Tender[] {
  if (r.currency === currency || !r.presentment || r.presentment.currency !== currency) return r.tenders;
  if (r.tenders.every((t) => t.presentmentAmount !== null)) {
    return r.tenders.map((t) => ({ ...t, amount: t.presentmentAmount! }));
  }
  if (r.tenders.length === 1) return [{ ...r.tenders[0]!, amount: r.presentment.total }];
  // Split without presentment amounts: the split in that currency is unknown.
  return r.presentment.total > 0
    ? [{ kind: 'other', gateway: '', amount: r.presentment.total, presentmentAmount: null, state: 'settled', ref: '' }]
    : [];
}

function dayOf(date: string): number {
  return Math.floor(
    Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86400000,
  );
}

/** The full check of one paired result. */
export function checkTenders(
  storefront: readonly CanonicalRefund[],
  units: readonly TenderUnit[],
  currency: string,
  ctx: TenderContext,
): TenderCheck {
  const sfTenders: Tender[] = [];
  let exchangeOnStorefront = false;
  for (const r of storefront) {
    for (const t of storefrontTendersIn(r, currency)) sfTenders.push(t);
    if (hasExchangeData(r)) exchangeOnStorefront = true;
  }
  const sf = emptyClassSums();
  for (const t of sfTenders) sf[tenderClassOf(t.kind)] += t.amount;
  const nsTenders: Tender[] = [];
  const ns = emptyClassSums();
  const openParts: Array<{ memo: CanonicalRefund; amount: number; day: number }> = [];
  for (const u of units) {
    for (const t of unitTenders(u, exchangeOnStorefront)) {
      nsTenders.push(t);
      ns[tenderClassOf(t.kind)] += t.amount;
      if (t.state === 'open' && tenderClassOf(t.kind) === 'stored_value') {
        openParts.push({ memo: u.primary, amount: t.amount, day: dayOf(u.primary.date) });
      }
    }
  }
  const recorded = { ...ns };
  // Rule 3: open credit is money pending payout, up to the storefront's money surplus (never `other`).
  const pending: OpenCreditUse[] = [];
  const overdue: OpenCreditUse[] = [];
  let surplus = sf.money - ns.money;
  for (const part of openParts) {
    if (surplus <= 0) break;
    const take = Math.min(part.amount, surplus);
    surplus -= take;
    ns.stored_value -= take;
    ns.money += take;
    const use = { memo: part.memo, amount: take, open: part.amount, ageDays: ctx.asOfDay - part.day };
    if (use.ageDays > ctx.creditPayoutDays && take > ctx.tolerance) overdue.push(use);
    else pending.push(use);
  }
  const agrees = splitAgrees(sf, ns, ctx.tolerance);
  const exchange = exchangeOnStorefront || ns.exchange > 0;
  // X2: the storefront's exchange credit came back from NetSuite as money, and NetSuite has no exchange part.
  const x2 =
    sf.exchange > ctx.tolerance && ns.exchange === 0 && Math.abs(ns.money - sf.money - sf.exchange) <= ctx.tolerance;
  return {
    storefront: sf,
    netsuite: ns,
    netsuiteRecorded: recorded,
    storefrontTenders: sfTenders,
    netsuiteTenders: nsTenders,
    pending,
    overdue,
    agrees,
    exchange,
    x2,
    creditPayoutDays: ctx.creditPayoutDays,
  };
}

/** Tie-break of §2 rule 1: the pair's tenders agree (rule 2, and rule 3 within the payout days). */
export function tendersAgree(
  storefront: readonly CanonicalRefund[],
  units: readonly TenderUnit[],
  currency: string,
  ctx: TenderContext,
  a: ClassSums,
  b: ClassSums,
): boolean {
  if (quickAgrees(storefront, units, ctx.tolerance, a, b)) return true;
  const check = checkTenders(storefront, units, currency, ctx);
  return check.agrees && check.overdue.length === 0;
}

const sumsText = (s: ClassSums) => `${s.money},${s.stored_value},${s.exchange},${s.other}`;

/**
 * Everything tendersAgree reads of a storefront refund compared in `currency`, as text: two refunds
 * with the same signature agree with exactly the same units (the quick path's class and total; the
 * full check's per-class sums and exchange data). Large orders check one pair per signature pair
 * (tender-first-pairs.ts) instead of every pair.
 */
export function storefrontTenderSignature(r: CanonicalRefund, currency: string): string {
  const sums = emptyClassSums();
  for (const t of storefrontTendersIn(r, currency)) sums[tenderClassOf(t.kind)] += t.amount;
  return `${currency}|${quickClass(r)}|${r.total}|${hasExchangeData(r) ? 1 : 0}|${sumsText(sums)}`;
}

/**
 * Everything tendersAgree reads of a unit, as text (see storefrontTenderSignature): the quick path's
 * class and total, and for a storefront side without and with exchange data, the unit's per-class
 * sums and open stored-value parts (rule 3 ages them by the memo's date).
 */
export function unitTenderSignature(u: TenderUnit): string {
  const quick = u.members.length > 1 ? QUICK_MIXED : quickClass(u.primary);
  const parts = [`${quick}|${u.primary.total}|${dayOf(u.primary.date)}`];
  for (const exchangeOnStorefront of [false, true]) {
    const sums = emptyClassSums();
    const open: number[] = [];
    for (const t of unitTenders(u, exchangeOnStorefront)) {
      const cls = tenderClassOf(t.kind);
      sums[cls] += t.amount;
      if (t.state === 'open' && cls === 'stored_value') open.push(t.amount);
    }
    parts.push(`${sumsText(sums)}|${open.join(',')}`);
  }
  return parts.join('|');
}
