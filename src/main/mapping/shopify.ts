import type { ErrorLocation } from '../../shared/errors';
import type { CanonicalRefundInput, PresentmentParts, RefundExchange, RefundLine, Tender } from '../../shared/model';
import { addMinor } from '../../shared/money/money';
import {
  badQuantity,
  currencyAt,
  fastJsonMinor,
  inputError,
  isObj,
  isoDateAt,
  isoDateFast,
  jsonMoney,
  type Obj,
  optString,
  resolveCurrencyCached,
  shown,
} from '../importers/common';
import { shopifyGatewayKind } from '../tenders/storefront-kinds';

/**
 * Shopify refunds in one neutral shape, so the REST (snake_case) and GraphQL (camelCase) readers
 * share the rules of spec §3:
 * - money refunded = successful refund transactions only (failed, pending, error do not count);
 * - shipping refunds and refund discrepancies come from order adjustments (negative amounts);
 * - a refund with no successful transaction moved no money (restock only): total 0, moneyMoved false;
 * - shop money is the canonical total; presentment money is kept beside it when it differs.
 */

/** An amount as Shopify gives it: a string or number, with its currency when known. */
export interface Money {
  amount: unknown;
  currency?: string | undefined;
}
export interface MoneyPair {
  shop?: Money | undefined;
  presentment?: Money | undefined;
}

export interface NeutralRefund {
  id: string;
  orderRef: string;
  date: unknown;
  note: string;
  shopCurrency?: string | undefined;
  presentmentCurrency?: string | undefined;
  test: boolean;
  lines: { sku: string; description: string; quantity: unknown; amount: MoneyPair; tax: MoneyPair }[];
  transactions: {
    kind: string;
    status: string;
    amount: MoneyPair;
    test: boolean;
    /** Tender fields (tenders.md §1.2): the gateway name, manual payment method, transaction id. */
    gateway?: string;
    manual?: boolean;
    id?: string;
  }[];
  adjustments: { kind: 'shipping' | 'discrepancy'; amount: MoneyPair; tax: MoneyPair; reason: string }[];
  shippingLines: { amount: MoneyPair; tax: MoneyPair }[];
  /**
   * The return the refund belongs to (tenders.md §4.1): GraphQL `return { id exchangeLineItems }`
   * gives its exchange items (`items`); REST `refunds[].return` only its id (`items: null`).
   */
  exchange?: { returnId: string; items: { amount: MoneyPair; taxes: MoneyPair[] }[] | null } | undefined;
  /**
   * Set when the export carried only the refund's total (`totalRefundedSet`) and none of its
   * transactions, lines or adjustments: a bulk file of orders with their refunds inline (the
   * `refunds` list cannot hold connections in a bulk query). The refund is then its total.
   */
  totalOnly?: MoneyPair | undefined;
}

/** REST `*_set` / GraphQL `*Set` MoneyBag → MoneyPair. */
export function moneyBag(bag: unknown): MoneyPair | undefined {
  if (!isObj(bag)) return undefined;
  return {
    shop: moneySide(bag.shop_money ?? bag.shopMoney),
    presentment: moneySide(bag.presentment_money ?? bag.presentmentMoney),
  };
}

function moneySide(m: unknown): Money | undefined {
  return isObj(m)
    ? { amount: m.amount, currency: optString(m.currency_code ?? m.currencyCode) || undefined }
    : undefined;
}

function pick(pair: MoneyPair, which: 'shop' | 'presentment', currency: string): Money | undefined {
  const m = pair[which];
  if (!m || m.amount === undefined || m.amount === null) return undefined;
  if (m.currency && m.currency !== currency) return undefined;
  return m;
}

/** Minor units of a money pair in the given currency ('shop' side first), or undefined. */
function amountIn(
  pair: MoneyPair,
  which: 'shop' | 'presentment',
  currency: string,
  where: ErrorLocation,
  field: string | undefined,
): number | undefined {
  const m = pick(pair, which, currency);
  if (!m) return undefined;
  // The location object is built only when a message needs it (hot path).
  const fast = fastJsonMinor(m.amount, currency);
  if (fast !== undefined) return fast;
  return jsonMoney(m.amount, currency, { ...where, field });
}

