import { decimal, int, isoDay, pick, rng, SKUS } from '../common/random';

/**
 * A BigCommerce store's orders and refunds in the v3 payment-actions shapes (apis.md §3): refunds
 * `{id, order_id, user_id, created, reason, total_amount, total_tax, uses_merchant_override_values,
 * items[], payments[]}`, money as 2-dp JSON numbers, items bound to order products (quantity) or
 * to shipping / the order (amount). Refund ids increase with `created`. Deterministic per seed.
 */

export type Obj = Record<string, unknown>;

export interface BcOrderProduct {
  id: number;
  sku: string;
  name: string;
  /** Unit price in minor units, and tax per unit. */
  price: number;
  tax: number;
  quantity: number;
  refunded: number;
}

export interface BcOrder {
  id: number;
  customer_id: number;
  currency_code: string;
  date_created: string;
  shipping_address_id: number;
  shipping: number;
  products: BcOrderProduct[];
  /** Minor units refunded so far (quotes never offer more than what is left). */
  refundedTotal: number;
  total: number;
  payment_provider: string;
}

export interface BigcommerceData {
  storeHash: string;
  currency: string;
  orders: BcOrder[];
  /** Refund objects exactly as the API returns them, ordered by id. */
  refunds: Obj[];
}

/**
 * An order product as `GET /v2/orders/{id}/products` returns it (bigcommerce/docs
 * reference/orders.v2.oas2.yml, schema `orderProducts` and its example): money as 4-decimal
 * strings, SKU and name here and nowhere on the v3 refund.
 */
export function orderProductJson(order: BcOrder, p: BcOrderProduct): Obj {
  const four = (cents: number) => `${decimal(cents, 2)}00`;
  return {
    id: p.id,
    order_id: order.id,
    product_id: 1000 + p.id,
    order_address_id: order.shipping_address_id,
    name: p.name,
    sku: p.sku,
    type: 'physical',
    base_price: four(p.price),
    price_ex_tax: four(p.price),
    price_inc_tax: four(p.price + p.tax),
    price_tax: four(p.tax),
    base_total: four(p.price * p.quantity),
    total_ex_tax: four(p.price * p.quantity),
    total_inc_tax: four((p.price + p.tax) * p.quantity),
    total_tax: four(p.tax * p.quantity),
    quantity: p.quantity,
    is_refunded: p.refunded >= p.quantity,
    quantity_refunded: p.refunded,
    refund_amount: '0.0000',
    applied_discounts: [],
  };
}

/** Every order product of the data set by order-product id (what a pull fetches). */
export function orderProductIndex(data: BigcommerceData): Map<string, Obj> {
  const index = new Map<string, Obj>();
  for (const order of data.orders) for (const p of order.products) index.set(String(p.id), orderProductJson(order, p));
  return index;
}

/** Minor units → BigCommerce's 2-dp JSON number. */
export function bcNumber(minor: number): number {
  return Number(decimal(minor, 2));
}

export function generateBigcommerceData(options: {
  refunds: number;
  seed?: number;
  storeHash?: string;
}): BigcommerceData {
  const random = rng(options.seed ?? 17);
  const orders: BcOrder[] = [];
  const refunds: Obj[] = [];
  let orderId = 100;
  let productId = 1;
  let refundId = 0;
  let paymentId = 0;
  const perDay = Math.max(1, options.refunds / 120);
  while (refunds.length < options.refunds) {
    orderId += 1;
    const dayOffset = Math.floor(refunds.length / perDay);
    const products: BcOrderProduct[] = [];
    for (let i = 0, n = int(random, 1, 3); i < n; i++) {
      const [sku, name, price] = pick(random, SKUS);
      products.push({
        id: productId++,
        sku,
        name,
        price,
        tax: Math.round(price * 0.08),
        quantity: int(random, 1, 3),
        refunded: 0,
      });
    }
    const shipping = pick(random, [0, 499, 799]);
    const order: BcOrder = {
      id: orderId,
      customer_id: random() < 0.15 ? 0 : int(random, 1, 900),
      currency_code: 'USD',
      date_created: `${isoDay(dayOffset)}T09:00:00+00:00`,
      shipping_address_id: orderId + 5000,
      shipping,
      products,
      refundedTotal: 0,
      total: products.reduce((n, p) => n + (p.price + p.tax) * p.quantity, 0) + shipping,
      payment_provider: pick(random, ['braintree', 'stripe', 'paypalcommerce']),
    };
    orders.push(order);
    for (let r = 0, count = random() < 0.8 ? 1 : 2; r < count && refunds.length < options.refunds; r++) {
      const items: Obj[] = [];
      let amount = 0;
      let tax = 0;
      for (const p of products) {
        const left = p.quantity - p.refunded;
        if (left <= 0 || random() < 0.3) continue;
        const quantity = int(random, 1, left);
        p.refunded += quantity;
        amount += (p.price + p.tax) * quantity;
        tax += p.tax * quantity;
        items.push({
          item_type: 'PRODUCT',
          item_id: p.id,
          quantity,
          requested_amount: null,
          reason: random() < 0.5 ? 'Damaged' : null,
        });
      }
      if (shipping > 0 && random() < 0.3) {
        amount += shipping;
        items.push({
          item_type: 'SHIPPING',
          item_id: order.shipping_address_id,
          quantity: null,
          requested_amount: bcNumber(shipping),
          reason: 'Shipping refund',
        });
      }
      if (items.length === 0 || random() < 0.1) {
        const goodwill = int(random, 100, 1500);
        amount += goodwill;
        items.push({
          item_type: 'ORDER',
          item_id: order.id,
          quantity: null,
          requested_amount: bcNumber(goodwill),
          reason: 'Goodwill',
        });
      }
      order.refundedTotal += amount;
      refundId += 1;
      const declined = random() < 0.04;
      const storeCredit = order.customer_id !== 0 && random() < 0.15;
      const payments: Obj[] = [
        {
          id: ++paymentId,
          provider_id: storeCredit ? 'storecredit' : order.payment_provider,
          amount: bcNumber(amount),
          offline: storeCredit,
          is_declined: declined,
          declined_message: declined ? 'Card issuer declined the refund' : '',
          ...(storeCredit ? {} : { transaction_id: `txn_${orderId}_${refundId}` }),
        },
      ];
      const hour = String(10 + r).padStart(2, '0');
      refunds.push({
        id: refundId,
        order_id: order.id,
        user_id: random() < 0.5 ? 0 : int(random, 1, 20),
        created: `${isoDay(dayOffset)}T${hour}:${String(refundId % 60).padStart(2, '0')}:00+00:00`,
        reason: pick(random, ['Customer requires a refund.', 'Item arrived damaged', 'Wrong size', '']),
        total_amount: bcNumber(amount),
        total_tax: bcNumber(tax),
        uses_merchant_override_values: false,
        items,
        payments,
      });
    }
  }
  return { storeHash: options.storeHash ?? 'emu4store', currency: 'USD', orders, refunds };
}
