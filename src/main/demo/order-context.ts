import type { NetsuiteOrderContext, OrderContextFile, StorefrontOrderContext } from '../sync/types';
import { type CaseKind, rng } from './cases';
import type { NsRecord, ShopOrder } from './model';

/**
 * The demo's sync data (issue 6): how NetSuite holds each demo order (billing record, deposit, item
 * internal ids, currency) and how the storefront holds it (order, line and transaction ids). It is
 * what a live connection would read (NetSuite SuiteQL on the order's billing record, Shopify's
 * order), written as `resources/demo/order-context.json` for the offline demo. Deterministic for a
 * seed, and derived from the same model as the export files, so it agrees with them:
 *
 * - the order is billed the way its refunds were recorded (Cash Refund ← Cash Sale, Credit Memo ←
 *   Invoice); orders whose NetSuite refund was made against the Sales Order are not billed yet
 *   (every second one has a Customer Deposit taken up front);
 * - NetSuite holds the order in the currency its refund records are in (the currency-mismatch case
 *   holds a EUR order in USD);
 * - NetSuite names an item the way its refund record does (the line-mismatch case: the storefront
 *   SKU is not an item of the NetSuite order, so it needs an item mapping).
 */

export const DEMO_ORDER_CONTEXT_FILE = 'order-context.json';

/** Shop-level ids the Shopify REST model writes (see model.ts `shopifyOrderObject`). */
const SHOPIFY_LOCATION = 'gid://shopify/Location/24826418';

/** NetSuite settings of the demo account: the refund items a sync posts amounts against. */
export const DEMO_SYNC_OPTIONS = {
  genericItemId: '9001',
  shippingItemId: '9002',
  taxOnlyItemId: '9003',
  refundAccountId: '122',
  currencyIds: { USD: '1', GBP: '2', EUR: '4', JPY: '6' },
} as const;

/**
 * Orders flagged as test orders in the demo (Shopify `test: true`), chosen by the case planted on
 * them so that a dry run of them shows both outcomes: passes (refunds not yet in NetSuite, one on a
 * Cash Sale and one on an Invoice) and failures with distinct reasons (already synced, not billed,
 * unmapped SKU, currency, no money moved). The flag changes no reconciliation result.
 */
export const DEMO_TEST_ORDER_PLAN: ReadonlyArray<readonly [CaseKind, number]> = [
  ['missing_in_netsuite', 2],
  ['record_type_mismatch', 2],
  ['line_mismatch', 1],
  ['currency_mismatch', 1],
  ['no_money_moved', 1],
];

/** Marks the demo's test orders (in place); returns their references. */
export function markDemoTestOrders(orders: ShopOrder[], kinds: readonly CaseKind[], netsuite: NsRecord[]): string[] {
  const picked: ShopOrder[] = [];
  for (const [kind, count] of DEMO_TEST_ORDER_PLAN) {
    picked.push(...orders.filter((_, i) => kinds[i] === kind).slice(0, count));
  }
  // One refund the sync already wrote: its NetSuite record carries the sync's External ID.
  const synced = orders.find(
    (o, i) =>
      kinds[i] === 'matched_partial' &&
      netsuite.some((r) => r.orderRef === `#${o.number}` && /^shopify-refund-/.test(r.externalId)),
  );
  if (synced) picked.push(synced);
  for (const o of picked) o.test = true;
  return picked.map((o) => `#${o.number}`).sort();
}

function orderTotal(order: ShopOrder): number {
  let total = order.shipping;
  for (const l of order.lines) total += (l.price + l.taxPerUnit) * l.quantity;
  return total;
}

