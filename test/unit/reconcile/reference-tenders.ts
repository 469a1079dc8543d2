import type { CanonicalRefund, Tender, TenderKind } from '../../../src/shared/model';

/**
 * The reference engine's own reading of tenders.md §2–§3 (written apart from src/main/reconcile/
 * tender-check.ts, so the differential test compares two readings): per-class sums, Credit Memo
 * parts paid out by their Customer Refunds, open credit as money pending payout, the X2 pattern.
 */

type Cls = 'money' | 'stored_value' | 'exchange' | 'other';
export type Sums = Record<Cls, number>;

export function classOf(kind: TenderKind): Cls {
  if (kind === 'card' || kind === 'cash') return 'money';
  if (kind === 'store_credit' || kind === 'gift_card') return 'stored_value';
  return kind === 'exchange' ? 'exchange' : 'other';
}

function zero(): Sums {
  return { money: 0, stored_value: 0, exchange: 0, other: 0 };
}

export function sfExchange(records: readonly CanonicalRefund[]): boolean {
  return records.some(
    (r) => (r.exchange?.exchangeValue ?? null) !== null || r.tenders.some((t) => t.kind === 'exchange'),
  );
}

/** A unit's parts: paid-out parts take their Customer Refund's method, in order; applied store credit is exchange credit on an exchange. */
export function unitParts(members: readonly CanonicalRefund[], exchange: boolean): Tender[] {
  const p = members[0]!;
  if (p.recordType !== 'creditMemo') return [...p.tenders];
  const crs = members.slice(1).map((m) => ({ m, left: m.total }));
  const parts: Tender[] = [];
  for (const t of p.tenders) {
    if (t.state === 'paid_out' && crs.length > 0) {
      const byRef = crs.find((c) => t.ref !== '' && (c.m.documentNumber === t.ref || c.m.id === t.ref));
      const c = byRef ?? crs.find((x) => x.left > 0) ?? crs[0]!;
      c.left -= t.amount;
      parts.push({
        ...t,
        kind: c.m.tenders[0]?.kind ?? 'other',
        gateway: c.m.tenders[0]?.gateway ?? '',
        ref: t.ref || c.m.documentNumber,
      });
    } else if (exchange && t.state === 'applied' && t.kind === 'store_credit') parts.push({ ...t, kind: 'exchange' });
    else parts.push({ ...t });
  }
  for (const c of crs) {
    for (let i = 0; i < parts.length && c.left > 0; i++) {
      const t = parts[i]!;
      if (t.kind !== 'other' || t.state === 'paid_out' || t.gateway === 'receivable') continue;
      const take = Math.min(c.left, t.amount);
      c.left -= take;
      const paid: Tender = {
        ...t,
        amount: take,
        kind: c.m.tenders[0]?.kind ?? 'other',
        gateway: c.m.tenders[0]?.gateway ?? '',
        state: 'paid_out',
        ref: c.m.documentNumber || c.m.id,
      };
      if (take === t.amount) parts[i] = paid;
      else {
        parts[i] = { ...t, amount: t.amount - take };
        parts.splice(i, 0, paid);
        i++;
      }
    }
  }
  return parts;
}

export interface RefCheck {
  agrees: boolean;
  overdue: boolean;
  exchange: boolean;
  x2: boolean;
}

function day(date: string): number {
  return Math.round(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
}

/** §2 rules 2–3 and the X2 condition for one pairing (totals in `currency`). */
export function refCheck(
  sfRecords: readonly CanonicalRefund[],
  units: ReadonlyArray<{ members: readonly CanonicalRefund[] }>,
  currency: string,
  tol: number,
  asOfDay: number,
  payoutDays: number,
): RefCheck {
  const sf = zero();
  for (const r of sfRecords) {
    if (r.currency === currency) for (const t of r.tenders) sf[classOf(t.kind)] += t.amount;
    else if (r.presentment?.currency === currency) {
      if (r.tenders.every((t) => t.presentmentAmount !== null)) {
        for (const t of r.tenders) sf[classOf(t.kind)] += t.presentmentAmount!;
      } else if (r.tenders.length === 1) sf[classOf(r.tenders[0]!.kind)] += r.presentment.total;
      else sf.other += r.presentment.total;
    }
  }
  const exchangeOnSf = sfExchange(sfRecords);
  const ns = zero();
  const open: Array<{ amount: number; day: number }> = [];
  for (const u of units) {
    for (const t of unitParts(u.members, exchangeOnSf)) {
      ns[classOf(t.kind)] += t.amount;
      if (t.state === 'open' && classOf(t.kind) === 'stored_value')
        open.push({ amount: t.amount, day: day(u.members[0]!.date) });
    }
  }
  let surplus = sf.money - ns.money;
  let overdue = false;
  for (const o of open) {
    if (surplus <= 0) break;
    const take = Math.min(surplus, o.amount);
    surplus -= take;
    ns.money += take;
    ns.stored_value -= take;
    if (asOfDay - o.day > payoutDays && take > tol) overdue = true;
  }
  let plus = 0;
  let minus = 0;
  for (const c of ['money', 'stored_value', 'exchange'] as const) {
    const d = sf[c] - ns[c];
    if (d > 0) plus += d;
    else minus -= d;
  }
  const agrees = plus <= ns.other + tol && minus <= sf.other + tol;
  const x2 = sf.exchange > tol && ns.exchange === 0 && Math.abs(ns.money - sf.money - sf.exchange) <= tol;
  return { agrees, overdue, exchange: exchangeOnSf || ns.exchange > 0, x2 };
}

/** The summary's money per currency and tender class. */
export function addByClass(
  byClass: Record<string, Partial<Record<Cls, { storefront: number; netsuite: number }>>>,
  currency: string,
  side: 'storefront' | 'netsuite',
  parts: ReadonlyArray<{ kind: TenderKind; amount: number }>,
): void {
  for (const t of parts) {
    if (t.amount === 0) continue;
    byClass[currency] ??= {};
    const perClass = byClass[currency]!;
    const cls = classOf(t.kind);
    perClass[cls] ??= { storefront: 0, netsuite: 0 };
    perClass[cls]![side] += t.amount;
  }
}
