import type { CanonicalRefund, Tender, TenderKind } from '../../shared/model';
import { tenderClassOf } from '../tenders/classes';
import type { ReconcileResult } from './engine';
import { checkTenders, type TenderCheck } from './tender-check';

/**
 * The tender parts of the hints (tenders.md §3 templates, §2 rules 5–6): how each side paid the
 * customer back, in words. Amounts come formatted by the caller's `money`.
 */

type Money = (minor: number, currency: string) => string;

const KIND_WORDS: Record<TenderKind, string> = {
  card: 'card',
  cash: 'cash',
  store_credit: 'store credit',
  gift_card: 'gift card',
  exchange: 'exchange credit',
  other: 'an unspecified tender',
};

export function kindWords(kind: TenderKind): string {
  return KIND_WORDS[kind];
}

/** The result's tender check: the engine's when it made one, else computed now (hints of quiet results). */
export function tenderCheckOf(result: ReconcileResult): TenderCheck | null {
  if (result.tenderCheck) return result.tenderCheck;
  if (result.storefront.length === 0 || result.units.length === 0 || result.code === 'currency_mismatch') return null;
  return checkTenders(result.storefront, result.units, result.currency, {
    tolerance: result.tolerance,
    asOfDay: 0,
    creditPayoutDays: Number.MAX_SAFE_INTEGER,
  });
}

/** "card USD 20.00 and store credit USD 30.00 (open)": amounts per kind and state, in order of appearance. */
export function splitText(tenders: readonly Tender[], currency: string, money: Money): string {
  const parts: Array<{ key: string; kind: TenderKind; state: Tender['state']; amount: number }> = [];
  for (const t of tenders) {
    const state = t.state === 'open' || t.state === 'applied' ? t.state : 'settled';
    const key = `${t.kind}|${state}`;
    const hit = parts.find((p) => p.key === key);
    if (hit) hit.amount += t.amount;
    else parts.push({ key, kind: t.kind, state, amount: t.amount });
  }
  if (parts.length === 0) return 'nothing';
  const words = parts.map(
    (p) =>
      `${KIND_WORDS[p.kind]} ${money(p.amount, currency)}${p.state === 'open' ? ' (left open)' : p.state === 'applied' ? ' (applied to an invoice)' : ''}`,
  );
  return words.length === 1 ? words[0]! : `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}

function firstOfClass(tenders: readonly Tender[], cls: 'money' | 'stored_value' | 'exchange'): Tender | undefined {
  return tenders.find((t) => tenderClassOf(t.kind) === cls);
}

/** `tender_mismatch`: both splits, then the one cause. */
export function tenderMismatchText(
  result: ReconcileResult,
  check: TenderCheck,
  sfList: string,
  nsList: string,
  money: Money,
): string {
  const c = result.currency;
  const head = `${sfList} went back to the customer as ${splitText(check.storefrontTenders, c, money)}, but NetSuite recorded ${splitText(check.netsuiteTenders, c, money)} on ${nsList}.`;
  const sf = check.storefront;
  const ns = check.netsuite;
  const sfStored = firstOfClass(check.storefrontTenders, 'stored_value');
  const sfMoney = firstOfClass(check.storefrontTenders, 'money');
  if (sf.stored_value > ns.stored_value && ns.money > sf.money && sfStored) {
    const paid = firstOfClass(check.netsuiteTenders, 'money');
    const method = paid?.gateway || 'a money payment method';
    const ref = paid?.ref ? `, ${paid.ref}` : '';
    return `${head} NetSuite paid money out (${method}${ref}) for value the customer received as ${KIND_WORDS[sfStored.kind]}: void that Customer Refund or Cash Refund and leave the Credit Memo open, or post the amount on the store-credit item.`;
  }
  const applied = check.netsuiteTenders.find((t) => t.state === 'applied' && tenderClassOf(t.kind) !== 'money');
  if (sf.money > ns.money && applied && sfMoney) {
    return `${head} NetSuite applied the credit to ${applied.ref || 'an invoice'} instead of paying it out, while the customer got ${KIND_WORDS[sfMoney.kind]} back: unapply it and pay it out with a Customer Refund.`;
  }
  if (sf.money > ns.money && sfMoney) {
    const stored = firstOfClass(check.netsuiteTenders, 'stored_value');
    return `${head} NetSuite recorded ${stored ? KIND_WORDS[stored.kind] : 'stored value'}${stored?.gateway ? ` (${stored.gateway})` : ''} where the customer got ${KIND_WORDS[sfMoney.kind]} back: correct the payment method, or pay the credit out with a Customer Refund.`;
  }
  return `${head} Record each part with the tender the customer received.`;
}

/** `credit_not_paid_out`: the memo that should have been paid out by now. */
export function creditNotPaidOutText(
  result: ReconcileResult,
  check: TenderCheck,
  sfList: string,
  describeRecord: (r: CanonicalRefund) => string,
  money: Money,
): string {
  const c = result.currency;
  const use = check.overdue[0]!;
  const paid = firstOfClass(check.storefrontTenders, 'money');
  const kind = paid ? KIND_WORDS[paid.kind] : 'card';
  // The storefront's gateway name, not a NetSuite payment method: the hint names the NetSuite
  // method only through it, since the two are mapped per merchant (tenders.md §1.3).
  const gateway = paid?.gateway || 'its gateway';
  const cm = describeRecord(use.memo);
  const sfDate = result.storefront[0]?.date ?? result.date;
  return `${sfList} paid ${money(check.storefront.money, c)} back to the customer's ${kind} (${gateway}) on ${sfDate}, but ${cm} still has ${money(use.open, c)} open after ${use.ageDays} days (limit ${check.creditPayoutDays}). Create a Customer Refund applying ${cm} with the NetSuite payment method you use for ${gateway} refunds; if the customer really got store credit, correct the storefront refund instead.`;
}

