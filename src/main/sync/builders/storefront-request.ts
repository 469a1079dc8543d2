import type { CanonicalRefund, Platform } from '../../../shared/model';
import { formatAmount, type MinorUnits, subtractMinor, sumMinor } from '../../../shared/money';
import { recordTypeLabel } from '../../../shared/record-labels';
import { shopifyGatewayKind } from '../../tenders/storefront-kinds';
import {
  hasExchangeData,
  type NetsuiteSyncSplit,
  netsuiteSplit,
  openChargeback,
  refundMethodsSupported,
} from '../tender-split';
import type { OrderPayment, StorefrontOrderContext, SyncOptions } from '../types';
import { apiDecimal, apiNumber, type BuildProblem, problem, sameSku } from './common';
import {
  chargebackOpen,
  creditAppliedElsewhere,
  EXCHANGE_REASON,
  GIFT_CARD_NO_SALE,
  SPLIT_TENDER_UNSUPPORTED,
  STORE_CREDIT_UNSUPPORTED,
  storeCreditExceedsPaid,
  storeCreditGuest,
  tenderMoney,
} from './tender-reasons';

/** One HTTP write to a storefront. BigCommerce sends a quote first, then the refund. */
export interface StorefrontWrite {
  kind:
    | 'shopify_refund_create'
    | 'bigcommerce_refund_quote'
    | 'bigcommerce_refund'
    | 'woocommerce_refund'
    | 'magento_refund';
  method: 'POST';
  /** Path relative to the store's API base. */
  path: string;
  body: Record<string, unknown>;
  /** True for a request that only calculates (the BigCommerce quote): a dry run may never send writes. */
  writes: boolean;
}

export interface PlannedStorefrontLine {
  role: 'item' | 'shipping' | 'amount';
  sku: string;
  lineItemId: string;
  quantity: number;
  amount: MinorUnits;
  tax: MinorUnits;
}

export interface StorefrontBuild {
  direction: 'netsuite_to_storefront';
  platform: Platform;
  sourceRecordId: string;
  orderRef: string;
  /** Idempotency key: one per NetSuite refund record (Shopify `@idempotent(key:)`, journal key). */
  idempotencyKey: string;
  mode: 'line_items' | 'amount_only';
  currency: string;
  total: MinorUnits;
  lines: PlannedStorefrontLine[];
  /** How the refund goes back (tenders §5.2): money, store credit and gift card, in minor units. */
  tenders: { money: number; storeCredit: number; giftCard: number };
  writes: StorefrontWrite[];
  problems: BuildProblem[];
  notes: string[];
}

/** What the storefront account can take (tenders §5.2–5.3). Absent: no store credit, no split. */
export interface StorefrontTenderSettings {
  /** The account's `storeCredit` capability. */
  storeCredit: boolean;
  /** The account's `splitTender` capability. */
  splitTender: boolean;
  /** Shopify Admin API version the push writes with. */
  shopifyApiVersion: string;
  /** `RefundInput`'s input fields by introspection (a read), or null when not asked. */
  refundInputFields: readonly string[] | null;
}

export interface StorefrontBuildSettings {
  platform: Platform;
  lineItemRefunds: 'yes' | 'no' | 'unknown';
  options: SyncOptions;
  tenders?: StorefrontTenderSettings;
}

/** The app's Shopify Admin API version when the account sets none. */
export const DEFAULT_SHOPIFY_API_VERSION = '2025-07';

/**
 * The order's SALE/CAPTURE transactions: `payments`, else the one `payment` of an older context
 * file (its kind from the gateway, tenders §1.2).
 */
export function orderPayments(order: StorefrontOrderContext): OrderPayment[] {
  if (order.payments.length > 0) return order.payments;
  const p = order.payment;
  if (!p.parentId && !p.providerId && !p.gateway) return [];
  return [
    {
      parentId: p.parentId,
      gateway: p.gateway || p.providerId,
      kind: shopifyGatewayKind(p.gateway || p.providerId, false),
      refundable: null,
    },
  ];
}

