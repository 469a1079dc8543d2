import type { ErrorLocation } from '../../shared/errors';
import type { CanonicalRefundInput, RefundLine, Tender } from '../../shared/model';
import { addMinor } from '../../shared/money';
import {
  badQuantity,
  currencyAt,
  inputError,
  isObj,
  isoDateAt,
  jsonMoney,
  type Obj,
  optionalMoney,
  optString,
  requireString,
} from '../importers/common';

/**
 * `woocommerce-json`: v3 order refunds (apis.md §4) — an array of refunds (`GET …/orders/<id>/refunds`),
 * or orders carrying refunds (`"refunds"` with full refund objects, or the order's own summary
 * `{id, reason, total}`, which becomes an order-level `general` refund dated by the order).
 * Refund line values are negative in WooCommerce; they are turned positive. Line totals may have
 * six decimals: they are rounded half-up to the currency.
 */
const HALF_UP = { excessDecimals: 'half-up' as const };

function orderIdFromLinks(refund: Obj): string {
  const links = isObj(refund._links) ? refund._links.up : undefined;
  if (Array.isArray(links)) {
    for (const link of links) {
      const m = /\/orders\/(\d+)/.exec(optString(isObj(link) ? link.href : ''));
      if (m) return m[1]!;
    }
  }
  return optString(refund.parent_id ?? refund.order_id);
}

export interface WooOrderInfo {
  number?: string;
  currency?: string;
  date?: unknown;
  /** The order's `payment_method` (the gateway id), when the file carries orders. */
  paymentMethod?: string;
}

/**
 * tenders.md §1.2: a WooCommerce refund has no gateway of its own. `refunded_payment: true` (refunded
 * through the gateway's API [doc S10]) → card, gateway the order's `payment_method` when known;
 * `false` → other/manual (money, if any, moved outside WooCommerce); absent → the default `other`.
 */
function wooTenders(refund: Obj, order: WooOrderInfo | undefined, total: number): Tender[] | undefined {
  if (total <= 0 || typeof refund.refunded_payment !== 'boolean') return undefined;
  const ref = '';
  if (refund.refunded_payment) {
    return [
      {
        kind: 'card',
        gateway: order?.paymentMethod ?? '',
        amount: total,
        presentmentAmount: null,
        state: 'settled',
        ref,
      },
    ];
  }
  return [{ kind: 'other', gateway: 'manual', amount: total, presentmentAmount: null, state: 'settled', ref }];
}

export function woocommerceRefundToRefund(
  refund: Obj,
  order: WooOrderInfo | undefined,
  options: { file?: string; line?: number; currency?: string } = {},
): CanonicalRefundInput {
  const where: ErrorLocation = { file: options.file ?? 'woocommerce', line: options.line };
  const at = (field: string): ErrorLocation => ({ ...where, field });
  const id = requireString(refund.id, at('id'), 'the refund id');
  const rawCurrency = optString(refund.currency) || order?.currency || options.currency;
  if (!rawCurrency) {
    // Code `currency_required`: each face words its own advice (the CLI a flag, the app a control).
    throw inputError(
      'currency_required',
      "WooCommerce refunds do not say their currency: export the orders with their refunds, or give the store's currency (such as USD) for this import.",
      at('currency'),
    );
  }
  const currency = currencyAt(rawCurrency, at('currency'));
  const summary = refund.amount === undefined && refund.total !== undefined;
  const total = summary
    ? Math.abs(jsonMoney(refund.total, currency, at('total'), HALF_UP))
    : jsonMoney(refund.amount, currency, at('amount'), HALF_UP);
  const lines: RefundLine[] = [];
  let tax = 0;
  let shipping = 0;
  const items = Array.isArray(refund.line_items) ? refund.line_items : [];
  for (const [k, l] of items.entries()) {
    if (!isObj(l)) continue;
    const q = Number(l.quantity ?? 0);
    if (!Number.isSafeInteger(q))
      throw inputError('bad_quantity', badQuantity(l.quantity), at(`line_items[${k}].quantity`));
    const amount = Math.abs(optionalMoney(l.total ?? l.subtotal, currency, at(`line_items[${k}].total`), HALF_UP));
    const lineTax = Math.abs(optionalMoney(l.total_tax, currency, at(`line_items[${k}].total_tax`), HALF_UP));
    tax = addMinor(tax, lineTax);
    lines.push({
      sku: optString(l.sku),
      description: optString(l.name),
      quantity: Math.abs(q),
      amount,
      tax: lineTax,
      role: 'item',
    });
  }
  const shippingLines = Array.isArray(refund.shipping_lines) ? refund.shipping_lines : [];
  for (const [k, s] of shippingLines.entries()) {
    if (!isObj(s)) continue;
    const amount = Math.abs(optionalMoney(s.total, currency, at(`shipping_lines[${k}].total`), HALF_UP));
    const shipTax = Math.abs(optionalMoney(s.total_tax, currency, at(`shipping_lines[${k}].total_tax`), HALF_UP));
    shipping = addMinor(shipping, amount);
    tax = addMinor(tax, shipTax);
    lines.push({
      sku: '',
      description: optString(s.method_title) || 'Shipping',
      quantity: 0,
      amount,
      tax: shipTax,
      role: 'shipping',
    });
  }
  const orderRef = order?.number ? `#${order.number}` : orderIdFromLinks(refund) ? `#${orderIdFromLinks(refund)}` : '';
  return {
    side: 'storefront',
    id,
    documentNumber: id,
    recordType: 'refund',
    orderRef,
    createdFrom: null,
    date: isoDateAt(refund.date_created ?? (summary ? order?.date : undefined), at('date_created')),
    currency,
    total,
    shipping,
    tax,
    adjustment: 0,
    lines,
    kind: items.length > 0 ? 'line_item' : 'general',
    externalId: '',
    memo: optString(refund.reason),
    isTest: false,
    status: 'ok',
    appliesTo: '',
    moneyMoved: total !== 0,
    presentment: null,
    ...optionalTenders(wooTenders(refund, order, total)),
  };
}

function optionalTenders(tenders: Tender[] | undefined): { tenders?: Tender[] } {
  return tenders ? { tenders } : {};
}