/**
 * The refund's parts in presentment money, built beside the shop-money parts: `known` turns false
 * as soon as a part has a shop amount but no presentment amount (then the parts are not kept, and
 * a comparison in the customer's currency falls back to the total).
 */
class PresentmentPartsBuilder {
  known = true;
  readonly parts: PresentmentParts = { shipping: 0, tax: 0, adjustment: 0, lines: [] };
  sum = 0;
  constructor(
    private readonly currency: string,
    private readonly where: ErrorLocation,
  ) {}
  /** The presentment amount of a pair (0 when the pair has no amount on either side). */
  amount(pair: MoneyPair, field: string): number {
    const pres = amountIn(pair, 'presentment', this.currency, this.where, field);
    if (pres !== undefined) return pres;
    const shop = pair.shop?.amount;
    if (!isZeroAmount(shop)) this.known = false;
    return 0;
  }
}

/** No amount, or a zero one ("0.00", 0): nothing is missing in presentment money. */
function isZeroAmount(amount: unknown): boolean {
  if (amount === undefined || amount === null || amount === 0) return true;
  return typeof amount === 'string' && /^\s*-?0*(\.0*)?\s*$/.test(amount);
}

/** Transaction statuses that moved money, and those still waiting (shared with importers/shopify-rest-bytes.ts). */
export const SUCCESS_STATUSES: ReadonlySet<string> = new Set(['success', 'SUCCESS']);
export const PENDING_STATUSES: ReadonlySet<string> = new Set([
  'pending',
  'PENDING',
  'AWAITING_RESPONSE',
  'awaiting_response',
]);