function isGuest(customerId: string): boolean {
  return customerId.trim() === '' || customerId.trim() === '0';
}

/** True when the body field named by the marker is set on the record (a checkbox `true` / `T`). */
export function markedByField(record: CanonicalRefund, marker: string): boolean {
  if (!marker) return false;
  const m = marker.trim().toLowerCase();
  return (record.bodyFlags ?? []).some((f) => f.toLowerCase() === m);
}

export const SHOPIFY_REFUND_CREATE = `mutation RefundCreate($input: RefundInput!, $idempotencyKey: String!) {
  refundCreate(input: $input) @idempotent(key: $idempotencyKey) {
    refund { id totalRefundedSet { shopMoney { amount currencyCode } } }
    order { id }
    userErrors { field message }
  }
}`;

export function storefrontIdempotencyKey(record: CanonicalRefund): string {
  return `netsuite-${record.recordType}-${record.id}`;
}

/** The note written on the storefront refund: names the NetSuite record and carries the key for read-back. */
export function refundNote(record: CanonicalRefund, key: string): string {
  return `NetSuite ${record.documentNumber || record.id} [${key}]`;
}

/**
 * NetSuite refund (Cash Refund or Credit Memo) → the storefront refund request the sync would send.
 * Pure; problems are returned so a dry run can show them beside the payload.
 */
