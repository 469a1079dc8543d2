import type { ResultCode } from '../../shared/codes';
import type { NsLine, NsRecord, ShopLine, ShopOrder, ShopRefund } from './model';
import { refundSubtotal } from './model';

/**
 * Seeded generator of realistic refund cases, one order at a time, each planted with a known
 * outcome: the truth that the demo test and the benchmark's recall/precision check against.
 */

export type CaseKind =
  | 'matched_full'
  | 'matched_partial'
  | 'matched_shipping'
  | 'matched_general'
  | 'matched_rollup'
  | 'rounding'
  | 'amount_mismatch'
  | 'line_mismatch'
  | 'general_refund'
  | 'missing_in_netsuite'
  | 'missing_in_storefront'
  | 'duplicate'
  | 'currency_mismatch'
  | 'record_type_mismatch'
  | 'no_order_reference'
  | 'no_money_moved'
  | 'voided';

export const PLANTED_KINDS: CaseKind[] = [
  'rounding',
  'amount_mismatch',
  'line_mismatch',
  'general_refund',
  'missing_in_netsuite',
  'missing_in_storefront',
  'duplicate',
  'currency_mismatch',
  'record_type_mismatch',
  'no_order_reference',
  'no_money_moved',
];

export const MATCHED_KINDS: CaseKind[] = [
  'matched_full',
  'matched_partial',
  'matched_shipping',
  'matched_general',
  'matched_rollup',
];

export interface GeneratedCase {
  kind: CaseKind;
  order: ShopOrder;
  netsuite: NsRecord[];
  /** Expected result code per input record: `sf:<refund id>` / `ns:<internal id>`. */
  expected: Map<string, ResultCode | 'not_compared'>;
}

/** mulberry32: small, fast, deterministic. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Product {
  sku: string;
  title: string;
  /** Price per currency in minor units. */
  price: Record<string, number>;
}

const PRODUCTS: Product[] = [
  { sku: 'TEE-CLS-M', title: 'Classic Tee - M', price: { USD: 2400, EUR: 2200, GBP: 1900, JPY: 3500 } },
  { sku: 'TEE-CLS-L', title: 'Classic Tee - L', price: { USD: 2400, EUR: 2200, GBP: 1900, JPY: 3500 } },
  { sku: 'HOOD-ZIP-M', title: 'Zip Hoodie - M', price: { USD: 6800, EUR: 6400, GBP: 5500, JPY: 9800 } },
  { sku: 'CAP-WOOL', title: 'Wool Cap', price: { USD: 2999, EUR: 2799, GBP: 2399, JPY: 4200 } },
  { sku: 'SOCK-3PK', title: 'Hiking Socks 3-pack', price: { USD: 1850, EUR: 1690, GBP: 1450, JPY: 2600 } },
  { sku: 'BOTTLE-750', title: 'Steel Bottle 750 ml', price: { USD: 3495, EUR: 3190, GBP: 2750, JPY: 4900 } },
  { sku: 'JKT-RAIN-L', title: 'Rain Jacket - L', price: { USD: 14900, EUR: 13900, GBP: 11900, JPY: 21000 } },
  { sku: 'PACK-28L', title: 'Daypack 28 L', price: { USD: 8900, EUR: 8400, GBP: 7200, JPY: 12800 } },
];
const SHIPPING: Record<string, number> = { USD: 795, EUR: 590, GBP: 495, JPY: 800 };
/** Sales tax in basis points (US only; EU/UK/JP prices include VAT/consumption tax). */
const TAX_BP: Record<string, number> = { USD: 825, EUR: 0, GBP: 0, JPY: 0 };

function divRound(a: number, b: number): number {
  return Math.floor((2 * a + b) / (2 * b));
}

export class CaseFactory {
  private orderNumber: number;
  private orderId: number;
  private refundId: number;
  private lineId: number;
  protected txId: number;
  private internalId: number;
  private docNumber: number;
  private readonly rand: () => number;
  private readonly startDay: number;
  private readonly spanDays: number;

  constructor(seed: number, options: { firstOrder?: number; start?: string; spanDays?: number } = {}) {
    this.rand = rng(seed);
    this.orderNumber = options.firstOrder ?? 1001;
    this.orderId = 5_120_000_000 + this.orderNumber;
    this.refundId = 908_000_000;
    this.lineId = 13_400_000_000;
    this.txId = 6_100_000_000;
    this.internalId = 40_000;
    this.docNumber = 1000;
    this.startDay = Date.parse(`${options.start ?? '2026-01-05'}T00:00:00Z`) / 86400000;
    this.spanDays = options.spanDays ?? 45;
  }

  protected int(n: number): number {
    return Math.floor(this.rand() * n);
  }

  private pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  protected isoDay(day: number): string {
    return new Date(day * 86400000).toISOString().slice(0, 10);
  }