export function neutralToCanonical(r: NeutralRefund, where: ErrorLocation): CanonicalRefundInput {
  if (r.totalOnly) return totalOnlyToCanonical(r, r.totalOnly, where);
  // Locations are built only when an error needs one (this runs once per refund of a 1M import).
  const at = (field: string): ErrorLocation => ({ ...where, field });
  const rLines = r.lines;
  const rTransactions = r.transactions;
  const rAdjustments = r.adjustments;
  // The shop currency: from the order, else from any shop money in the refund.
  let shopCurrency = r.shopCurrency;
  if (!shopCurrency) {
    const pairs: MoneyPair[] = [];
    for (const l of rLines) pairs.push(l.amount, l.tax);
    for (const t of rTransactions) pairs.push(t.amount);
    for (const a of rAdjustments) pairs.push(a.amount);
    for (const pair of pairs) {
      if (pair.shop?.currency) {
        shopCurrency = pair.shop.currency;
        break;
      }
    }
  }
  if (!shopCurrency) {
    throw inputError(
      'unknown_currency',
      `Refund ${r.id} does not say its currency (no order currency and no currency on its amounts). Export the orders with their refunds (orders.json) rather than bare refunds.`,
      at('currency'),
    );
  }
  const currency = resolveCurrencyCached(shopCurrency) || currencyAt(shopCurrency, at('currency'));
  const presCurrency = r.presentmentCurrency
    ? resolveCurrencyCached(r.presentmentCurrency) || currencyAt(r.presentmentCurrency, at('presentment_currency'))
    : undefined;
  const multi = presCurrency !== undefined && presCurrency !== currency;
  const pres = multi ? new PresentmentPartsBuilder(presCurrency, where) : undefined;
  let presTotalKnown = false;

  // Money moved: successful refund transactions.
  let total = 0;
  let presTotal = 0;
  let shopKnown = true;
  let successes = 0;
  let pending = 0;
  let failures = 0;
  let test = r.test;
  // One tender per successful refund transaction (tenders.md §1.2); undefined = say nothing (default).
  let tenders: Tender[] | undefined = [];
  let unknownShop = 0;
  for (let k = 0; k < rTransactions.length; k++) {
    const t = rTransactions[k]!;
    if (t.kind !== 'refund' && t.kind.toLowerCase() !== 'refund') continue;
    if (t.test) test = true;
    if (!SUCCESS_STATUSES.has(t.status)) {
      if (PENDING_STATUSES.has(t.status)) pending++;
      else failures++;
      continue;
    }
    successes++;
    const field = `transactions[${k}].amount`;
    const shop = amountIn(t.amount, 'shop', currency, where, field);
    if (shop !== undefined) total = addMinor(total, shop);
    else shopKnown = false;
    let p: number | undefined;
    if (multi) {
      p = amountIn(t.amount, 'presentment', presCurrency, where, field);
      if (p !== undefined) {
        presTotal = addMinor(presTotal, p);
        presTotalKnown = true;
      }
    }
    if (tenders && (shop === undefined || shop > 0)) {
      const gateway = t.gateway ?? '';
      // Amount 0 marks the one transaction given only in presentment money: its shop amount is
      // what the total keeps beyond the others (filled below), or the tenders fall back to `other`.
      if (shop === undefined) unknownShop++;
      tenders.push({
        kind: shopifyGatewayKind(gateway, t.manual === true),
        gateway,
        amount: shop ?? 0,
        presentmentAmount: p ?? null,
        state: 'settled',
        ref: t.id ?? '',
      });
    } else if (shop !== undefined && shop < 0) tenders = undefined;
  }

  const lines: RefundLine[] = [];
  let tax = 0;
  let lineSum = 0;
  for (let k = 0; k < rLines.length; k++) {
    const l = rLines[k]!;
    const quantity = l.quantity;
    if (typeof quantity !== 'number' || !Number.isSafeInteger(quantity)) {
      throw inputError('bad_quantity', badQuantity(quantity), {
        ...where,
        field: `refund_line_items[${k}].quantity`,
      });
    }
    const amount = amountIn(l.amount, 'shop', currency, where, `refund_line_items[${k}].subtotal`) ?? 0;
    const lineTax = amountIn(l.tax, 'shop', currency, where, `refund_line_items[${k}].total_tax`) ?? 0;
    tax = addMinor(tax, lineTax);
    lineSum = addMinor(lineSum, addMinor(amount, lineTax));
    lines.push({ sku: l.sku, description: l.description, quantity, amount, tax: lineTax, role: 'item' });
    if (pres) {
      const pa = pres.amount(l.amount, `refund_line_items[${k}].subtotal_set`);
      const pt = pres.amount(l.tax, `refund_line_items[${k}].total_tax_set`);
      pres.parts.lines.push({ amount: pa, tax: pt });
      pres.parts.tax = addMinor(pres.parts.tax, pt);
      pres.sum = addMinor(pres.sum, addMinor(pa, pt));
    }
  }

  let shipping = 0;
  let adjustment = 0;
  let hasShippingAdjustment = false;
  for (let k = 0; k < rAdjustments.length; k++) {
    const a = rAdjustments[k]!;
    // Adjustments are negative when money goes back to the customer.
    const amount = -(amountIn(a.amount, 'shop', currency, where, `order_adjustments[${k}].amount`) ?? 0);
    const adjTax = -(amountIn(a.tax, 'shop', currency, where, `order_adjustments[${k}].tax_amount`) ?? 0);
    tax = addMinor(tax, adjTax);
    let presAmount = 0;
    if (pres) {
      presAmount = 0 - pres.amount(a.amount, `order_adjustments[${k}].amount_set`);
      const pt = 0 - pres.amount(a.tax, `order_adjustments[${k}].tax_amount_set`);
      pres.parts.lines.push({ amount: presAmount, tax: pt });
      pres.parts.tax = addMinor(pres.parts.tax, pt);
      pres.sum = addMinor(pres.sum, addMinor(presAmount, pt));
      if (a.kind === 'shipping') pres.parts.shipping = addMinor(pres.parts.shipping, presAmount);
      else pres.parts.adjustment = addMinor(pres.parts.adjustment, presAmount);
    }
    if (a.kind === 'shipping') {
      hasShippingAdjustment = true;
      shipping = addMinor(shipping, amount);
      lines.push({
        sku: '',
        description: a.reason || 'Shipping refund',
        quantity: 0,
        amount,
        tax: adjTax,
        role: 'shipping',
      });
    } else {
      adjustment = addMinor(adjustment, amount);
      lines.push({
        sku: '',
        description: a.reason || 'Refund discrepancy',
        quantity: 0,
        amount,
        tax: adjTax,
        role: 'generic',
      });
    }
    lineSum = addMinor(lineSum, addMinor(amount, adjTax));
  }
  if (!hasShippingAdjustment) {
    for (let k = 0; k < r.shippingLines.length; k++) {
      const sl = r.shippingLines[k]!;
      const field = `refund_shipping_lines[${k}]`;
      const amount = amountIn(sl.amount, 'shop', currency, where, field) ?? 0;
      const shipTax = amountIn(sl.tax, 'shop', currency, where, field) ?? 0;
      shipping = addMinor(shipping, amount);
      tax = addMinor(tax, shipTax);
      lineSum = addMinor(lineSum, addMinor(amount, shipTax));
      lines.push({ sku: '', description: 'Shipping refund', quantity: 0, amount, tax: shipTax, role: 'shipping' });
      if (pres) {
        const pa = pres.amount(sl.amount, `${field}.subtotal_amount_set`);
        const pt = pres.amount(sl.tax, `${field}.tax_amount_set`);
        pres.parts.lines.push({ amount: pa, tax: pt });
        pres.parts.shipping = addMinor(pres.parts.shipping, pa);
        pres.parts.tax = addMinor(pres.parts.tax, pt);
        pres.sum = addMinor(pres.sum, addMinor(pa, pt));
      }
    }
  }
  // Transactions only in presentment money (REST multi-currency without amount_set): the shop
  // total is what the refund's own parts add up to in shop money.
  if (successes > 0 && !shopKnown) total = lineSum;

  const moneyMoved = successes > 0;
  // Transactions only in shop money: the presentment total is what the parts add up to in it.
  if (pres?.known && moneyMoved && !presTotalKnown) presTotal = pres.sum;
  const status = moneyMoved ? 'ok' : pending > 0 ? 'pending' : failures > 0 ? 'failed' : 'ok';
  const refundTotal = moneyMoved ? total : 0;
  if (tenders && unknownShop > 0) tenders = fillUnknownShop(tenders, unknownShop, refundTotal);
  let exchangeBlock: RefundExchange | undefined;
  let exchangeTotal = refundTotal;
  if (r.exchange) {
    const done = exchangeOf(r.exchange, lines, currency, where, tenders, refundTotal);
    exchangeBlock = done.block;
    if (done.tender && tenders) {
      tenders = [...tenders, done.tender];
      exchangeTotal = addMinor(refundTotal, done.tender.amount);
    }
  }
  return {
    side: 'storefront',
    id: r.id,
    documentNumber: r.id,
    recordType: 'refund',
    orderRef: r.orderRef,
    createdFrom: null,
    date: isoDateFast(r.date) ?? isoDateAt(r.date, at('processed_at')),
    currency,
    total: exchangeTotal,
    shipping,
    tax,
    adjustment,
    lines,
    kind: rLines.length > 0 ? 'line_item' : 'general',
    externalId: '',
    memo: r.note,
    isTest: test,
    status,
    appliesTo: '',
    moneyMoved,
    presentment:
      multi && moneyMoved && presTotal !== 0
        ? { currency: presCurrency, total: presTotal, ...(pres?.known ? { parts: pres.parts } : {}) }
        : null,
    // Tenders that do not add up to the total (amounts only in presentment money): the default `other`.
    ...(tenders && sumAmounts(tenders) === exchangeTotal ? { tenders } : {}),
    ...(exchangeBlock ? { exchange: exchangeBlock } : {}),
  };
}

