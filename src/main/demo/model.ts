import type { CanonicalRefund, CanonicalRefundInput } from '../../shared/model';
import { CanonicalRefund as CanonicalRefundSchema } from '../../shared/model';
import { formatAmount } from '../../shared/money';
import { NetsuiteTenderKinds, netsuiteTenders } from '../tenders/netsuite-tenders';
import { shopifyGatewayKind } from '../tenders/storefront-kinds';

/**
 * A small domain model of a Shopify store and a NetSuite account, written out as the real export
 * files (Shopify Admin REST order JSON, NetSuite saved-search CSV in the layout of spec §6) and
 * also viewed as canonical refunds (what a correct importer must produce; spec §3 rules). Used by
 * the demo data, the reconcile tests and the 1M-refund benchmark. Money is minor units throughout.
 */

export interface ShopLine {
  id: number;
  sku: string;
  title: string;
  price: number;
  quantity: number;
  /** Tax per unit, minor units. */
  taxPerUnit: number;
}

export interface ShopRefundLine {
  lineItemId: number;
  quantity: number;
  subtotal: number;
  tax: number;
}

export interface ShopTransaction {
  id: number;
  amount: number;
  status: 'success' | 'failure' | 'pending';
  /** Currency of the transaction (presentment money). */
  currency: string;
  /** Shopify `gateway` (tenders.md §1.2); absent: `shopify_payments`, the card gateway of every other demo refund. */
  gateway?: string;
}

export interface ShopRefund {
  id: number;
  createdAt: string; // ISO date-time
  note: string;
  lines: ShopRefundLine[];
  shipping: number;
  shippingTax: number;
  /** refund_discrepancy adjustment (positive = refunded beyond the lines). */
  discrepancy: number;
  transactions: ShopTransaction[];
}

export interface ShopOrder {
  id: number;
  number: number;
  currency: string;
  /** Customer currency when it differs from the shop currency (multi-currency stores). */
  presentmentCurrency: string;
  /** Presentment amount per shop minor unit, as a rational (num/den) for exact conversion. */
  rate: { num: number; den: number } | null;
  createdAt: string;
  lines: ShopLine[];
  shipping: number;
  billedBy: 'cashSale' | 'invoice';
  refunds: ShopRefund[];
  test: boolean;
}

export interface NsLine {
  item: string;
  quantity: number;
  amount: number;
  tax: number;
  role: 'item' | 'shipping' | 'generic';
}

export interface NsRecord {
  internalId: number;
  type: 'Cash Refund' | 'Credit Memo' | 'Customer Refund';
  date: string; // ISO
  documentNumber: string;
  orderRef: string;
  externalId: string;
  createdFrom: string; // "Cash Sale #CS1001"
  currency: string;
  lines: NsLine[];
  total: number;
  memo: string;
  /** Customer Refund: internal id of the Credit Memo it pays out. */
  appliesTo: number | null;
  status: 'ok' | 'voided';
  /** NetSuite payment method (tenders.md §1.4, saved-search column `Payment Method`); absent: none exported. */
  paymentMethod?: string;
  /** A Credit Memo left open (status `Open`, `Amount Remaining` = this): nothing paid out or applied yet. */
  openRemaining?: number;
}

export const NETSUITE_CURRENCY_NAME: Record<string, string> = {
  USD: 'US Dollar',
  EUR: 'Euro',
  GBP: 'British pound',
  JPY: 'Japanese Yen',
  CAD: 'Canadian Dollar',
};

export function refundTotal(refund: ShopRefund): number {
  let sum = 0;
  for (const t of refund.transactions) if (t.status === 'success') sum += t.amount;
  return sum;
}

export function refundSubtotal(refund: ShopRefund): number {
  let sum = refund.shipping + refund.shippingTax + refund.discrepancy;
  for (const l of refund.lines) sum += l.subtotal + l.tax;
  return sum;
}

// ---------------------------------------------------------------- Shopify REST JSON