  protected order(currency: string, billedBy?: 'cashSale' | 'invoice'): ShopOrder {
    const number = this.orderNumber++;
    const id = this.orderId++;
    const count = 1 + this.int(3);
    const lines: ShopLine[] = [];
    const used = new Set<string>();
    for (let i = 0; i < count; i++) {
      const p = this.pick(PRODUCTS);
      if (used.has(p.sku)) continue;
      used.add(p.sku);
      const price = p.price[currency] ?? p.price.USD!;
      lines.push({
        id: this.lineId++,
        sku: p.sku,
        title: p.title,
        price,
        quantity: 1 + this.int(2),
        taxPerUnit: divRound(price * (TAX_BP[currency] ?? 0), 10000),
      });
    }
    const day = this.startDay + this.int(this.spanDays);
    return {
      id,
      number,
      currency,
      presentmentCurrency: currency,
      rate: null,
      createdAt: `${this.isoDay(day)}T${String(9 + this.int(9)).padStart(2, '0')}:${String(this.int(60)).padStart(2, '0')}:00-05:00`,
      lines,
      shipping: SHIPPING[currency] ?? 0,
      billedBy: billedBy ?? (this.rand() < 0.8 ? 'cashSale' : 'invoice'),
      refunds: [],
      test: false,
    };
  }

  private refundDate(order: ShopOrder, afterDays: number): string {
    const day = Date.parse(order.createdAt.slice(0, 10)) / 86400000 + afterDays;
    return `${this.isoDay(day)}T${String(10 + this.int(8)).padStart(2, '0')}:${String(this.int(60)).padStart(2, '0')}:00-05:00`;
  }

  /** A refund of some lines (quantity 1 each), optionally with shipping; money moved unless told. */
  protected refund(
    order: ShopOrder,
    opts: {
      lines?: 'one' | 'all' | 'none';
      shipping?: boolean;
      amount?: number;
      moneyMoved?: 'yes' | 'none' | 'failed';
      afterDays?: number;
    },
  ): ShopRefund {
    const which = opts.lines ?? 'one';
    const chosen = which === 'none' ? [] : which === 'all' ? order.lines : [order.lines[this.int(order.lines.length)]!];
    const refund: ShopRefund = {
      id: this.refundId++,
      createdAt: this.refundDate(order, opts.afterDays ?? 2 + this.int(10)),
      note:
        which === 'none'
          ? 'Goodwill credit'
          : this.pick(['Wrong size', 'Damaged in transit', 'Changed mind', 'Arrived late']),
      lines: chosen.map((l) => ({
        lineItemId: l.id,
        quantity: which === 'all' ? l.quantity : 1,
        subtotal: l.price * (which === 'all' ? l.quantity : 1),
        tax: l.taxPerUnit * (which === 'all' ? l.quantity : 1),
      })),
      shipping: opts.shipping ? order.shipping : 0,
      shippingTax: 0,
      discrepancy: which === 'none' ? (opts.amount ?? divRound(order.lines[0]!.price, 2)) : 0,
      transactions: [],
    };
    const total = refundSubtotal(refund);
    const moved = opts.moneyMoved ?? 'yes';
    if (moved === 'yes')
      refund.transactions.push({
        id: this.txId++,
        amount: total,
        status: 'success',
        currency: order.presentmentCurrency,
      });
    if (moved === 'failed')
      refund.transactions.push({
        id: this.txId++,
        amount: total,
        status: 'failure',
        currency: order.presentmentCurrency,
      });
    order.refunds.push(refund);
    return refund;
  }

  private externalIdFor(refund: ShopRefund): string {
    return this.pick([`shopify-refund-${refund.id}`, `SR-${refund.id}`, String(refund.id), '']);
  }

