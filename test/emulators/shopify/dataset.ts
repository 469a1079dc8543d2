import { decimal, int, isoDay, pick, rng, SKUS } from '../common/random';

/**
 * A Shopify store's orders with refunds in the Admin GraphQL shape (apis.md §2.2): money as MoneyBag
 * strings, refund connections as `{ nodes }`. Orders are sorted by updatedAt; ids are increasing.
 */

export type Obj = Record<string, unknown>;

export interface ShopifyData {
  shopCurrency: string;
  orders: Obj[];
  refundCount: number;
  /** Shopify Payments disputes (`ShopifyPaymentsDispute` nodes), if the store has any. */
  disputes?: Obj[];
}

function bag(minor: number, currency: string, presentment?: { currency: string; rate: number }): Obj {
  const shop = { amount: decimal(minor, 2), currencyCode: currency };
  const pres = presentment
    ? { amount: decimal(Math.round(minor * presentment.rate), 2), currencyCode: presentment.currency }
    : shop;
  return { shopMoney: shop, presentmentMoney: pres };
}

let gidCounter = 0;
const gid = (type: string, id: number) => `gid://shopify/${type}/${id}`;

export function makeRefund(
  random: () => number,
  refundId: number,
  createdAt: string,
  currency: string,
  presentment: { currency: string; rate: number } | undefined,
): Obj {
  const lines: Obj[] = [];
  let subtotal = 0;
  let tax = 0;
  for (let i = 0, n = int(random, 1, 3); i < n; i++) {
    const [sku, name, price] = pick(random, SKUS);
    const quantity = int(random, 1, 2);
    const sub = price * quantity;
    const t = Math.round(sub * 0.08);
    subtotal += sub;
    tax += t;
    lines.push({
      id: gid('RefundLineItem', ++gidCounter),
      quantity,
      restockType: 'RETURN',
      lineItem: { id: gid('LineItem', 5000000 + gidCounter), sku, name },
      subtotalSet: bag(sub, currency, presentment),
      totalTaxSet: bag(t, currency, presentment),
    });
  }
  const adjustments: Obj[] = [];
  let shipping = 0;
  if (random() < 0.25) {
    shipping = int(random, 400, 900);
    adjustments.push({
      id: gid('OrderAdjustment', ++gidCounter),
      kind: 'SHIPPING_REFUND',
      reason: 'Shipping refund',
      amountSet: bag(-shipping, currency, presentment),
      taxAmountSet: bag(0, currency, presentment),
    });
  }
  const total = subtotal + tax + shipping;
  const transactions: Obj[] = [];
  const roll = random();
  if (roll < 0.06) {
    // restock only: no money moved
  } else {
    if (roll < 0.12) {
      transactions.push({
        id: gid('OrderTransaction', ++gidCounter),
        kind: 'REFUND',
        status: 'FAILURE',
        test: false,
        amountSet: bag(total, currency, presentment),
      });
    }
    transactions.push({
      id: gid('OrderTransaction', ++gidCounter),
      kind: 'REFUND',
      status: 'SUCCESS',
      test: false,
      amountSet: bag(total, currency, presentment),
    });
  }
  return {
    id: gid('Refund', refundId),
    legacyResourceId: String(refundId),
    createdAt,
    note: random() < 0.3 ? 'Customer return' : null,
    totalRefundedSet: bag(transactions.length > 0 ? total : 0, currency, presentment),
    refundLineItems: { nodes: lines },
    transactions: { nodes: transactions },
    orderAdjustments: { nodes: adjustments },
  };
}

export function generateShopifyData(options: { refunds: number; seed?: number }): ShopifyData {
  const random = rng(options.seed ?? 5);
  const orders: Obj[] = [];
  let made = 0;
  let orderNo = 1000;
  let refundId = 900000;
  while (made < options.refunds) {
    orderNo += 1;
    const day = isoDay(Math.floor((orderNo - 1000) / Math.max(1, options.refunds / 150)));
    const multi = random() < 0.1;
    const presentment = multi ? { currency: 'EUR', rate: 0.92 } : undefined;
    const count = Math.min(options.refunds - made, random() < 0.7 ? 1 : 2);
    const refunds: Obj[] = [];
    for (let i = 0; i < count; i++) {
      refunds.push(makeRefund(random, ++refundId, `${day}T1${i}:00:00Z`, 'USD', presentment));
    }
    made += count;
    orders.push({
      id: gid('Order', 4000000 + orderNo),
      legacyResourceId: String(4000000 + orderNo),
      name: `#${orderNo}`,
      test: random() < 0.03,
      currencyCode: 'USD',
      presentmentCurrencyCode: multi ? 'EUR' : 'USD',
      updatedAt: `${day}T12:00:00Z`,
      refunds,
    });
  }
  return { shopCurrency: 'USD', orders, refundCount: made };
}