/**
 * The exchange block and tender of a refund that belongs to a return (tenders.md §4.1):
 * R = Σ refunded item lines (amount + tax) + refunded shipping; E = Σ exchange line items Shopify
 * has processed (`processedQuantity` > 0: `discountedTotalSet` + `taxLines.priceSet`), null when
 * the export gives only the return id (REST); balance due = max(0, E − R). Exchange tender: none
 * when `exchange-credit` transactions already say it, else min(E, max(0, R − Σ other tenders)) —
 * how Shopify nets exchange value inside a Refund is [unconfirmed]; this gives 0 when the lines are
 * already net and the comparison then falls back to amounts. A return with no processed exchange
 * value (E = 0) is a plain return: no block.
 */
function exchangeOf(
  ex: NonNullable<NeutralRefund['exchange']>,
  lines: readonly RefundLine[],
  currency: string,
  where: ErrorLocation,
  tenders: readonly Tender[] | undefined,
  moneyTotal: number,
): { block: RefundExchange | undefined; tender: Tender | undefined } {
  let returned = 0;
  for (const l of lines)
    if (l.role === 'item' || l.role === 'shipping') returned = addMinor(returned, addMinor(l.amount, l.tax));
  if (ex.items === null) {
    return {
      block: { returnId: ex.returnId, returnedValue: returned, exchangeValue: null, balanceDue: null },
      tender: undefined,
    };
  }
  let exchanged = 0;
  for (const [k, item] of ex.items.entries()) {
    const field = `return.exchangeLineItems[${k}]`;
    exchanged = addMinor(exchanged, amountIn(item.amount, 'shop', currency, where, `${field}.discountedTotalSet`) ?? 0);
    for (const t of item.taxes)
      exchanged = addMinor(exchanged, amountIn(t, 'shop', currency, where, `${field}.taxLines`) ?? 0);
  }
  if (exchanged <= 0) return { block: undefined, tender: undefined };
  const block: RefundExchange = {
    returnId: ex.returnId,
    returnedValue: returned,
    exchangeValue: exchanged,
    balanceDue: Math.max(0, exchanged - returned),
  };
  if (tenders?.some((t) => t.kind === 'exchange')) return { block, tender: undefined };
  const amount = Math.min(exchanged, Math.max(0, returned - moneyTotal));
  return {
    block,
    tender:
      amount > 0
        ? { kind: 'exchange', gateway: '', amount, presentmentAmount: null, state: 'settled', ref: ex.returnId }
        : undefined,
  };
}