export function generateOrderContext(orders: ShopOrder[], netsuite: NsRecord[], seed: number): OrderContextFile {
  const rand = rng(seed ^ 0x0c0b7e47);
  let nextId = 61_000 + Math.floor(rand() * 900);
  const newId = () => {
    nextId += 1 + Math.floor(rand() * 3);
    return String(nextId);
  };
  const byOrder = new Map<string, NsRecord[]>();
  for (const r of netsuite) {
    if (!r.orderRef || r.status !== 'ok') continue;
    const list = byOrder.get(r.orderRef) ?? [];
    list.push(r);
    byOrder.set(r.orderRef, list);
  }
  // Item internal ids: one per SKU, whether the storefront or NetSuite names it.
  const skus = new Set<string>();
  for (const o of orders) for (const l of o.lines) skus.add(l.sku);
  for (const r of netsuite) for (const l of r.lines) if (l.role === 'item') skus.add(l.item);
  const itemIds = new Map([...skus].sort().map((sku, i) => [sku, String(310 + i * 4)]));

  const ns: NetsuiteOrderContext[] = [];
  const sf: StorefrontOrderContext[] = [];
  let unbilled = 0;
  for (const order of orders) {
    const ref = `#${order.number}`;
    const records = byOrder.get(ref) ?? [];
    const currency = records.find((r) => r.type !== 'Customer Refund')?.currency ?? order.currency;
    const total = currency === order.currency ? orderTotal(order) : null;

    // NetSuite's name for each ordered item: as its refund records name the refunded lines.
    const nsItems = new Set(records.flatMap((r) => r.lines.filter((l) => l.role === 'item').map((l) => l.item)));
    const orderSkus = order.lines.map((l) => l.sku);
    const refundedSkus = order.refunds.flatMap((r) =>
      r.lines.map((rl) => order.lines.find((l) => l.id === rl.lineItemId)!.sku),
    );
    const names = new Map(orderSkus.map((s) => [s, s]));
    for (const item of nsItems) {
      if (orderSkus.includes(item)) continue;
      const renamed = refundedSkus.find((s) => !nsItems.has(s) && names.get(s) === s);
      if (renamed) names.set(renamed, item);
    }

    const againstOrder = records.some((r) => r.createdFrom.startsWith('Sales Order'));
    let billing: NetsuiteOrderContext['billing'];
    let deposit: NetsuiteOrderContext['deposit'] = null;
    if (againstOrder) {
      billing = { type: 'none' };
      if (unbilled++ % 2 === 1) deposit = { id: newId(), amount: total ?? 0 };
    } else if (order.billedBy === 'invoice') {
      billing = { type: 'invoice', id: newId(), tranId: `INV${order.number}` };
    } else {
      billing = { type: 'cashSale', id: newId(), tranId: `CS${order.number}` };
    }
    ns.push({
      orderRef: ref,
      customerId: String(8_200 + order.number),
      currency,
      billing,
      deposit,
      items: orderSkus.map((s) => {
        const name = names.get(s)!;
        return { sku: name, itemId: itemIds.get(name)! };
      }),
      orderTotal: total,
      subsidiaryId: '1',
      locationId: '',
      orderDate: order.createdAt.slice(0, 10),
    });
    sf.push({
      orderRef: ref,
      orderId: `gid://shopify/Order/${order.id}`,
      currency: order.currency,
      presentmentCurrency: order.presentmentCurrency !== order.currency ? order.presentmentCurrency : null,
      orderTotal: orderTotal(order),
      lines: order.lines.map((l) => ({
        sku: l.sku,
        lineItemId: `gid://shopify/LineItem/${l.id}`,
        quantity: l.quantity,
        taxRateId: '',
      })),
      shippingLineId: order.shipping > 0 ? String(order.id + 1) : '',
      // model.ts writes refund transactions with parent_id = order id + 2 (the order's SALE).
      payment: {
        parentId: `gid://shopify/OrderTransaction/${order.id + 2}`,
        gateway: 'shopify_payments',
        providerId: '',
      },
      // tenders.md §5: every SALE/CAPTURE (the demo's orders are paid by one card SALE) and the customer.
      payments: [
        {
          parentId: `gid://shopify/OrderTransaction/${order.id + 2}`,
          gateway: 'shopify_payments',
          kind: 'card',
          refundable: null,
        },
      ],
      customerId: `gid://shopify/Customer/${8_200 + order.number}`,
      storeCurrency: null,
      disputes: [],
      locationId: SHOPIFY_LOCATION,
      orderDate: order.createdAt.slice(0, 10),
    });
  }
  return { netsuite: ns, storefront: sf };
}

/** JSON text of the order-context file (stable key order, two-space indent). */
export function orderContextText(file: OrderContextFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}