const NUM = '\u0000NUM:';
function num(minor: number, currency: string): string {
  return `${NUM}${formatAmount(minor, currency)}`;
}
function moneySet(minor: number, currency: string, presentment: string, rate: ShopOrder['rate']) {
  const p = rate ? Math.round((minor * rate.num) / rate.den) : minor;
  return {
    shop_money: { amount: formatAmount(minor, currency), currency_code: currency },
    presentment_money: { amount: formatAmount(p, presentment), currency_code: presentment },
  };
}

/** One order in the Shopify Admin REST shape (apis.md §2.5), refunds included. */
export function shopifyOrderObject(order: ShopOrder, shopDomain = 'northwind-outfitters.myshopify.com') {
  const c = order.currency;
  const pc = order.presentmentCurrency;
  const lineById = new Map(order.lines.map((l) => [l.id, l]));
  let subtotal = 0;
  let tax = 0;
  for (const l of order.lines) {
    subtotal += l.price * l.quantity;
    tax += l.taxPerUnit * l.quantity;
  }
  const lineJson = (l: ShopLine) => ({
    id: l.id,
    admin_graphql_api_id: `gid://shopify/LineItem/${l.id}`,
    variant_id: l.id + 7_000_000,
    title: l.title,
    name: l.title,
    sku: l.sku,
    quantity: l.quantity,
    price: formatAmount(l.price, c),
    price_set: moneySet(l.price, c, pc, order.rate),
    total_discount: formatAmount(0, c),
    taxable: l.taxPerUnit > 0,
    tax_lines: l.taxPerUnit > 0 ? [{ title: 'Sales Tax', price: formatAmount(l.taxPerUnit * l.quantity, c) }] : [],
  });
  return {
    id: order.id,
    admin_graphql_api_id: `gid://shopify/Order/${order.id}`,
    name: `#${order.number}`,
    order_number: order.number,
    email: `customer${order.number}@example.com`,
    created_at: order.createdAt,
    processed_at: order.createdAt,
    currency: c,
    presentment_currency: pc,
    financial_status: order.refunds.length > 0 ? 'partially_refunded' : 'paid',
    test: order.test,
    subtotal_price: formatAmount(subtotal, c),
    total_tax: formatAmount(tax, c),
    total_price: formatAmount(subtotal + tax + order.shipping, c),
    line_items: order.lines.map(lineJson),
    shipping_lines:
      order.shipping > 0
        ? [{ id: order.id + 1, title: 'Standard', code: 'Standard', price: formatAmount(order.shipping, c) }]
        : [],
    refunds: order.refunds.map((r) => ({
      id: r.id,
      admin_graphql_api_id: `gid://shopify/Refund/${r.id}`,
      order_id: order.id,
      created_at: r.createdAt,
      processed_at: r.createdAt,
      note: r.note,
      user_id: 799407056,
      restock: r.lines.length > 0,
      duties: [],
      total_duties_set: moneySet(0, c, pc, order.rate),
      additional_fees: [],
      return: null,
      refund_line_items: r.lines.map((rl, i) => {
        const li = lineById.get(rl.lineItemId)!;
        return {
          id: r.id * 10 + i,
          quantity: rl.quantity,
          line_item_id: rl.lineItemId,
          location_id: 24826418,
          restock_type: 'return',
          subtotal: num(rl.subtotal, c),
          total_tax: num(rl.tax, c),
          subtotal_set: moneySet(rl.subtotal, c, pc, order.rate),
          total_tax_set: moneySet(rl.tax, c, pc, order.rate),
          line_item: lineJson(li),
        };
      }),
      transactions: r.transactions.map((t) => ({
        id: t.id,
        admin_graphql_api_id: `gid://shopify/OrderTransaction/${t.id}`,
        order_id: order.id,
        kind: 'refund',
        gateway: t.gateway ?? 'shopify_payments',
        status: t.status,
        message: t.status === 'success' ? 'Transaction approved' : 'Transaction declined',
        created_at: r.createdAt,
        processed_at: r.createdAt,
        test: order.test,
        authorization: null,
        parent_id: order.id + 2,
        amount: formatAmount(t.amount, t.currency),
        currency: t.currency,
        error_code: t.status === 'failure' ? 'card_declined' : null,
        source_name: 'web',
        receipt: {},
      })),
      order_adjustments: [
        ...(r.shipping > 0
          ? [
              {
                id: r.id * 10 + 7,
                order_id: order.id,
                refund_id: r.id,
                amount: formatAmount(-r.shipping, c),
                tax_amount: formatAmount(-r.shippingTax, c),
                kind: 'shipping_refund',
                reason: 'Shipping refund',
                amount_set: moneySet(-r.shipping, c, pc, order.rate),
                tax_amount_set: moneySet(-r.shippingTax, c, pc, order.rate),
              },
            ]
          : []),
        ...(r.discrepancy !== 0
          ? [
              {
                id: r.id * 10 + 8,
                order_id: order.id,
                refund_id: r.id,
                amount: formatAmount(-r.discrepancy, c),
                tax_amount: formatAmount(0, c),
                kind: 'refund_discrepancy',
                reason: 'Refund discrepancy',
                amount_set: moneySet(-r.discrepancy, c, pc, order.rate),
                tax_amount_set: moneySet(0, c, pc, order.rate),
              },
            ]
          : []),
      ],
    })),
    order_status_url: `https://${shopDomain}/orders/${order.id}/authenticate`,
  };
}