/** The one tender without a shop amount takes the rest of the total; more than one: unknown. */
function fillUnknownShop(tenders: Tender[], unknown: number, total: number): Tender[] | undefined {
  if (unknown !== 1) return undefined;
  const rest = total - sumAmounts(tenders);
  if (rest <= 0) return undefined;
  return tenders.map((t) => (t.amount === 0 ? { ...t, amount: rest } : t));
}

function sumAmounts(tenders: readonly Tender[]): number {
  let sum = 0;
  for (const t of tenders) sum += t.amount;
  return sum;
}

/**
 * A refund known only by its total (`totalRefundedSet`): compared on that total, with no lines and
 * `linesExported: false` so the hint says its lines were not exported — never "no money moved".
 */
function totalOnlyToCanonical(r: NeutralRefund, total: MoneyPair, where: ErrorLocation): CanonicalRefundInput {
  const at = (field: string): ErrorLocation => ({ ...where, field });
  const shopCurrency = r.shopCurrency ?? total.shop?.currency;
  if (!shopCurrency) {
    throw inputError(
      'unknown_currency',
      `Refund ${r.id} does not say its currency (no order currency and no currency on totalRefundedSet).`,
      at('totalRefundedSet'),
    );
  }
  const currency = resolveCurrencyCached(shopCurrency) || currencyAt(shopCurrency, at('currency'));
  const shop = amountIn(total, 'shop', currency, where, 'totalRefundedSet.shopMoney.amount') ?? 0;
  const presCode = r.presentmentCurrency ?? total.presentment?.currency;
  const presCurrency = presCode
    ? resolveCurrencyCached(presCode) || currencyAt(presCode, at('presentmentCurrencyCode'))
    : undefined;
  const pres =
    presCurrency && presCurrency !== currency
      ? amountIn(total, 'presentment', presCurrency, where, 'totalRefundedSet.presentmentMoney.amount')
      : undefined;
  const moneyMoved = shop > 0;
  return {
    side: 'storefront',
    id: r.id,
    documentNumber: r.id,
    recordType: 'refund',
    orderRef: r.orderRef,
    createdFrom: null,
    date: isoDateFast(r.date) ?? isoDateAt(r.date, at('createdAt')),
    currency,
    total: shop,
    shipping: 0,
    tax: 0,
    adjustment: 0,
    lines: [],
    kind: 'general',
    externalId: '',
    memo: r.note,
    isTest: r.test,
    status: 'ok',
    appliesTo: '',
    moneyMoved,
    linesExported: false,
    presentment:
      moneyMoved && presCurrency && pres !== undefined && pres !== 0 ? { currency: presCurrency, total: pres } : null,
  };
}