export function buildStorefrontRequest(
  record: CanonicalRefund,
  order: StorefrontOrderContext | null,
  settings: StorefrontBuildSettings,
): StorefrontBuild {
  const problems: BuildProblem[] = [];
  const notes: string[] = [];
  const key = storefrontIdempotencyKey(record);
  const build: StorefrontBuild = {
    direction: 'netsuite_to_storefront',
    platform: settings.platform,
    sourceRecordId: record.id,
    orderRef: record.orderRef,
    idempotencyKey: key,
    mode: 'line_items',
    currency: record.currency,
    total: record.total,
    lines: [],
    tenders: { money: record.total, storeCredit: 0, giftCard: 0 },
    writes: [],
    problems,
    notes,
  };
  if (record.side !== 'netsuite') {
    problems.push(problem('wrong_side', `Refund ${record.id} is a storefront refund; only NetSuite records sync out.`));
    return build;
  }
  if (record.recordType !== 'cashRefund' && record.recordType !== 'creditMemo') {
    problems.push(
      problem(
        'not_a_refund_record',
        `NetSuite ${recordTypeLabel(record.recordType)} ${record.documentNumber || record.id} is not synced out: the connector picks up only Cash Refunds and Credit Memos created from orders it synced.`,
      ),
    );
    return build;
  }
  if (record.status !== 'ok') {
    problems.push(
      problem('not_ok', `NetSuite record ${record.documentNumber || record.id} is ${record.status}; it is not synced.`),
    );
    return build;
  }
  if (record.total <= 0) {
    problems.push(
      problem('nothing_to_refund', `NetSuite record ${record.documentNumber || record.id} has no positive total.`),
    );
    return build;
  }
  if (!record.orderRef) {
    problems.push(
      problem(
        'no_order_reference',
        `NetSuite record ${record.documentNumber || record.id} carries no storefront order reference.`,
      ),
    );
    return build;
  }
  if (!order) {
    problems.push(
      problem(
        'order_not_in_storefront',
        `Order ${record.orderRef} was not found in the storefront: check the order reference.`,
      ),
    );
    return build;
  }
  const refundCurrency = order.presentmentCurrency ?? order.currency;
  if (record.currency !== order.currency && record.currency !== refundCurrency) {
    problems.push(
      problem(
        'currency_mismatch',
        `NetSuite record ${record.documentNumber || record.id} is in ${record.currency}; the storefront order ${order.orderRef} is in ${refundCurrency}.`,
      ),
    );
    return build;
  }
  if (hasExchangeData(record)) {
    problems.push(problem('exchange_not_syncable', EXCHANGE_REASON));
    return build;
  }
  const chargeback = openChargeback(order.disputes);
  if (chargeback) {
    problems.push(problem('chargeback_open', chargebackOpen(order.orderRef, chargeback.status)));
    return build;
  }
  const split = netsuiteSplit(record, markedByField(record, settings.options.storeCreditMarker));
  if (split.appliedTo.length > 0) {
    problems.push(
      problem('credit_applied_elsewhere', creditAppliedElsewhere(split.appliedTo.map((a) => a.doc).join(', '))),
    );
    return build;
  }
  build.tenders = { money: split.money, storeCredit: split.storeCredit, giftCard: split.giftCard };
  const payments = orderPayments(order);
  const refusal = tenderRefusal(split, order, payments, settings, record.currency, notes);
  if (refusal) {
    problems.push(refusal);
    return build;
  }
  if (split.unverified > 0) {
    notes.push(
      `NetSuite does not say how ${tenderMoney(split.unverified, record.currency)} went back (no payment method): it is refunded to the order's gateway, tender unverified.`,
    );
  }
  if (order.orderTotal !== null && record.total > order.orderTotal) {
    problems.push(
      problem(
        'over_refund',
        `The refund of ${formatAmount(record.total, record.currency)} ${record.currency} exceeds the order total ${formatAmount(order.orderTotal, record.currency)}.`,
      ),
    );
  }

  const currency = record.currency;
  const amountOnly = settings.lineItemRefunds === 'no' || record.kind === 'general';
  const lines: PlannedStorefrontLine[] = [];
  if (amountOnly) {
    build.mode = 'amount_only';
    lines.push({ role: 'amount', sku: '', lineItemId: '', quantity: 0, amount: record.total, tax: 0 });
    notes.push(
      settings.lineItemRefunds === 'no'
        ? 'The storefront cannot refund single lines: the refund is sent as an amount only.'
        : 'The NetSuite record has no item lines (generic refund): the refund is sent as an amount only.',
    );
  } else {
    const reverseMap = new Map(Object.entries(settings.options.itemMap).map(([sf, ns]) => [ns.toLowerCase(), sf]));
    for (const line of record.lines.filter((l) => l.role === 'item')) {
      const sfSku = reverseMap.get(line.sku.toLowerCase()) ?? line.sku;
      const match = order.lines.find((l) => sameSku(l.sku, sfSku));
      if (!match) {
        problems.push(
          problem(
            'item_not_on_order',
            `NetSuite item ${line.sku} is not a line of storefront order ${order.orderRef}: add it to the item mapping or correct the SKU.`,
          ),
        );
      } else if (line.quantity > match.quantity) {
        problems.push(
          problem(
            'quantity_exceeds_order',
            `NetSuite refunds ${line.quantity} × ${line.sku}; the storefront order has ${match.quantity}.`,
          ),
        );
      }
      lines.push({
        role: 'item',
        sku: line.sku,
        lineItemId: match?.lineItemId ?? '',
        quantity: line.quantity,
        amount: line.amount,
        tax: line.tax,
      });
    }
    const shippingLines = record.lines.filter((l) => l.role === 'shipping');
    const shipping = shippingLines.length > 0 ? sumMinor(shippingLines.map((l) => l.amount)) : record.shipping;
    if (shipping > 0) {
      lines.push({
        role: 'shipping',
        sku: '',
        lineItemId: order.shippingLineId,
        quantity: 0,
        amount: shipping,
        tax: 0,
      });
    }
    const rest = subtractMinor(record.total, sumMinor(lines.map((l) => l.amount + l.tax)));
    if (rest > 0) {
      lines.push({ role: 'amount', sku: '', lineItemId: '', quantity: 0, amount: rest, tax: 0 });
      notes.push(
        `${formatAmount(rest, currency)} ${currency} is not tied to an item line (tax or generic refund item in NetSuite): it is refunded as an amount.`,
      );
    }
  }
  build.lines = lines;

  const note = refundNote(record, key);
  switch (settings.platform) {
    case 'shopify':
      build.writes.push(shopifyWrite(record, order, lines, settings.options, note, key, split, payments));
      if (split.money > 0 && !moneyPayment(order, payments)?.parentId) {
        problems.push(
          problem(
            'no_parent_transaction',
            `Shopify order ${order.orderRef} has no SALE/CAPTURE transaction to refund against.`,
          ),
        );
      }
      break;
    case 'bigcommerce':
      build.writes.push(...bigcommerceWrites(record, order, lines, note, split.storeCredit > 0));
      if (lines.some((l) => l.role === 'shipping') && !order.shippingLineId) {
        problems.push(
          problem(
            'no_shipping_address',
            `BigCommerce order ${order.orderRef}: the shipping refund needs the order address id.`,
          ),
        );
      }
      break;
    case 'woocommerce':
      build.writes.push(woocommerceWrite(record, order, lines, note, key));
      break;
    case 'magento':
      build.writes.push(magentoWrite(record, order, lines));
      break;
    default:
      problems.push(
        problem(
          'no_refund_api',
          `Refunds cannot be pushed to a ${settings.platform} storefront: set the direction to storefront → NetSuite or off.`,
        ),
      );
  }
  return build;
}