/** A lean order for large benchmark files: only the fields an importer reads (same REST shape). */
export function shopifyOrderLean(order: ShopOrder): string {
  const c = order.currency;
  const lineById = new Map(order.lines.map((l) => [l.id, l]));
  const line = (l: ShopLine) => ({
    id: l.id,
    sku: l.sku,
    title: l.title,
    name: l.title,
    quantity: l.quantity,
    price: formatAmount(l.price, c),
  });
  const text = JSON.stringify({
    id: order.id,
    name: `#${order.number}`,
    order_number: order.number,
    created_at: order.createdAt,
    currency: c,
    presentment_currency: order.presentmentCurrency,
    test: order.test,
    line_items: order.lines.map(line),
    refunds: order.refunds.map((r) => ({
      id: r.id,
      order_id: order.id,
      created_at: r.createdAt,
      processed_at: r.createdAt,
      note: r.note,
      refund_line_items: r.lines.map((rl, i) => ({
        id: r.id * 10 + i,
        quantity: rl.quantity,
        line_item_id: rl.lineItemId,
        restock_type: 'return',
        subtotal: num(rl.subtotal, c),
        total_tax: num(rl.tax, c),
        line_item: line(lineById.get(rl.lineItemId)!),
      })),
      transactions: r.transactions.map((t) => ({
        id: t.id,
        order_id: order.id,
        kind: 'refund',
        gateway: t.gateway ?? 'shopify_payments',
        status: t.status,
        created_at: r.createdAt,
        amount: formatAmount(t.amount, t.currency),
        currency: t.currency,
      })),
      order_adjustments: [
        ...(r.shipping > 0
          ? [
              {
                id: r.id * 10 + 7,
                refund_id: r.id,
                amount: formatAmount(-r.shipping, c),
                tax_amount: formatAmount(-r.shippingTax, c),
                kind: 'shipping_refund',
                reason: 'Shipping refund',
              },
            ]
          : []),
        ...(r.discrepancy !== 0
          ? [
              {
                id: r.id * 10 + 8,
                refund_id: r.id,
                amount: formatAmount(-r.discrepancy, c),
                tax_amount: formatAmount(0, c),
                kind: 'refund_discrepancy',
                reason: 'Refund discrepancy',
              },
            ]
          : []),
      ],
    })),
  });
  return text.replace(/"\\u0000NUM:(-?[0-9.]+)"/g, '$1');
}

/** JSON text of one order; REST number fields (`subtotal`, `total_tax`) are written as JSON numbers without floats. */
export function shopifyOrderJson(order: ShopOrder, indent?: number): string {
  const text = JSON.stringify(shopifyOrderObject(order), null, indent);
  return text.replace(/"\\u0000NUM:(-?[0-9.]+)"/g, '$1');
}

// ---------------------------------------------------------------- NetSuite saved-search CSV

export const NETSUITE_CSV_HEADER = [
  'Internal ID',
  'Type',
  'Date',
  'Document Number',
  'Storefront Order',
  'External ID',
  'Created From',
  'Main Line',
  'Item',
  'Quantity',
  'Amount',
  'Tax Amount',
  'Currency',
  'Memo',
  'Status',
];