function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** GraphQL connection (edges/nodes) or plain list → nodes. */
export function nodes(value: unknown): Obj[] {
  if (Array.isArray(value)) return value.filter(isObj);
  if (isObj(value)) {
    if (Array.isArray(value.nodes)) return value.nodes.filter(isObj);
    if (Array.isArray(value.edges)) return value.edges.map((e) => (isObj(e) ? e.node : undefined)).filter(isObj);
  }
  return [];
}

// ---------------------------------------------------------------------------------------------
// REST (apis.md §2.5)

function restPair(plain: unknown, set: unknown, currency: unknown): MoneyPair {
  const bag = moneyBag(set);
  if (bag?.shop) return bag;
  return {
    shop:
      plain === undefined || plain === null ? undefined : { amount: plain, currency: optString(currency) || undefined },
  };
}

export interface RestOrderInfo {
  name?: string;
  currency?: string;
  presentmentCurrency?: string;
  test?: boolean;
}

export function restOrderInfo(order: Obj): RestOrderInfo {
  return {
    name: optString(order.name) || (order.order_number !== undefined ? `#${optString(order.order_number)}` : undefined),
    currency: optString(order.currency) || undefined,
    presentmentCurrency: optString(order.presentment_currency) || undefined,
    test: order.test === true,
  };
}