function shopifyWrite(
  record: CanonicalRefund,
  order: StorefrontOrderContext,
  lines: PlannedStorefrontLine[],
  options: SyncOptions,
  note: string,
  key: string,
  split: NetsuiteSyncSplit,
  payments: readonly OrderPayment[],
): StorefrontWrite {
  const currency = record.currency;
  const input: Record<string, unknown> = {
    orderId: order.orderId,
    note,
    notify: options.notifyCustomer,
  };
  if (order.presentmentCurrency && order.presentmentCurrency !== order.currency) input.currency = currency;
  const items = lines.filter((l) => l.role === 'item');
  if (items.length > 0) {
    input.refundLineItems = items.map((l) => ({
      lineItemId: l.lineItemId,
      quantity: l.quantity,
      restockType: options.restockType,
      ...(options.restockType !== 'NO_RESTOCK' && order.locationId ? { locationId: order.locationId } : {}),
    }));
  }
  const shipping = lines.find((l) => l.role === 'shipping');
  if (shipping) input.shipping = { amount: apiDecimal(shipping.amount, currency) };
  // Money to the order's gateway, a gift card onto its gift-card SALE, store credit as a refund
  // method (RefundInput.refundMethods [S1, S3]); `transactions: []` when no money moves.
  const transactions: Record<string, unknown>[] = [];
  const money = moneyPayment(order, payments);
  if (split.money > 0) {
    transactions.push({
      orderId: order.orderId,
      parentId: money?.parentId ?? '',
      amount: apiDecimal(split.money, currency),
      gateway: money?.gateway ?? '',
      kind: 'REFUND',
    });
  }
  if (split.giftCard > 0) {
    const gift = giftCardPayment(payments);
    transactions.push({
      orderId: order.orderId,
      parentId: gift?.parentId ?? '',
      amount: apiDecimal(split.giftCard, currency),
      gateway: 'gift_card',
      kind: 'REFUND',
    });
  }
  input.transactions = transactions;
  if (split.storeCredit > 0) {
    input.refundMethods = [
      { storeCreditRefund: { amount: { amount: apiDecimal(split.storeCredit, currency), currencyCode: currency } } },
    ];
  }
  return {
    kind: 'shopify_refund_create',
    method: 'POST',
    path: '/graphql.json',
    body: { query: SHOPIFY_REFUND_CREATE, variables: { input, idempotencyKey: key } },
    writes: true,
  };
}