/**
 * The demo's saved search adds the tender columns of tenders.md §1.4 (`Payment Method`, `Amount
 * Remaining`), empty on records that export none; the benchmark files keep the plain layout.
 */
export const NETSUITE_TENDER_CSV_HEADER = [...NETSUITE_CSV_HEADER, 'Payment Method', 'Amount Remaining'];

function usDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${Number(m)}/${Number(d)}/${y}`;
}

/**
 * Quoting as a NetSuite saved-search export does it (only for a comma, quote or line break): the
 * demo files imitate the vendor's file. Our own exports quote `;` too (shared/csv-field.ts).
 */
function csvCell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Saved-search rows of one record: the main line (`*`, Amount = the record total with the
 * accounting sign NetSuite exports: negative for money going out) and one row per item line
 * (positive). `parens` writes negatives as `(12.00)` the way some exports do.
 */
export function netsuiteCsvRows(record: NsRecord, parens = false, thousands = false, tenderColumns = false): string {
  const c = record.currency;
  const fmt = (minor: number): string => {
    let text = formatAmount(Math.abs(minor), c);
    if (thousands) text = text.replace(/^(\d+)(\d{3})(?=\.|$)/, '$1,$2');
    if (minor >= 0) return text;
    return parens ? `(${text})` : `-${text}`;
  };
  const common = (main: boolean) => [
    String(record.internalId),
    record.type,
    usDate(record.date),
    record.documentNumber,
    record.orderRef,
    record.externalId,
    record.createdFrom,
    main ? '*' : '',
  ];
  const currencyName = NETSUITE_CURRENCY_NAME[c] ?? c;
  const status =
    record.status === 'voided'
      ? 'Voided'
      : record.type === 'Credit Memo'
        ? record.openRemaining !== undefined
          ? 'Open'
          : 'Fully Applied'
        : '';
  // Body fields (payment method, balance) on every row of the record, as a saved search repeats them.
  const tenderCells = tenderColumns
    ? [record.paymentMethod ?? '', record.openRemaining !== undefined ? fmt(record.openRemaining) : '']
    : [];
  const rows: string[][] = [];
  const mainSign = record.type === 'Credit Memo' ? 1 : -1;
  let tax = 0;
  for (const l of record.lines) tax += l.tax;
  rows.push([
    ...common(true),
    '',
    '',
    fmt(mainSign * record.total),
    fmt(mainSign * tax),
    currencyName,
    record.memo,
    status,
    ...tenderCells,
  ]);
  for (const l of record.lines) {
    rows.push([
      ...common(false),
      l.item,
      l.role === 'item' ? String(l.quantity) : '',
      fmt(l.amount),
      fmt(l.tax),
      currencyName,
      '',
      status,
      ...tenderCells,
    ]);
  }
  return rows.map((row) => row.map(csvCell).join(',')).join('\r\n');
}

// ---------------------------------------------------------------- canonical view (spec §3)

const SOURCE_TYPE: Record<string, 'cashSale' | 'invoice' | 'salesOrder' | 'returnAuthorization' | 'other'> = {
  'Cash Sale': 'cashSale',
  Invoice: 'invoice',
  'Sales Order': 'salesOrder',
  'Return Authorization': 'returnAuthorization',
};

export function canonicalStorefront(order: ShopOrder): CanonicalRefund[] {
  const lineById = new Map(order.lines.map((l) => [l.id, l]));
  return order.refunds.map((r) => {
    const total = refundTotal(r);
    let tax = r.shippingTax;
    for (const l of r.lines) tax += l.tax;
    const input: CanonicalRefundInput = {
      side: 'storefront',
      id: String(r.id),
      documentNumber: String(r.id),
      recordType: 'refund',
      orderRef: `#${order.number}`,
      date: r.createdAt.slice(0, 10),
      currency: order.currency,
      total,
      shipping: r.shipping,
      tax,
      adjustment: r.discrepancy,
      lines: [
        ...r.lines.map((rl) => {
          const li = lineById.get(rl.lineItemId)!;
          return {
            sku: li.sku,
            description: li.title,
            quantity: rl.quantity,
            amount: rl.subtotal,
            tax: rl.tax,
            role: 'item' as const,
          };
        }),
        ...(r.shipping > 0
          ? [
              {
                sku: '',
                description: 'Shipping refund',
                quantity: 0,
                amount: r.shipping,
                tax: r.shippingTax,
                role: 'shipping' as const,
              },
            ]
          : []),
        ...(r.discrepancy !== 0
          ? [
              {
                sku: '',
                description: 'Refund discrepancy',
                quantity: 0,
                amount: r.discrepancy,
                tax: 0,
                role: 'generic' as const,
              },
            ]
          : []),
      ],
      kind: r.lines.length > 0 ? 'line_item' : 'general',
      memo: r.note,
      isTest: order.test,
      moneyMoved: r.transactions.some((t) => t.status === 'success'),
      status:
        r.transactions.length > 0 && !r.transactions.some((t) => t.status === 'success')
          ? r.transactions.some((t) => t.status === 'pending')
            ? 'pending'
            : 'failed'
          : 'ok',
      // Tenders only where the demo names a gateway (its tender cases); the rest keep the default.
      ...(r.transactions.some((t) => t.gateway !== undefined)
        ? {
            tenders: r.transactions
              .filter((t) => t.status === 'success' && t.amount > 0)
              .map((t) => ({
                kind: shopifyGatewayKind(t.gateway ?? 'shopify_payments', false),
                gateway: t.gateway ?? 'shopify_payments',
                amount: t.amount,
                presentmentAmount: null,
                state: 'settled' as const,
                ref: String(t.id),
              })),
          }
        : {}),
      presentment:
        order.presentmentCurrency !== order.currency && order.rate
          ? { currency: order.presentmentCurrency, total: Math.round((total * order.rate.num) / order.rate.den) }
          : null,
    };
    return CanonicalRefundSchema.parse(input);
  });
}

