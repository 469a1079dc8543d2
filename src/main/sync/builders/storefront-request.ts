import type { CanonicalRefund, Platform } from '../../../shared/model';
import { formatAmount, type MinorUnits, subtractMinor, sumMinor } from '../../../shared/money';
import { recordTypeLabel } from '../../../shared/record-labels';
import type { StorefrontOrderContext, SyncOptions } from '../types';
import { apiDecimal, apiNumber, type BuildProblem, problem, sameSku } from './common';

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
  writes: StorefrontWrite[];
  problems: BuildProblem[];
  notes: string[];
}

export interface StorefrontBuildSettings {
  platform: Platform;
  lineItemRefunds: 'yes' | 'no' | 'unknown';
  options: SyncOptions;
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
      build.writes.push(shopifyWrite(record, order, lines, settings.options, note, key));
      if (!order.payment.parentId) {
        problems.push(
          problem(
            'no_parent_transaction',
            `Shopify order ${order.orderRef} has no SALE/CAPTURE transaction to refund against.`,
          ),
        );
      }
      break;
    case 'bigcommerce':
      build.writes.push(...bigcommerceWrites(record, order, lines, note));
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
  input.transactions = [
    {
      orderId: order.orderId,
      parentId: order.payment.parentId,
      amount: apiDecimal(record.total, currency),
      gateway: order.payment.gateway,
      kind: 'REFUND',
    },
  ];
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
            provider_id: order.payment.providerId || 'storecredit',
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
