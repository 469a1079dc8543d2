import type { ErrorLocation } from '../../shared/errors';
import type { CanonicalRefundInput, RefundLine, Tender } from '../../shared/model';
import { addMinor } from '../../shared/money';
import { type OrderProducts, priceRefundedProduct } from '../importers/bigcommerce-order-products';
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
import { bigcommercePaymentKind } from '../tenders/storefront-kinds';

/**
 * `bigcommerce-json`: the v3 refunds collection `{"data":[Refund…],"meta":{…}}` (apis.md §3), or a
 * single `{"data":Refund}`, or a bare array. BigCommerce refunds do not carry their currency: it
 * comes from a `currency` / `currency_code` field when present, else from the import's currency option.
 * Money moved = the payments that were not declined. PRODUCT items carry no SKU and no amount (the
 * v3 `RefundItem` schema): they become lines priced through the order's products
 * (bigcommerce-order-products.ts); when any product of the refund cannot be priced, the refund keeps
 * no item lines (kind `line_item`, compared on its total, and the hint says so) — a line is never
 * invented. SHIPPING/HANDLING are shipping, TAX is tax, ORDER and FEE are generic adjustments;
 * GIFT_WRAPPING with a requested amount is generic too.
 */
export function bigcommerceRefundToRefund(
  refund: Obj,
  options: { file?: string; line?: number; currency?: string; orderProducts?: OrderProducts } = {},
): CanonicalRefundInput {
  const where: ErrorLocation = { file: options.file ?? 'bigcommerce', line: options.line };
  const at = (field: string): ErrorLocation => ({ ...where, field });
  const id = requireString(refund.id, at('id'), 'the refund id');
  const rawCurrency = optString(refund.currency ?? refund.currency_code) || options.currency;
  if (!rawCurrency) {
    // Code `currency_required`: each face words its own advice (the CLI a flag, the app a control).
    throw inputError(
      'currency_required',
      "BigCommerce refunds do not say their currency: give the store's currency (such as USD) for this import.",
      at('currency'),
    );
  }
  const currency = currencyAt(rawCurrency, at('currency'));
  let total = 0;
  let declined = 0;
  const payments = Array.isArray(refund.payments) ? refund.payments : [];
  // One tender per payment not declined (tenders.md §1.2); undefined = the default `other`.
  let tenders: Tender[] | undefined = [];
  for (const [k, p] of payments.entries()) {
    if (!isObj(p)) continue;
    if (p.is_declined === true) {
      declined++;
      continue;
    }
    const amount = jsonMoney(p.amount, currency, at(`payments[${k}].amount`));
    total = addMinor(total, amount);
    const gateway = optString(p.provider_id);
    if (amount > 0) {
      tenders?.push({
        kind: bigcommercePaymentKind(gateway, p.offline === true),
        gateway,
        amount,
        presentmentAmount: null,
        state: 'settled',
        ref: optString(p.id),
      });
    } else if (amount < 0) tenders = undefined;
  }
  const moved = payments.length === 0 ? refund.total_amount !== undefined : declined < payments.length;
  if (payments.length === 0 && refund.total_amount !== undefined)
    total = jsonMoney(refund.total_amount, currency, at('total_amount'));
  const lines: RefundLine[] = [];
  let shipping = 0;
  let adjustment = 0;
  let tax = optionalMoney(refund.total_tax, currency, at('total_tax'));
  let items = 0;
  let unpriced = false;
  const list = Array.isArray(refund.items) ? refund.items : [];
  for (const [k, it] of list.entries()) {
    if (!isObj(it)) continue;
    const type = optString(it.item_type).toUpperCase();
    const amount = optionalMoney(it.requested_amount ?? it.amount, currency, at(`items[${k}].requested_amount`));
    if (type === 'PRODUCT') {
      items++;
      const quantity = it.quantity === undefined || it.quantity === null ? 0 : Number(it.quantity);
      if (!Number.isSafeInteger(quantity)) {
        throw inputError('bad_quantity', badQuantity(it.quantity), at(`items[${k}].quantity`));
      }
      const priced = priceRefundedProduct(
        options.orderProducts?.get(optString(it.item_id)),
        quantity,
        currency,
        it.adjustments,
      );
      if (priced) {
        lines.push({
          sku: priced.sku,
          description: priced.description,
          quantity,
          amount: priced.amount,
          tax: 0,
          role: 'item',
        });
      } else unpriced = true;
    } else if (type === 'GIFT_WRAPPING') {
      if (amount !== 0) {
        adjustment = addMinor(adjustment, amount);
        lines.push({ sku: '', description: 'gift wrapping', quantity: 0, amount, tax: 0, role: 'generic' });
      }
    } else if (type === 'SHIPPING' || type === 'HANDLING') {
      shipping = addMinor(shipping, amount);
      lines.push({ sku: '', description: type.toLowerCase(), quantity: 0, amount, tax: 0, role: 'shipping' });
    } else if (type === 'TAX') {
      if (refund.total_tax === undefined) tax = addMinor(tax, amount);
    } else {
      adjustment = addMinor(adjustment, amount);
      lines.push({
        sku: '',
        description: optString(it.reason) || type.toLowerCase(),
        quantity: 0,
        amount,
        tax: 0,
        role: 'generic',
      });
    }
  }
  // One product not priced: the lines would not describe the refund, so none are kept.
  const kept = unpriced ? lines.filter((l) => l.role !== 'item') : lines;
  return {
    side: 'storefront',
    id,
    documentNumber: id,
    recordType: 'refund',
    orderRef: optString(refund.order_id),
    createdFrom: null,
    date: isoDateAt(refund.created, at('created')),
    currency,
    total: moved ? total : 0,
    shipping,
    tax,
    adjustment,
    lines: kept,
    kind: items > 0 ? 'line_item' : 'general',
    externalId: '',
    memo: optString(refund.reason),
    isTest: false,
    status: moved ? 'ok' : 'failed',
    appliesTo: '',
    moneyMoved: moved,
    // Product items that could not be priced: the lines are not known, the total is (issue 14).
    ...(unpriced ? { linesExported: false } : {}),
    presentment: null,
    // No payments but a total: the default single `other` tender.
    ...(moved && payments.length > 0 && tenders ? { tenders } : {}),
  };
}