  /** The NetSuite record(s) a correct sync creates for a refund: Cash Refund, or Credit Memo + Customer Refund. */
  protected netsuiteFor(
    order: ShopOrder,
    refunds: ShopRefund[],
    opts: {
      generic?: boolean;
      dropShipping?: boolean;
      delta?: number;
      swapSku?: boolean;
      currency?: string;
      total?: number;
      createdFrom?: string;
      orderRef?: string;
      externalId?: string;
      dateShift?: number;
    } = {},
  ): NsRecord[] {
    const lines: NsLine[] = [];
    for (const refund of refunds) {
      for (const rl of refund.lines) {
        const li = order.lines.find((l) => l.id === rl.lineItemId)!;
        lines.push({ item: li.sku, quantity: rl.quantity, amount: rl.subtotal, tax: rl.tax, role: 'item' });
      }
      if (refund.shipping > 0 && !opts.dropShipping) {
        lines.push({
          item: 'Shipping',
          quantity: 0,
          amount: refund.shipping,
          tax: refund.shippingTax,
          role: 'shipping',
        });
      }
      if (refund.discrepancy !== 0) {
        lines.push({ item: 'Refund Adjustment', quantity: 0, amount: refund.discrepancy, tax: 0, role: 'generic' });
      }
    }
    let total = lines.reduce((acc, l) => acc + l.amount + l.tax, 0);
    let finalLines = lines;
    if (opts.generic) {
      const tax = lines.reduce((acc, l) => acc + l.tax, 0);
      finalLines = [{ item: 'Refund Adjustment', quantity: 0, amount: total - tax, tax, role: 'generic' }];
    }
    if (opts.swapSku) {
      const first = finalLines.find((l) => l.role === 'item');
      if (first) {
        const other = PRODUCTS.find((p) => p.sku !== first.item && first.item.slice(0, 4) === p.sku.slice(0, 4));
        first.item = other?.sku ?? `${first.item}-XL`;
      }
    }
    if (opts.delta) {
      const target = finalLines[0]!;
      target.amount += opts.delta;
      total += opts.delta;
    }
    if (opts.total !== undefined) total = opts.total;
    const first = refunds[0]!;
    const date = first.createdAt.slice(0, 10);
    const day = Date.parse(date) / 86400000 + (opts.dateShift ?? this.int(3));
    const iso = this.isoDay(day);
    const currency = opts.currency ?? order.currency;
    const externalId = opts.externalId ?? (refunds.length === 1 ? this.externalIdFor(first) : '');
    const orderRef = opts.orderRef ?? `#${order.number}`;
    const memo = refunds.length === 1 ? `Shopify refund ${first.id}` : `Refunds for ${orderRef}`;
    if (order.billedBy === 'cashSale' || opts.createdFrom) {
      return [
        {
          internalId: this.internalId++,
          type: 'Cash Refund',
          date: iso,
          documentNumber: `CR${this.docNumber++}`,
          orderRef,
          externalId,
          createdFrom: opts.createdFrom ?? `Cash Sale #CS${order.number}`,
          currency,
          lines: finalLines,
          total,
          memo,
          appliesTo: null,
          status: 'ok',
        },
      ];
    }
    const cm: NsRecord = {
      internalId: this.internalId++,
      type: 'Credit Memo',
      date: iso,
      documentNumber: `CM${this.docNumber++}`,
      orderRef,
      externalId,
      createdFrom: `Invoice #INV${order.number}`,
      currency,
      lines: finalLines,
      total,
      memo,
      appliesTo: null,
      status: 'ok',
    };
    const cr: NsRecord = {
      internalId: this.internalId++,
      type: 'Customer Refund',
      date: iso,
      documentNumber: `${this.docNumber++}`,
      orderRef,
      externalId: '',
      createdFrom: '',
      currency,
      lines: [],
      total,
      memo: `Payout of ${cm.documentNumber}`,
      appliesTo: cm.internalId,
      status: 'ok',
    };
    return [cm, cr];
  }