/** Notes on an agreeing split: payout pending, kinds that differ inside a class (rule 5), tender unverified. */
export function agreeingTenderNotes(
  result: ReconcileResult,
  describeRecord: (r: CanonicalRefund) => string,
  money: Money,
): string {
  const check = tenderCheckOf(result);
  if (!check) return '';
  const c = result.currency;
  const notes: string[] = [];
  for (const use of check.pending) {
    notes.push(
      `${describeRecord(use.memo)} is still open (${money(use.open, c)}, ${use.ageDays} days): payout pending, expected as a Customer Refund within ${check.creditPayoutDays} days.`,
    );
  }
  for (const cls of ['money', 'stored_value'] as const) {
    const a = firstOfClass(check.storefrontTenders, cls);
    const b = firstOfClass(check.netsuiteTenders, cls);
    if (a && b && a.kind !== b.kind) {
      notes.push(
        `The storefront paid ${KIND_WORDS[a.kind]}${a.gateway ? ` (${a.gateway})` : ''} where NetSuite recorded ${KIND_WORDS[b.kind]}${b.gateway ? ` (${b.gateway})` : ''}: the same class of tender, so not a mismatch.`,
      );
    }
  }
  const sfOther = check.storefront.other > 0;
  const nsOther = check.netsuiteRecorded.other > 0;
  const nsKnown =
    check.netsuiteRecorded.money + check.netsuiteRecorded.stored_value + check.netsuiteRecorded.exchange > 0;
  const sfKnown = check.storefront.money + check.storefront.stored_value + check.storefront.exchange > 0;
  if ((sfOther && nsKnown) || (nsOther && sfKnown)) {
    notes.push(
      `Tender unverified: ${sfOther ? 'the storefront' : 'NetSuite'} does not say how ${money(sfOther ? check.storefront.other : check.netsuiteRecorded.other, c)} went back (a manual or offline payment), so it was not compared by tender.`,
    );
  }
  return notes.length > 0 ? ` ${notes.join(' ')}` : '';
}

/** §2 rule 6: the class or kind whose amount equals the difference. */
export function tenderDifferenceClue(result: ReconcileResult, money: Money): string {
  const check = tenderCheckOf(result);
  const c = result.currency;
  const ex = result.storefront.find((r) => r.exchange && r.exchange.exchangeValue === null);
  const graphql = ex
    ? ` Storefront refund ${ex.id} belongs to return ${ex.exchange!.returnId}, but the export carries no exchange items (Shopify REST gives only the return id): export or pull the refunds with GraphQL so the exchange value can be compared.`
    : '';
  if (!check) return graphql;
  const diff = result.difference;
  if (diff === 0) return graphql;
  const tol = result.tolerance;
  const missingOn = diff > 0 ? 'NetSuite' : 'storefront';
  const from = diff > 0 ? check.storefrontTenders : check.netsuiteTenders;
  const other = diff > 0 ? check.netsuiteRecorded : check.storefront;
  const kinds = new Map<TenderKind, number>();
  for (const t of from) kinds.set(t.kind, (kinds.get(t.kind) ?? 0) + t.amount);
  for (const [kind, amount] of kinds) {
    if (kind === 'other' || Math.abs(amount - Math.abs(diff)) > tol) continue;
    if (other[tenderClassOf(kind)] > tol) continue;
    if (missingOn === 'NetSuite') {
      const fix =
        kind === 'store_credit'
          ? 'record it as an open Credit Memo or on the store-credit item'
          : kind === 'gift_card'
            ? 'record it with the gift-card payment method or on the gift-card tender item (a tender role in the item mapping)'
            : kind === 'exchange'
              ? 'record the exchange credit applied to the exchange items'
              : 'record that refund in NetSuite';
      const rest = from.filter((t) => t.kind !== kind);
      return ` NetSuite recorded only the ${rest.length > 0 ? `${[...new Set(rest.map((t) => KIND_WORDS[t.kind]))].join(' and ')} part` : 'other parts'}; the ${KIND_WORDS[kind]} of ${money(amount, c)} is missing: ${fix}.${graphql}`;
    }
    return ` The difference equals the ${KIND_WORDS[kind]} of ${money(amount, c)} NetSuite recorded, which the storefront refund does not show.${graphql}`;
  }
  return graphql;
}

