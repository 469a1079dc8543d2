import { decimal, int, isoDay, pick, rng, SKUS } from '../common/random';

/**
 * A WooCommerce store's orders and their refunds in REST API v3 shapes (apis.md §4): money as
 * decimal strings, refund line values negative (`"quantity": -1, "subtotal": "-9.00", "price": -9`)
 * with `_refunded_item_id` meta pointing at the order line, `date_created` in site time without an
 * offset plus `date_created_gmt`, and each order listing its refunds as `{id, reason, total}`.
 * Deterministic per seed; order and refund ids increase.
 */

export type Obj = Record<string, unknown>;

export interface WooData {
  currency: string;
  /** Site timezone offset from GMT in hours (dates without offset are site time). */
  siteOffsetHours: number;
  orders: Obj[];
  /** Full refund objects by order id, newest first as WooCommerce lists them by default. */
  refunds: Map<number, Obj[]>;
  refundCount: number;
}

const money = (minor: number) => decimal(minor, 2);

function siteTime(day: string, hour: number, minute: number): { local: string; gmt: string } {
  const gmt = new Date(`${day}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00Z`);
  const local = new Date(gmt.getTime() - 5 * 3600_000); // site in UTC-5
  return { local: local.toISOString().slice(0, 19), gmt: gmt.toISOString().slice(0, 19) };
}

export function generateWooData(options: { refunds: number; seed?: number; currency?: string }): WooData {
  const random = rng(options.seed ?? 23);
  const currency = options.currency ?? 'USD';
  const orders: Obj[] = [];
  const refunds = new Map<number, Obj[]>();
  let made = 0;
  let orderId = 2000;
  let lineId = 100;
  let refundId = 5000;
  const perDay = Math.max(1, options.refunds / 120);
  while (made < options.refunds) {
    orderId += 1;
    const day = isoDay(Math.floor(made / perDay));
    const created = siteTime(day, 8, orderId % 60);
    const lines: Obj[] = [];
    let subtotal = 0;
    let taxTotal = 0;
    for (let i = 0, n = int(random, 1, 3); i < n; i++) {
      const [sku, name, price] = pick(random, SKUS);
      const quantity = int(random, 1, 3);
      const total = price * quantity;
      const tax = Math.round(total * 0.1);
      subtotal += total;
      taxTotal += tax;
      lines.push({
        id: ++lineId,
        name,
        product_id: 300 + SKUS.findIndex((s) => s[0] === sku),
        variation_id: 0,
        quantity,
        tax_class: '',
        subtotal: money(total),
        subtotal_tax: money(tax),
        total: money(total),
        total_tax: money(tax),
        taxes: [{ id: 1, total: money(tax), subtotal: money(tax) }],
        meta_data: [],
        sku,
        price: price / 100,
      });
    }
    const shippingTotal = pick(random, [0, 500, 995]);
    const shippingLines =
      shippingTotal > 0
        ? [
            {
              id: ++lineId,
              method_title: 'Flat rate',
              method_id: 'flat_rate',
              total: money(shippingTotal),
              total_tax: '0.00',
            },
          ]
        : [];
    // Orders with no refund are listed too (the pull must skip them without extra requests).
    const count = random() < 0.25 ? 0 : random() < 0.8 ? 1 : 2;
    const orderRefunds: Obj[] = [];
    const refunded = new Map<number, number>();
    for (let r = 0; r < count && made < options.refunds; r++) {
      const refundLines: Obj[] = [];
      let amount = 0;
      for (const line of lines) {
        const left = Number(line.quantity) - (refunded.get(Number(line.id)) ?? 0);
        if (left <= 0 || random() < 0.35) continue;
        const q = int(random, 1, left);
        refunded.set(Number(line.id), (refunded.get(Number(line.id)) ?? 0) + q);
        const unit = Math.round(Number(line.price) * 100);
        const total = unit * q;
        const tax = Math.round(total * 0.1);
        amount += total + tax;
        refundLines.push({
          id: ++lineId,
          name: line.name,
          product_id: line.product_id,
          variation_id: 0,
          quantity: -q,
          tax_class: '',
          subtotal: money(-total),
          subtotal_tax: money(-tax),
          total: money(-total),
          total_tax: money(-tax),
          taxes: [{ id: 1, total: money(-tax), subtotal: money(-tax) }],
          meta_data: [
            { id: ++lineId, key: '_refunded_item_id', value: String(line.id), display_key: '_refunded_item_id' },
          ],
          sku: line.sku,
          price: -(unit / 100),
        });
      }
      const refundShipping = shippingTotal > 0 && r === 0 && random() < 0.3;
      if (refundShipping) amount += shippingTotal;
      // Amount-only refunds (no lines): a partial goodwill refund.
      if (refundLines.length === 0 && !refundShipping) amount += int(random, 200, 2000);
      made += 1;
      const at = siteTime(isoDay(Math.floor(made / perDay) + 1), 14 + r, refundId % 60);
      const id = ++refundId;
      orderRefunds.push({
        id,
        date_created: at.local,
        date_created_gmt: at.gmt,
        amount: money(amount),
        reason: pick(random, ['Damaged in transit', 'Wrong size', '', 'Customer changed mind']),
        refunded_by: 1,
        refunded_payment: random() < 0.8,
        meta_data: [],
        line_items: refundLines,
        ...(refundShipping
          ? {
              shipping_lines: [
                {
                  id: ++lineId,
                  method_title: 'Flat rate',
                  method_id: 'flat_rate',
                  total: money(-shippingTotal),
                  total_tax: '0.00',
                  meta_data: [],
                },
              ],
            }
          : {}),
        _links: {},
      });
    }
    const grand = subtotal + taxTotal + shippingTotal;
    const order: Obj = {
      id: orderId,
      parent_id: 0,
      number: String(orderId),
      order_key: `wc_order_${orderId}`,
      status: orderRefunds.length > 0 ? 'refunded' : 'completed',
      currency,
      date_created: created.local,
      date_created_gmt: created.gmt,
      date_modified: orderRefunds.length > 0 ? String(orderRefunds.at(-1)!.date_created) : created.local,
      date_modified_gmt: orderRefunds.length > 0 ? String(orderRefunds.at(-1)!.date_created_gmt) : created.gmt,
      discount_total: '0.00',
      shipping_total: money(shippingTotal),
      total: money(grand),
      total_tax: money(taxTotal),
      prices_include_tax: false,
      customer_id: int(random, 0, 500),
      payment_method: 'stripe',
      line_items: lines,
      shipping_lines: shippingLines,
      // Newest first, as WooCommerce lists an order's refunds.
      refunds: [...orderRefunds].reverse().map((r) => ({ id: r.id, reason: r.reason, total: `-${r.amount}` })),
    };
    orders.push(order);
    refunds.set(orderId, [...orderRefunds].reverse());
  }
  return { currency, siteOffsetHours: -5, orders, refunds, refundCount: made };
}
