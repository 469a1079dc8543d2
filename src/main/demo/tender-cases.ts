import type { ResultCode } from '../../shared/codes';
import { CaseFactory, type GeneratedCase } from './cases';
import type { NsRecord, ShopOrder } from './model';

/**
 * The demo's tender cases (issue 18 item 8): one order for each code of tenders.md §3, so a
 * first-time user meets them. Each is a case of the spec's §7 table, in US dollars:
 * - `tender_mismatch` (§2 rule 4, card row): a refund paid back to the card, booked in NetSuite as a
 *   Cash Refund with the payment method "Store Credit" (stored value). The demo's storefront holds
 *   no store-credit refund on purpose: readiness would then ask for a passing store-credit dry
 *   run (tenders.md §5), which the onboarding's test orders do not have;
 * - `credit_not_paid_out` (§7 #4): a card refund whose Credit Memo is still open and was never
 *   paid out by a Customer Refund (the memo is older than the 7-day payout limit);
 * - `exchange` (§7 #22, pattern X2): part of the return went to exchange items (`exchange-credit`),
 *   NetSuite refunded the full return to the card;
 * - `chargeback` (§7 #27): a card refund made while a chargeback on the order is under review.
 */

export type TenderCaseKind = 'tender_mismatch' | 'credit_not_paid_out' | 'exchange' | 'chargeback';

export const TENDER_CASE_KINDS: readonly TenderCaseKind[] = [
  'tender_mismatch',
  'credit_not_paid_out',
  'exchange',
  'chargeback',
];

/** A Shopify Payments dispute of a demo order (tenders.md §3.1), written by disputes.ts. */
export interface DemoDispute {
  id: number;
  order: ShopOrder;
  type: 'CHARGEBACK' | 'INQUIRY';
  status: 'NEEDS_RESPONSE' | 'UNDER_REVIEW' | 'ACCEPTED' | 'LOST' | 'WON' | 'PREVENTED';
  /** The disputed charge, minor units of the order's currency. */
  amount: number;
  initiatedAt: string;
  finalizedOn: string | null;
}

export interface TenderCase extends Omit<GeneratedCase, 'kind'> {
  kind: TenderCaseKind;
  disputes: DemoDispute[];
}

/** The payment method NetSuite's money records of these cases carry (a card: tenders.md §1.3 default). */
const CARD_METHOD = 'VISA';
/** A NetSuite payment method for store credit (the default by name: `/store credit/`, §1.3). */
const STORE_CREDIT_METHOD = 'Store Credit';
/** What the exchange case's customer got back on the card; the rest of the return went to exchange items. */
const EXCHANGE_CARD_PART = 1000;

function orderTotal(order: ShopOrder): number {
  let total = order.shipping;
  for (const l of order.lines) total += (l.price + l.taxPerUnit) * l.quantity;
  return total;
}

/** The case factory with the tender cases: the same seeded sequence, so the other cases keep their ids. */
export class TenderCaseFactory extends CaseFactory {
  private disputeId = 7_301_000;

  makeTender(kind: TenderCaseKind, currency = 'USD'): TenderCase {
    const expected = new Map<string, ResultCode | 'not_compared'>();
    const mark = (records: NsRecord[], refundIds: number[], code: ResultCode) => {
      for (const r of records) expected.set(`ns:${r.internalId}`, code);
      for (const id of refundIds) expected.set(`sf:${id}`, code);
    };
    const disputes: DemoDispute[] = [];
    let order: ShopOrder;
    let netsuite: NsRecord[];
    switch (kind) {
      case 'tender_mismatch': {
        order = this.order(currency, 'cashSale');
        const r = this.refund(order, { lines: 'one' });
        r.transactions[0]!.gateway = 'shopify_payments';
        netsuite = this.netsuiteFor(order, [r]);
        netsuite[0]!.paymentMethod = STORE_CREDIT_METHOD;
        mark(netsuite, [r.id], 'tender_mismatch');
        break;
      }
      case 'credit_not_paid_out': {
        order = this.order(currency, 'invoice');
        const r = this.refund(order, { lines: 'one' });
        // Named, so the demo's canonical view carries the card tender too (model.ts).
        r.transactions[0]!.gateway = 'shopify_payments';
        // The Credit Memo alone: the Customer Refund that would pay it out was never made.
        const [memo] = this.netsuiteFor(order, [r]);
        memo!.openRemaining = memo!.total;
        memo!.memo = `Shopify refund ${r.id}; payout pending`;
        netsuite = [memo!];
        mark(netsuite, [r.id], 'credit_not_paid_out');
        break;
      }
      case 'exchange': {
        order = this.order(currency, 'cashSale');
        const r = this.refund(order, { lines: 'one' });
        const card = r.transactions[0]!;
        card.gateway = 'shopify_payments';
        const returned = card.amount;
        card.amount = Math.min(EXCHANGE_CARD_PART, returned - 1);
        const exchanged = returned - card.amount;
        r.transactions.unshift({
          id: this.txId++,
          amount: exchanged,
          status: 'success',
          currency: card.currency,
          gateway: 'exchange-credit',
        });
        r.note = 'Exchanged for another size';
        netsuite = this.netsuiteFor(order, [r]);
        netsuite[0]!.paymentMethod = CARD_METHOD;
        mark(netsuite, [r.id], 'exchange');
        break;
      }
      case 'chargeback': {
        order = this.order(currency, 'cashSale');
        // The customer disputed the charge two days after the order; the store refunded days later.
        const r = this.refund(order, { lines: 'one', afterDays: 6 });
        r.transactions[0]!.gateway = 'shopify_payments';
        const day = Date.parse(order.createdAt.slice(0, 10)) / 86400000 + 2;
        disputes.push({
          id: this.disputeId++,
          order,
          type: 'CHARGEBACK',
          status: 'UNDER_REVIEW',
          amount: orderTotal(order),
          initiatedAt: `${this.isoDay(day)}T15:00:00Z`,
          finalizedOn: null,
        });
        netsuite = this.netsuiteFor(order, [r]);
        netsuite[0]!.paymentMethod = CARD_METHOD;
        mark(netsuite, [r.id], 'chargeback');
        break;
      }
    }
    return { kind, order, netsuite, expected, disputes };
  }
}