function exchangeFigures(result: ReconcileResult, check: TenderCheck | null, money: Money) {
  const c = result.currency;
  const withBlock = result.storefront.find((r) => r.exchange);
  const block = withBlock?.exchange ?? null;
  const exchanged = check ? check.storefront.exchange : 0;
  const e = block?.exchangeValue ?? exchanged;
  const r = block?.returnedValue ?? result.storefrontTotal ?? 0;
  const order = result.orderRef ? `order ${result.orderRef}` : 'the order';
  const head = `Exchange on ${order}${block ? ` (return ${block.returnId})` : ''}: items returned ${money(r, c)}, exchange items ${money(e, c)}`;
  return { c, block, e, r, order, head };
}

/** `exchange`: info (recorded consistently), warning X2 (refunded in full) or warning (no record). */
export function exchangeText(result: ReconcileResult, nsList: string, money: Money): string {
  const check = tenderCheckOf(result);
  const { c, block, e, r, order, head } = exchangeFigures(result, check, money);
  if (result.units.length === 0) {
    return `${head}; NetSuite holds no record of this return; the ${money(e, c)} applied to the exchange items is not recorded.`;
  }
  if (check?.x2 && result.severity === 'warning') {
    return `${head}; NetSuite refunded the full ${money(r, c)} on ${nsList} and shows no exchange credit. NetSuite Connector records Shopify POS exchanges as a Cash Refund plus a new Cash Sale for the exchanged items: check that a Cash Sale of ${money(e, c)} exists for ${order}.`;
  }
  const sfParts = check ? check.storefrontTenders.filter((t) => t.kind !== 'exchange') : [];
  const net = sfParts.reduce((acc, t) => acc + t.amount, 0);
  const balance = block?.balanceDue ?? 0;
  const balanceText =
    balance > 0
      ? `; the customer owes ${money(balance, c)} for the exchange items (a sale on the order, named here, not compared)`
      : '';
  const invoices = check
    ? [...new Set(check.netsuiteTenders.filter((t) => t.kind === 'exchange').map((t) => t.ref || 'an invoice'))]
    : [];
  return `${head}; ${money(net, c)} went back as ${net > 0 ? splitText(sfParts, c, money) : 'nothing else'}${balanceText}. NetSuite ${nsList} applied ${money(check?.netsuite.exchange ?? e, c)} to ${invoices.join(', ') || 'the exchange invoice'}: recorded consistently.`;
}

/** `chargeback` (a) a NetSuite refund that is really a chargeback, (b) a refund during a chargeback. */
export function chargebackText(result: ReconcileResult, sfList: string, nsList: string, money: Money): string {
  const d = result.dispute;
  if (!d) return '';
  const c = result.currency;
  const order = result.orderRef ? `order ${result.orderRef}` : 'the order';
  const status = d.status.replace('_', ' ');
  if (result.storefront.length === 0) {
    return `${nsList} (${money(result.netsuiteTotal ?? 0, c)}) has no storefront refund; ${order} has a ${status} chargeback of ${d.amount === null ? 'an unknown amount' : money(d.amount, d.currency)} (${d.id}${d.finalizedOn ? `, finalized ${d.finalizedOn}` : ''}). The bank, not the store, gave the money back. Book each chargeback one way only: a refund record here plus a dispute posted from the payout counts it twice.`;
  }
  const first = result.storefront[0]!;
  return `${sfList} refunded ${money(result.storefrontTotal ?? 0, c)} on ${first.date} while chargeback ${d.id} on ${order} is ${status}${d.initiatedAt ? ` (since ${d.initiatedAt})` : ''}: the customer may be paid twice, once by the bank and once by the refund. Do not refund an order with an open or lost chargeback; accept or answer the dispute.`;
}

/** `missing_in_netsuite` with a stored-value tender. */
export function storedValueMissingText(result: ReconcileResult): string {
  const stored = result.storefront.some((r) =>
    r.tenders.some((t) => t.kind === 'store_credit' || t.kind === 'gift_card'),
  );
  return stored
    ? ' Part of it went back as store credit or onto a gift card: NetSuite Connector does not refund gift-card payments automatically (2nd-hand report); record store credit as an open Credit Memo or on the store-credit item.'
    : '';
}

/** `missing_in_storefront`: a won chargeback of its amount, or a memo that names a chargeback. */
export function chargebackMissingText(result: ReconcileResult): string {
  const d = result.dispute;
  if (d && d.status === 'won') {
    return ` ${result.orderRef ? `Order ${result.orderRef}` : 'The order'} had a chargeback (${d.id}) and the chargeback was won: reverse this NetSuite refund.`;
  }
  if (!result.disputesGiven && result.netsuite.some((r) => /chargeback|dispute/i.test(r.memo))) {
    return ' Its memo names a chargeback or dispute: import disputes (the Shopify Payments disputes export) to classify it.';
  }
  return '';
}