export function canonicalNetsuite(record: NsRecord): CanonicalRefund {
  const match = /^(.*?)\s*#\s*(\S+)$/.exec(record.createdFrom);
  const type =
    record.type === 'Cash Refund' ? 'cashRefund' : record.type === 'Credit Memo' ? 'creditMemo' : 'customerRefund';
  let tax = 0;
  let shipping = 0;
  let adjustment = 0;
  for (const l of record.lines) {
    tax += l.tax;
    if (l.role === 'shipping') shipping += l.amount;
    if (l.role === 'generic') adjustment += l.amount;
  }
  const itemLines = record.lines.filter((l) => l.role === 'item');
  // The tender columns as the saved-search importer reads them (tenders.md §1.4), on the records that have them.
  const tenders =
    record.paymentMethod !== undefined || record.openRemaining !== undefined
      ? netsuiteTenders(
          {
            recordType: type,
            recordTotal: record.total,
            paymentMethod: record.paymentMethod ?? '',
            amountRemaining: record.openRemaining,
            memoStatus: record.openRemaining !== undefined ? 'open' : undefined,
            applications: [],
            tenderItems: [],
          },
          new NetsuiteTenderKinds(undefined),
        )
      : undefined;
  return CanonicalRefundSchema.parse({
    side: 'netsuite',
    id: String(record.internalId),
    documentNumber: record.documentNumber,
    recordType: type,
    orderRef: record.orderRef,
    createdFrom: match ? { type: SOURCE_TYPE[match[1]!] ?? 'other', ref: match[2]! } : null,
    date: record.date,
    currency: record.currency,
    total: record.total,
    shipping,
    tax,
    adjustment,
    lines: record.lines.map((l) => ({
      sku: l.item,
      description: l.item,
      quantity: l.role === 'item' ? l.quantity : 0,
      amount: l.amount,
      tax: l.tax,
      role: l.role,
    })),
    kind: itemLines.length > 0 ? 'line_item' : 'general',
    externalId: record.externalId,
    memo: record.memo,
    status: record.status,
    appliesTo: record.appliesTo === null ? '' : String(record.appliesTo),
    ...(tenders ? { tenders } : {}),
    ...(record.openRemaining !== undefined ? { amountRemaining: record.openRemaining } : {}),
  } satisfies CanonicalRefundInput);
}
