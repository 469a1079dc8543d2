import fs from 'node:fs';
import path from 'node:path';
import type { Obj, ShopifyData } from './dataset';

/**
 * REST Admin orders (the demo workspace's `resources/demo/shopify-orders.json`, apis.md §2.5) →
 * the Admin GraphQL shapes the emulator serves (apis.md §2.2), so `npm run emulators` + a pull
 * reproduces the demo. Dates keep the REST offset form (Shopify's GraphQL would print UTC) so the
 * pulled refunds carry the same dates as the demo import.
 */

const arr = (v: unknown): Obj[] => (Array.isArray(v) ? (v as Obj[]) : []);
const gid = (type: string, id: unknown) => `gid://shopify/${type}/${String(id)}`;

function bag(set: unknown, amount: unknown, currency: string): Obj {
  const s = set as { shop_money?: Obj; presentment_money?: Obj } | undefined;
  if (s?.shop_money) {
    const m = (x: Obj) => ({ amount: String(x.amount), currencyCode: String(x.currency_code) });
    return { shopMoney: m(s.shop_money), presentmentMoney: m(s.presentment_money ?? s.shop_money) };
  }
  const money = { amount: String(amount ?? '0'), currencyCode: currency };
  return { shopMoney: money, presentmentMoney: money };
}

export function restOrderToGraphql(order: Obj): Obj {
  const currency = String(order.currency ?? 'USD');
  const refunds = arr(order.refunds).map((r) => ({
    id: String(r.admin_graphql_api_id ?? gid('Refund', r.id)),
    legacyResourceId: String(r.id),
    createdAt: r.processed_at ?? r.created_at,
    note: r.note ?? null,
    totalRefundedSet: bag(undefined, '0', currency),
    refundLineItems: {
      nodes: arr(r.refund_line_items).map((l) => {
        const item = (l.line_item ?? {}) as Obj;
        return {
          id: gid('RefundLineItem', l.id),
          quantity: l.quantity,
          restockType: String(l.restock_type ?? 'no_restock').toUpperCase(),
          lineItem: {
            id: String(item.admin_graphql_api_id ?? gid('LineItem', item.id)),
            sku: item.sku ?? null,
            name: item.name ?? item.title,
          },
          subtotalSet: bag(l.subtotal_set, l.subtotal, currency),
          totalTaxSet: bag(l.total_tax_set, l.total_tax, currency),
        };
      }),
    },
    transactions: {
      nodes: arr(r.transactions).map((t) => ({
        id: String(t.admin_graphql_api_id ?? gid('OrderTransaction', t.id)),
        kind: String(t.kind).toUpperCase(),
        status: String(t.status).toUpperCase(),
        test: t.test === true,
        // OrderTransaction.gateway (tenders.md §1.2 [doc S5]): the REST transaction's own gateway.
        gateway: String(t.gateway ?? ''),
        amountSet: bag(t.amount_set, t.amount, String(t.currency ?? currency)),
      })),
    },
    orderAdjustments: {
      nodes: arr(r.order_adjustments).map((a) => ({
        id: gid('OrderAdjustment', a.id),
        kind: String(a.kind).toUpperCase(),
        reason: a.reason ?? null,
        amountSet: bag(a.amount_set, a.amount, currency),
        taxAmountSet: bag(a.tax_amount_set, a.tax_amount, currency),
      })),
    },
  }));
  const dates = [order.updated_at, order.created_at, ...refunds.map((r) => r.createdAt)].filter(Boolean).map(String);
  return {
    id: String(order.admin_graphql_api_id ?? gid('Order', order.id)),
    legacyResourceId: String(order.id),
    name: String(order.name ?? `#${String(order.order_number)}`),
    test: order.test === true,
    currencyCode: currency,
    presentmentCurrencyCode: String(order.presentment_currency ?? currency),
    updatedAt: new Date(Math.max(...dates.map((d) => Date.parse(d)))).toISOString().replace(/\.\d+Z$/, 'Z'),
    refunds,
  };
}

export function demoShopifyOrdersFile(): string {
  return path.resolve(__dirname, '../../../resources/demo/shopify-orders.json');
}

/** The demo workspace's Shopify orders as the emulator's data set (sorted by updatedAt, as served). */
export function demoShopifyData(file = demoShopifyOrdersFile()): ShopifyData {
  const json = JSON.parse(fs.readFileSync(file, 'utf8')) as { orders?: Obj[] } | Obj[];
  const rest = Array.isArray(json) ? json : arr(json.orders);
  const orders = rest.map(restOrderToGraphql).sort((a, b) => String(a.updatedAt).localeCompare(String(b.updatedAt)));
  return {
    shopCurrency: String(rest[0]?.currency ?? 'USD'),
    orders,
    refundCount: orders.reduce((n, o) => n + (o.refunds as unknown[]).length, 0),
  };
}