function bigcommerceWrites(
  record: CanonicalRefund,
  order: StorefrontOrderContext,
  lines: PlannedStorefrontLine[],
  reason: string,
  storeCredit: boolean,
): StorefrontWrite[] {
  const currency = record.currency;
  const items = lines.map((l) => {
    if (l.role === 'item') return { item_type: 'PRODUCT', item_id: Number(l.lineItemId), quantity: l.quantity, reason };
    if (l.role === 'shipping')
      return {
        item_type: 'SHIPPING',
        item_id: Number(order.shippingLineId),
        amount: apiNumber(l.amount, currency),
        reason,
      };
    return { item_type: 'ORDER', item_id: Number(order.orderId), amount: apiNumber(l.amount, currency), reason };
  });
  const base = `/orders/${encodeURIComponent(order.orderId)}/payment_actions`;
  return [
    { kind: 'bigcommerce_refund_quote', method: 'POST', path: `${base}/refund_quotes`, body: { items }, writes: false },
    {
      kind: 'bigcommerce_refund',
      method: 'POST',
      path: `${base}/refunds`,
      body: {
        items,
        reason,
        // The amount must equal a refund-method amount of the quote; the push checks the quote first.
        payments: [
          {
            // Store credit: BigCommerce's `storecredit` provider [S9] (only when the quote offers it).
            provider_id: storeCredit ? 'storecredit' : order.payment.providerId || 'storecredit',
            amount: apiNumber(record.total, currency),
            offline: false,
          },
        ],
      },
      writes: true,
    },
  ];
}

function woocommerceWrite(
  record: CanonicalRefund,
  order: StorefrontOrderContext,
  lines: PlannedStorefrontLine[],
  reason: string,
  key: string,
): StorefrontWrite {
  const currency = record.currency;
  const lineItems: Record<string, unknown>[] = [];
  for (const l of lines) {
    if (l.role === 'amount') continue;
    const id = l.role === 'shipping' ? order.shippingLineId : l.lineItemId;
    if (!id) continue;
    const taxRate = order.lines.find((o) => o.lineItemId === l.lineItemId)?.taxRateId ?? '';
    lineItems.push({
      id,
      ...(l.role === 'item' ? { quantity: l.quantity } : {}),
      refund_total: apiNumber(l.amount, currency),
      ...(l.tax > 0 && taxRate ? { refund_tax: [{ id: taxRate, refund_total: apiNumber(l.tax, currency) }] } : {}),
    });
  }
  return {
    kind: 'woocommerce_refund',
    method: 'POST',
    path: `/orders/${encodeURIComponent(order.orderId)}/refunds`,
    body: {
      // `amount` wins over line totals in WooCommerce: it is the NetSuite total, exactly.
      amount: apiDecimal(record.total, currency),
      reason,
      ...(lineItems.length > 0 ? { line_items: lineItems } : {}),
      // The key twice: `[key]` in the reason (what the matcher and the read-back see on any store) and
      // as refund meta (`_refund_recon_key`), for stores whose reason is edited later.
      meta_data: [{ key: '_refund_recon_key', value: key }],
      // Recorded, not paid: NetSuite's Cash Refund / Customer Refund already moved the money, so the
      // gateway is not asked to refund a second time (docs/sync.md, WooCommerce target).
      api_refund: false,
      api_restock: false,
    },
    writes: true,
  };
}

function magentoWrite(
  record: CanonicalRefund,
  order: StorefrontOrderContext,
  lines: PlannedStorefrontLine[],
): StorefrontWrite {
  const currency = record.currency;
  const items = lines
    .filter((l) => l.role === 'item')
    .map((l) => ({ order_item_id: Number(l.lineItemId), qty: l.quantity }));
  const shipping = lines.find((l) => l.role === 'shipping')?.amount ?? 0;
  const amount = sumMinor(lines.filter((l) => l.role === 'amount').map((l) => l.amount));
  return {
    kind: 'magento_refund',
    method: 'POST',
    path: `/V1/order/${encodeURIComponent(order.orderId)}/refund`,
    body: {
      items,
      notify: false,
      arguments: {
        shipping_amount: apiNumber(shipping, currency),
        adjustment_positive: apiNumber(amount, currency),
        adjustment_negative: 0,
      },
    },
    writes: true,
  };
}