/** A REST refund object (with its order's name and currencies when known) → neutral. */
export function restRefundToNeutral(
  refund: Obj,
  order: RestOrderInfo | undefined,
  where: ErrorLocation,
): NeutralRefund {
  const id = refund.id;
  if ((typeof id !== 'number' && typeof id !== 'string') || id === '') {
    throw inputError('missing_field', `A refund has no id (found ${shown(id)}); expected the REST refund object.`, {
      ...where,
      field: 'refunds[].id',
    });
  }
  const orderRef = order?.name ?? (refund.order_id !== undefined ? optString(refund.order_id) : '');
  return {
    id: String(id),
    orderRef,
    date: refund.processed_at ?? refund.created_at,
    note: optString(refund.note),
    shopCurrency: order?.currency,
    presentmentCurrency: order?.presentmentCurrency,
    test: order?.test === true,
    lines: arr(refund.refund_line_items)
      .filter(isObj)
      .map((l) => {
        const item = isObj(l.line_item) ? l.line_item : {};
        return {
          sku: optString(item.sku),
          description: optString(item.name ?? item.title),
          quantity: l.quantity,
          amount: restPair(l.subtotal, l.subtotal_set, undefined),
          tax: restPair(l.total_tax, l.total_tax_set, undefined),
        };
      }),
    transactions: arr(refund.transactions)
      .filter(isObj)
      .map((t) => {
        const bag = moneyBag(t.amount_set);
        const currency = optString(t.currency) || undefined;
        let amount: MoneyPair;
        if (bag?.shop) amount = bag;
        else if (
          currency &&
          order?.presentmentCurrency &&
          currency === order.presentmentCurrency &&
          currency !== order.currency
        ) {
          amount = { presentment: { amount: t.amount, currency } };
        } else amount = { shop: { amount: t.amount, currency } };
        return {
          kind: optString(t.kind),
          status: optString(t.status),
          amount,
          test: t.test === true,
          gateway: optString(t.gateway),
          id: optString(t.id),
        };
      }),
    adjustments: arr(refund.order_adjustments)
      .filter(isObj)
      .map((a) => ({
        kind: optString(a.kind) === 'shipping_refund' ? ('shipping' as const) : ('discrepancy' as const),
        amount: restPair(a.amount, a.amount_set, undefined),
        tax: restPair(a.tax_amount, a.tax_amount_set, undefined),
        reason: optString(a.reason),
      })),
    shippingLines: arr(refund.refund_shipping_lines)
      .filter(isObj)
      .map((s) => ({
        amount: restPair(s.subtotal_amount, s.subtotal_amount_set, undefined),
        tax: restPair(s.tax_amount, s.tax_amount_set, undefined),
      })),
    // REST `refunds[].return` carries the return's id only: no exchange value (tenders.md §4.1).
    ...(refund.return !== undefined && refund.return !== null ? restReturn(refund.return) : {}),
  };
}

function restReturn(value: unknown): Pick<NeutralRefund, 'exchange'> {
  const id = isObj(value) ? gidTail(value.id ?? value.admin_graphql_api_id) : gidTail(value);
  return id ? { exchange: { returnId: id, items: null } } : {};
}

/** Every refund of a REST order, canonical. */
export function shopifyOrderToRefunds(order: Obj, where: ErrorLocation = {}): CanonicalRefundInput[] {
  const info = restOrderInfo(order);
  return arr(order.refunds)
    .filter(isObj)
    .map((refund) => neutralToCanonical(restRefundToNeutral(refund, info, where), where));
}

/** One REST refund (from `/refunds.json`), with the order's info when known. */
export function shopifyRefundToRefund(
  refund: Obj,
  order?: RestOrderInfo,
  where: ErrorLocation = {},
): CanonicalRefundInput {
  return neutralToCanonical(restRefundToNeutral(refund, order, where), where);
}

// ---------------------------------------------------------------------------------------------
// GraphQL (apis.md §2.2)

export function gidTail(gid: unknown): string {
  const s = optString(gid);
  const slash = s.lastIndexOf('/');
  return slash >= 0 ? s.slice(slash + 1) : s;
}

export interface GraphqlOrderInfo {
  name: string;
  currency?: string;
  presentmentCurrency?: string;
  test: boolean;
}

export function graphqlOrderInfo(order: Obj): GraphqlOrderInfo {
  return {
    name: optString(order.name),
    currency: optString(order.currencyCode) || undefined,
    presentmentCurrency: optString(order.presentmentCurrencyCode) || undefined,
    test: order.test === true,
  };
}

export interface GraphqlRefundChildren {
  refundLineItems: Obj[];
  transactions: Obj[];
  orderAdjustments: Obj[];
  refundShippingLines: Obj[];
}

const DETAIL_KEYS: readonly (keyof GraphqlRefundChildren)[] = [
  'refundLineItems',
  'transactions',
  'orderAdjustments',
  'refundShippingLines',
];