  /** One order planted with `kind`; `currency` defaults to a realistic mix. */
  make(kind: CaseKind, currency?: string): GeneratedCase {
    const cur = currency ?? this.pick(['USD', 'USD', 'USD', 'EUR', 'GBP', 'JPY']);
    const expected = new Map<string, ResultCode | 'not_compared'>();
    const mark = (records: NsRecord[], code: ResultCode | 'not_compared') => {
      for (const r of records) expected.set(`ns:${r.internalId}`, code);
    };
    const sf = (refund: ShopRefund, code: ResultCode) => expected.set(`sf:${refund.id}`, code);
    let order: ShopOrder;
    let netsuite: NsRecord[] = [];
    switch (kind) {
      case 'matched_full':
      case 'matched_partial':
      case 'matched_shipping': {
        order = this.order(cur);
        const r = this.refund(order, {
          lines: kind === 'matched_full' ? 'all' : 'one',
          shipping: kind !== 'matched_partial',
        });
        netsuite = this.netsuiteFor(order, [r]);
        sf(r, 'matched');
        mark(netsuite, 'matched');
        break;
      }
      case 'matched_general': {
        order = this.order(cur);
        const r = this.refund(order, { lines: 'none' });
        netsuite = this.netsuiteFor(order, [r]);
        sf(r, 'matched');
        mark(netsuite, 'matched');
        break;
      }
      case 'matched_rollup': {
        order = this.order(cur);
        const a = this.refund(order, { lines: 'one', afterDays: 3 });
        const b = this.refund(order, { lines: 'one', afterDays: 4 });
        netsuite = this.netsuiteFor(order, [a, b], { externalId: '' });
        sf(a, 'matched');
        sf(b, 'matched');
        mark(netsuite, 'matched');
        break;
      }
      case 'rounding': {
        order = this.order(cur === 'JPY' ? 'USD' : cur);
        const r = this.refund(order, { lines: 'one' });
        netsuite = this.netsuiteFor(order, [r], { delta: 1 });
        sf(r, 'rounding');
        mark(netsuite, 'rounding');
        break;
      }
      case 'amount_mismatch': {
        order = this.order(cur);
        const r = this.refund(order, { lines: 'one', shipping: true });
        netsuite = this.netsuiteFor(order, [r], { dropShipping: true });
        sf(r, 'amount_mismatch');
        mark(netsuite, 'amount_mismatch');
        break;
      }
      case 'line_mismatch': {
        order = this.order(cur);
        const r = this.refund(order, { lines: 'one' });
        netsuite = this.netsuiteFor(order, [r], { swapSku: true });
        sf(r, 'line_mismatch');
        mark(netsuite, 'line_mismatch');
        break;
      }
      case 'general_refund': {
        order = this.order(cur);
        const r = this.refund(order, { lines: 'one', shipping: this.rand() < 0.5 });
        netsuite = this.netsuiteFor(order, [r], { generic: true });
        sf(r, 'general_refund');
        mark(netsuite, 'general_refund');
        break;
      }
      case 'missing_in_netsuite': {
        order = this.order(cur);
        const r = this.refund(order, { lines: 'one' });
        sf(r, 'missing_in_netsuite');
        break;
      }
      case 'missing_in_storefront': {
        order = this.order(cur, 'cashSale');
        const ghost = this.refund(order, { lines: 'one' });
        netsuite = this.netsuiteFor(order, [ghost], { externalId: '' });
        netsuite[0]!.memo = 'Refund entered in NetSuite';
        order.refunds = [];
        mark(netsuite, 'missing_in_storefront');
        break;
      }
      case 'duplicate': {
        order = this.order(cur, 'cashSale');
        const r = this.refund(order, { lines: 'one' });
        const ext = this.rand() < 0.5 ? `shopify-refund-${r.id}` : '';
        netsuite = this.netsuiteFor(order, [r], { externalId: ext, dateShift: 0 });
        const twin = this.netsuiteFor(order, [r], { externalId: ext, dateShift: 1 });
        sf(r, 'matched');
        mark(netsuite, 'matched');
        mark(twin, 'duplicate');
        netsuite = [...netsuite, ...twin];
        break;
      }
      case 'currency_mismatch': {
        order = this.order(cur === 'USD' ? 'EUR' : cur, 'cashSale');
        const r = this.refund(order, { lines: 'one' });
        const amount = r.transactions[0]!.amount;
        // Recorded in NetSuite in US dollars (the customer's currency was not carried over).
        const usd = order.currency === 'JPY' ? divRound(amount * 100, 150) : divRound(amount * 108, 100);
        netsuite = this.netsuiteFor(order, [r], { currency: 'USD', total: usd, externalId: `shopify-refund-${r.id}` });
        netsuite[0]!.lines = [{ item: 'Refund Adjustment', quantity: 0, amount: usd, tax: 0, role: 'generic' }];
        sf(r, 'currency_mismatch');
        mark(netsuite, 'currency_mismatch');
        break;
      }
      case 'record_type_mismatch': {
        order = this.order(cur, 'cashSale');
        const r = this.refund(order, { lines: 'one' });
        netsuite = this.netsuiteFor(order, [r], { createdFrom: `Sales Order #SO${order.number}` });
        sf(r, 'record_type_mismatch');
        mark(netsuite, 'record_type_mismatch');
        break;
      }
      case 'no_order_reference': {
        order = this.order(cur, 'cashSale');
        const ghost = this.refund(order, { lines: 'none' });
        netsuite = this.netsuiteFor(order, [ghost], {
          orderRef: '',
          externalId: '',
          createdFrom: `Cash Sale #CS${order.number}`,
        });
        netsuite[0]!.memo = '';
        order.refunds = [];
        mark(netsuite, 'no_order_reference');
        break;
      }
      case 'no_money_moved': {
        order = this.order(cur);
        const r = this.refund(order, { lines: 'one', moneyMoved: this.rand() < 0.5 ? 'none' : 'failed' });
        sf(r, 'no_money_moved');
        break;
      }
      case 'voided': {
        order = this.order(cur, 'cashSale');
        const r = this.refund(order, { lines: 'one' });
        netsuite = this.netsuiteFor(order, [r]);
        const voided = this.netsuiteFor(order, [r], { externalId: '' });
        voided[0]!.status = 'voided';
        voided[0]!.memo = 'Entered twice; voided';
        sf(r, 'matched');
        mark(netsuite, 'matched');
        mark(voided, 'not_compared');
        netsuite = [...netsuite, ...voided];
        break;
      }
    }
    return { kind, order, netsuite, expected };
  }
}
