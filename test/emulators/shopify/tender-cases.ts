import { decimal } from '../common/random';
import type { Obj, ShopifyData } from './dataset';

/**
 * The storefront side of the tender cases of tenders.md §7 as a Shopify store serves them (Admin
 * GraphQL shapes, apis.md §2.2): store-credit, split, gift-card, manual-gateway and exchange
 * refunds, and Shopify Payments disputes. USD. Shapes from the vendor docs: `OrderTransaction`
 * `gateway` / `manualPaymentGateway` [doc S5], the `shopify_store_credit` REFUND transaction of
 * the `refundCreate` store-credit example [doc S1], `Return.exchangeLineItems` with
 * `processedQuantity` and `lineItems` [doc S7], `ShopifyPaymentsDispute` [doc S8].
 */

const gid = (type: string, id: number | string) => `gid://shopify/${type}/${id}`;

function bag(minor: number): Obj {
  const money = { amount: decimal(minor, 2), currencyCode: 'USD' };
  return { shopMoney: money, presentmentMoney: money };
}

let seq = 7_000_000;

function refundTransaction(gateway: string, minor: number, extra: Obj = {}): Obj {
  const id = ++seq;
  return {
    id: gid('OrderTransaction', id),
    kind: 'REFUND',
    status: 'SUCCESS',
    test: false,
    gateway,
    manualPaymentGateway: false,
    amountSet: bag(minor),
    ...extra,
  };
}

interface CaseRefund {
  id: number;
  createdAt: string;
  lines: { sku: string; amount: number }[];
  transactions: Obj[];
  /** The return with its exchange items (each processed, one line item of this value). */
  ret?: { id: number; exchange: { sku: string; amount: number; tax?: number }[] };
}

function refund(r: CaseRefund): Obj {
  const moved = r.transactions.reduce(
    (n, t) => n + Math.round(Number((t.amountSet as { shopMoney: { amount: string } }).shopMoney.amount) * 100),
    0,
  );
  return {
    id: gid('Refund', r.id),
    legacyResourceId: String(r.id),
    createdAt: r.createdAt,
    note: null,
    totalRefundedSet: bag(moved),
    refundLineItems: {
      nodes: r.lines.map((l) => ({
        id: gid('RefundLineItem', ++seq),
        quantity: 1,
        restockType: 'RETURN',
        lineItem: { id: gid('LineItem', ++seq), sku: l.sku, name: l.sku },
        subtotalSet: bag(l.amount),
        totalTaxSet: bag(0),
      })),
    },
    transactions: { nodes: r.transactions },
    orderAdjustments: { nodes: [] },
    return: r.ret
      ? {
          id: gid('Return', r.ret.id),
          exchangeLineItems: {
            nodes: r.ret.exchange.map((e) => ({
              id: gid('ExchangeLineItem', ++seq),
              processedQuantity: 1,
              lineItems: [
                {
                  sku: e.sku,
                  discountedTotalSet: bag(e.amount),
                  taxLines: e.tax ? [{ priceSet: bag(e.tax) }] : [],
                },
              ],
            })),
          },
        }
      : null,
  };
}

function order(no: number, updatedAt: string, refunds: Obj[]): Obj {
  return {
    id: gid('Order', 8_000_000 + no),
    legacyResourceId: String(8_000_000 + no),
    name: `#${no}`,
    test: false,
    currencyCode: 'USD',
    presentmentCurrencyCode: 'USD',
    updatedAt,
    refunds,
  };
}

/** §7 cases 5, 10, 12, 20, 21, 23 and 26 (plus a manual-gateway refund), one order each. */
export function sevenCasesShopify(): ShopifyData {
  const day = '2026-03-17T10:00:00Z';
  const orders = [
    // 5: store credit, all of it.
    order(1005, day, [
      refund({
        id: 905,
        createdAt: day,
        lines: [{ sku: 'TEE', amount: 5000 }],
        transactions: [refundTransaction('shopify_store_credit', 5000)],
      }),
    ]),
    // 10: split, card 20.00 + store credit 30.00.
    order(1010, day, [
      refund({
        id: 910,
        createdAt: day,
        lines: [{ sku: 'TEE', amount: 5000 }],
        transactions: [refundTransaction('shopify_payments', 2000), refundTransaction('shopify_store_credit', 3000)],
      }),
    ]),
    // 12: back onto the gift card that paid.
    order(1012, day, [
      refund({
        id: 912,
        createdAt: day,
        lines: [{ sku: 'MUG', amount: 4000 }],
        transactions: [refundTransaction('gift_card', 4000)],
      }),
    ]),
    // 20: exchange X1 — lines 50.00, card 10.00; return R 50.00, exchange items E 40.00.
    order(1020, day, [
      refund({
        id: 920,
        createdAt: day,
        lines: [{ sku: 'TEE', amount: 5000 }],
        transactions: [refundTransaction('shopify_payments', 1000)],
        ret: { id: 20, exchange: [{ sku: 'TEE-BLUE', amount: 4000 }] },
      }),
    ]),
    // 21: the exchange credit as a transaction of its own.
    order(1021, day, [
      refund({
        id: 921,
        createdAt: day,
        lines: [{ sku: 'TEE', amount: 5000 }],
        transactions: [refundTransaction('exchange-credit', 4000), refundTransaction('shopify_payments', 1000)],
        ret: { id: 21, exchange: [{ sku: 'TEE-BLUE', amount: 4000 }] },
      }),
    ]),
    // 23: the customer pays more — lines 30.00, no transaction; R 30.00, E 45.00 (40.00 + 5.00 tax).
    order(1023, day, [
      refund({
        id: 923,
        createdAt: day,
        lines: [{ sku: 'CAP', amount: 3000 }],
        transactions: [],
        ret: { id: 23, exchange: [{ sku: 'HOODIE', amount: 4000, tax: 500 }] },
      }),
    ]),
    // A manual payment method: says nothing about the tender (other).
    order(1030, day, [
      refund({
        id: 930,
        createdAt: day,
        lines: [{ sku: 'TEE', amount: 2500 }],
        transactions: [refundTransaction('Cash on Delivery (COD)', 2500, { manualPaymentGateway: true })],
      }),
    ]),
    // 26: no refund; the order has a lost chargeback.
    order(1026, day, []),
  ];
  return {
    shopCurrency: 'USD',
    orders,
    refundCount: 7,
    disputes: [
      {
        id: gid('ShopifyPaymentsDispute', 2601),
        legacyResourceId: '2601',
        amount: { amount: '80.00', currencyCode: 'USD' },
        initiatedAt: '2026-03-05T09:00:00Z',
        finalizedOn: '2026-03-15',
        status: 'LOST',
        type: 'CHARGEBACK',
        order: { id: gid('Order', 8_001_026), legacyResourceId: '8001026', name: '#1026' },
      },
      {
        id: gid('ShopifyPaymentsDispute', 2901),
        legacyResourceId: '2901',
        amount: { amount: '80.00', currencyCode: 'USD' },
        initiatedAt: '2026-03-06T09:00:00Z',
        finalizedOn: null,
        status: 'NEEDS_RESPONSE',
        type: 'INQUIRY',
        order: { id: gid('Order', 8_001_029), legacyResourceId: '8001029', name: '#1029' },
      },
    ],
  };
}