export function graphqlRefundToNeutral(
  refund: Obj,
  order: GraphqlOrderInfo | undefined,
  children: GraphqlRefundChildren | undefined,
  where: ErrorLocation,
): NeutralRefund {
  const id = optString(refund.legacyResourceId) || gidTail(refund.id);
  if (!id) throw inputError('missing_field', 'A refund has no id or legacyResourceId.', { ...where, field: 'id' });
  const list = (key: keyof GraphqlRefundChildren): Obj[] => [...nodes(refund[key]), ...(children?.[key] ?? [])];
  const detailed = DETAIL_KEYS.some((k) => refund[k] !== undefined || (children?.[k].length ?? 0) > 0);
  return {
    totalOnly: detailed ? undefined : moneyBag(refund.totalRefundedSet),
    id,
    orderRef: order?.name ?? '',
    date: refund.processedAt ?? refund.createdAt,
    note: optString(refund.note),
    shopCurrency: order?.currency,
    presentmentCurrency: order?.presentmentCurrency,
    test: order?.test === true,
    lines: list('refundLineItems').map((l) => {
      const item = isObj(l.lineItem) ? l.lineItem : {};
      return {
        sku: optString(item.sku),
        description: optString(item.name ?? item.title),
        quantity: l.quantity,
        amount: moneyBag(l.subtotalSet) ?? {},
        tax: moneyBag(l.totalTaxSet) ?? {},
      };
    }),
    transactions: list('transactions').map((t) => ({
      kind: optString(t.kind),
      status: optString(t.status),
      amount: moneyBag(t.amountSet) ?? {},
      test: t.test === true,
      gateway: optString(t.gateway),
      manual: t.manualPaymentGateway === true,
      id: optString(t.legacyResourceId) || gidTail(t.id),
    })),
    adjustments: list('orderAdjustments').map((a) => ({
      kind: /shipping/i.test(optString(a.kind ?? a.reason)) ? ('shipping' as const) : ('discrepancy' as const),
      amount: moneyBag(a.amountSet) ?? {},
      tax: moneyBag(a.taxAmountSet) ?? {},
      reason: optString(a.reason),
    })),
    shippingLines: list('refundShippingLines').map((s) => ({
      amount: moneyBag(s.subtotalAmountSet ?? s.subtotalSet) ?? {},
      tax: moneyBag(s.taxAmountSet ?? s.taxSet) ?? {},
    })),
    ...(isObj(refund.return) ? graphqlReturn(refund.return) : {}),
  };
}

/**
 * `Refund.return { id exchangeLineItems { nodes { processedQuantity lineItems { discountedTotalSet
 * taxLines { priceSet } } } } }` (tenders.md §1.2; ExchangeLineItem 2025-07 and later [doc S7]) →
 * the return id and its processed exchange items. Without `exchangeLineItems` (an export that did
 * not ask for them) only the id is known, as from REST.
 */
function graphqlReturn(ret: Obj): Pick<NeutralRefund, 'exchange'> {
  const returnId = gidTail(ret.id);
  if (!returnId) return {};
  if (ret.exchangeLineItems === undefined || ret.exchangeLineItems === null) {
    return { exchange: { returnId, items: null } };
  }
  const items: { amount: MoneyPair; taxes: MoneyPair[] }[] = [];
  for (const e of nodes(ret.exchangeLineItems)) {
    if (!(typeof e.processedQuantity === 'number' && e.processedQuantity > 0)) continue;
    const lineItems = Array.isArray(e.lineItems) ? e.lineItems.filter(isObj) : isObj(e.lineItem) ? [e.lineItem] : [];
    for (const li of lineItems) {
      items.push({
        amount: moneyBag(li.discountedTotalSet) ?? {},
        taxes: arr(li.taxLines)
          .filter(isObj)
          .map((t) => moneyBag(t.priceSet) ?? {}),
      });
    }
  }
  return { exchange: { returnId, items } };
}

/** A GraphQL order with its refunds (and their connections inline) → canonical refunds. */
export function shopifyGraphqlOrderToRefunds(order: Obj, where: ErrorLocation = {}): CanonicalRefundInput[] {
  const info = graphqlOrderInfo(order);
  return nodes(order.refunds).map((refund) =>
    neutralToCanonical(graphqlRefundToNeutral(refund, info, undefined, where), where),
  );
}