/** The SALE/CAPTURE a money refund goes back to: the first that is not a gift card or store credit. */
function moneyPayment(order: StorefrontOrderContext, payments: readonly OrderPayment[]): OrderPayment | undefined {
  return (
    payments.find((p) => p.kind !== 'gift_card' && p.kind !== 'store_credit' && p.parentId) ??
    (order.payment.parentId
      ? { parentId: order.payment.parentId, gateway: order.payment.gateway, kind: 'card', refundable: null }
      : undefined)
  );
}

function giftCardPayment(payments: readonly OrderPayment[]): OrderPayment | undefined {
  return payments.find((p) => (p.kind === 'gift_card' || p.gateway.toLowerCase() === 'gift_card') && p.parentId);
}

/**
 * The §5.3 refusal for how the record's value would go back, or null. Reasons are the table's;
 * the particular cause (the API version, the missing customer) goes to the notes.
 */
function tenderRefusal(
  split: NetsuiteSyncSplit,
  order: StorefrontOrderContext,
  payments: readonly OrderPayment[],
  settings: StorefrontBuildSettings,
  currency: string,
  notes: string[],
): BuildProblem | null {
  const t = settings.tenders;
  const platform = settings.platform;
  const parts = [split.money, split.storeCredit, split.giftCard].filter((a) => a > 0).length;
  if (split.storeCredit > 0) {
    if (!t?.storeCredit) {
      notes.push('Store credit is off for this account (capabilities).');
      return problem('store_credit_unsupported', STORE_CREDIT_UNSUPPORTED);
    }
    if (platform === 'shopify') {
      const version = t.shopifyApiVersion || DEFAULT_SHOPIFY_API_VERSION;
      if (!refundMethodsSupported(version, t.refundInputFields)) {
        notes.push(
          t.refundInputFields === null
            ? `Shopify API ${version}: \`RefundInput.refundMethods\` is documented from 2025-10; this version was not checked by introspection (a live connection asks \`__type(name: "RefundInput")\`). Set the account's Shopify API version to 2025-10 or later.`
            : `Shopify API ${version}: \`RefundInput\` has no \`refundMethods\` (introspection). Set the account's Shopify API version to 2025-10 or later.`,
        );
        return problem('store_credit_unsupported', STORE_CREDIT_UNSUPPORTED);
      }
      if (isGuest(order.customerId)) {
        notes.push(`Order ${order.orderRef} has no customer: Shopify issues store credit only to a customer.`);
        return problem('store_credit_unsupported', STORE_CREDIT_UNSUPPORTED);
      }
      const known = payments.length > 0 && payments.every((p) => p.refundable !== null);
      const paid = known ? payments.reduce((s, p) => s + (p.refundable ?? 0), 0) : order.orderTotal;
      if (paid !== null && split.storeCredit > paid) {
        return problem('store_credit_exceeds_paid', storeCreditExceedsPaid(paid, currency));
      }
    } else if (platform === 'bigcommerce') {
      const offersCredit =
        !isGuest(order.customerId) && (order.storeCurrency === null || order.storeCurrency === order.currency);
      if (!offersCredit) {
        const offered = [order.payment.providerId || payments[0]?.gateway || ''].filter(Boolean);
        return problem('store_credit_guest', storeCreditGuest(offered));
      }
    } else {
      notes.push(`A ${platform} refund has no documented store-credit method.`);
      return problem('store_credit_unsupported', STORE_CREDIT_UNSUPPORTED);
    }
  }
  if (split.giftCard > 0) {
    const gift = platform === 'shopify' ? giftCardPayment(payments) : undefined;
    if (!gift || (gift.refundable !== null && gift.refundable < split.giftCard)) {
      return problem('gift_card_not_mapped', GIFT_CARD_NO_SALE);
    }
  }
  if (parts > 1 && (!t?.splitTender || platform !== 'shopify')) {
    return problem('split_tender_unsupported', SPLIT_TENDER_UNSUPPORTED);
  }
  return null;
}
