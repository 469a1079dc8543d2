import type { CanonicalRefund } from '../../shared/model';
import { formatAmount, type MinorUnits, minorFromApiNumber, parseAmount, sumMinor } from '../../shared/money';
import type { NetsuiteBuild } from './builders/netsuite-record';
import type { StorefrontBuild } from './builders/storefront-request';
import { netsuiteTenderCheck, storefrontTenderCheck } from './tender-check';
import type { NetsuiteOrderContext, SyncOptions } from './types';

export type CheckName =
  | 'build'
  | 'total'
  | 'lines'
  | 'tax'
  | 'shipping'
  | 'currency'
  | 'record_type'
  | 'already_synced'
  | 'cutoff'
  | 'round_trip'
  | 'tender';

export interface Check {
  name: CheckName;
  ok: boolean;
  expected: string;
  found: string;
  message: string;
}

export type RefundScope = 'full' | 'partial' | 'shipping' | 'tax' | 'general';

function money(minor: MinorUnits, currency: string): string {
  return `${formatAmount(minor, currency)} ${currency}`;
}

function readNumber(value: unknown, currency: string): MinorUnits | null {
  if (typeof value === 'number') {
    const parsed = minorFromApiNumber(value, currency);
    return parsed.ok ? parsed.minor : null;
  }
  if (typeof value === 'string') {
    const parsed = parseAmount(value, currency);
    return parsed.ok ? parsed.minor : null;
  }
  return null;
}

/** What a refund is, for dry-run coverage (spec §8: a full, a partial and a shipping refund). */
export function refundScope(refund: CanonicalRefund, orderTotal: MinorUnits | null): RefundScope {
  const items = refund.lines.filter((l) => l.role === 'item');
  const shippingOnly = items.length === 0 && refund.shipping > 0 && refund.total <= refund.shipping + refund.tax;
  if (shippingOnly || (items.length === 0 && refund.lines.some((l) => l.role === 'shipping'))) return 'shipping';
  if (items.length === 0 && refund.tax > 0 && refund.total === refund.tax) return 'tax';
  if (orderTotal !== null && refund.total === orderTotal) return 'full';
  if (items.length === 0 && refund.kind === 'general') return 'general';
  return 'partial';
}

interface NsLineRead {
  itemId: string;
  quantity: number;
  amount: MinorUnits | null;
}

/**
 * Reads the would-be NetSuite record back, as an importer of `record-json` would, and compares it
 * with the storefront refund: the check is against the payload, not against the builder's plan.
 */
export function checkNetsuiteBuild(
  source: CanonicalRefund,
  build: NetsuiteBuild,
  order: NetsuiteOrderContext | null,
  alreadySynced: string | null,
  options: Pick<SyncOptions, 'currencyIds' | 'paymentMethods' | 'tenderItems'>,
): Check[] {
  const currencyIds = options.currencyIds;
  const checks: Check[] = [];
  const currency = build.currency;
  checks.push({
    name: 'build',
    ok: build.problems.length === 0 && build.writes.length > 0,
    expected: 'a complete record',
    found: build.problems.length ? build.problems.map((p) => p.code).join(', ') : `${build.writes.length} write(s)`,
    message: build.problems.map((p) => p.message).join(' ') || 'The record could be built.',
  });
  const main = build.writes[0];
  if (!main) {
    checks.push(alreadySyncedCheck(alreadySynced));
    return checks;
  }

  const body = main.body as Record<string, unknown>;
  const itemList = ((body.item as { items?: unknown[] } | undefined)?.items ?? []) as Record<string, unknown>[];
  const read: NsLineRead[] = itemList.map((l) => ({
    itemId: String((l.item as { id?: string } | undefined)?.id ?? ''),
    quantity: Number(l.quantity ?? 0),
    amount: readNumber(l.amount, currency),
  }));
  const recordTotal =
    main.recordType === 'customerRefund'
      ? readNumber(body.total, currency)
      : read.some((l) => l.amount === null)
        ? null
        : sumMinor(read.map((l) => l.amount ?? 0));
  // With stored value on tender items, NetSuite's own total is the money part (§1.4 recordTotal).
  const expectedTotal = build.recordTotal;
  const onItems = build.recordTotal !== build.total;
  checks.push({
    name: 'total',
    ok: recordTotal === expectedTotal,
    expected: money(expectedTotal, currency),
    found: recordTotal === null ? 'unreadable amount' : money(recordTotal, currency),
    message:
      recordTotal === expectedTotal
        ? onItems
          ? `The record total is the money part, ${money(expectedTotal, currency)}; the tender items carry the other ${money(build.total - expectedTotal, currency)} of the refund.`
          : 'The record total equals the refund total.'
        : `The record would total ${recordTotal === null ? 'an unreadable amount' : money(recordTotal, currency)}; the storefront refunded ${money(expectedTotal, currency)}.`,
  });

  if (main.recordType !== 'customerRefund') {
    const planned = build.lines;
    const lineProblems: string[] = [];
    for (const line of source.lines.filter((l) => l.role === 'item')) {
      if (build.lines.every((p) => p.role !== 'item')) break; // general record: no line detail expected
      const plan = planned.find((p) => p.role === 'item' && p.sku === line.sku);
      const idx = plan ? planned.indexOf(plan) : -1;
      const got = idx >= 0 ? read[idx] : undefined;
      if (!got?.itemId) lineProblems.push(`${line.sku}: no NetSuite item`);
      else if (got.quantity !== line.quantity || got.amount !== line.amount)
        lineProblems.push(
          `${line.sku}: expected ${line.quantity} × ${money(line.amount, currency)}, found ${got.quantity} × ${got.amount === null ? '?' : money(got.amount, currency)}`,
        );
    }
    checks.push({
      name: 'lines',
      ok: lineProblems.length === 0,
      expected: `${source.lines.filter((l) => l.role === 'item').length} item line(s)`,
      found: `${planned.filter((p) => p.role === 'item').length} item line(s), ${planned.filter((p) => p.role !== 'item').length} other`,
      message: lineProblems.length
        ? `Item lines differ: ${lineProblems.join('; ')}.`
        : 'Item lines carry the refunded SKUs, quantities and amounts.',
    });
    const generalOnly = planned.every((p) => p.role === 'generic');
    const taxIdx = planned.findIndex((p) => p.role === 'tax');
    const tax = taxIdx >= 0 ? (read[taxIdx]?.amount ?? null) : 0;
    const sourceTax = source.tax > 0 ? source.tax : sumMinor(source.lines.map((l) => l.tax));
    const taxOk = generalOnly || tax === sourceTax;
    checks.push({
      name: 'tax',
      ok: taxOk,
      expected: money(sourceTax, source.currency),
      found: generalOnly ? 'inside the generic line' : tax === null ? 'unreadable' : money(tax, currency),
      message: taxOk ? 'Tax refunded is carried.' : 'The tax refunded differs from the storefront refund.',
    });
    const shipIdx = planned.findIndex((p) => p.role === 'shipping');
    const shipping = shipIdx >= 0 ? (read[shipIdx]?.amount ?? null) : 0;
    const sourceShipping =
      source.shipping > 0
        ? source.shipping
        : sumMinor(source.lines.filter((l) => l.role === 'shipping').map((l) => l.amount));
    const shipOk = generalOnly || shipping === sourceShipping;
    checks.push({
      name: 'shipping',
      ok: shipOk,
      expected: money(sourceShipping, source.currency),
      found: generalOnly ? 'inside the generic line' : shipping === null ? 'unreadable' : money(shipping, currency),
      message: shipOk ? 'Shipping refunded is carried.' : 'The shipping refunded differs from the storefront refund.',
    });
    const positive = read.some((l) => (l.amount ?? 0) > 0);
    if (!positive) {
      checks.push({
        name: 'lines',
        ok: false,
        expected: 'one positive line',
        found: 'none',
        message: 'NetSuite needs at least one positive line.',
      });
    }
  }

  const currencyId = (body.currency as { id?: string } | undefined)?.id;
  const named = currencyId ? Object.entries(currencyIds).find(([, id]) => id === currencyId)?.[0] : undefined;
  const currencyOk = order ? order.currency === currency && (!currencyId || named === currency) : false;
  checks.push({
    name: 'currency',
    ok: currencyOk,
    expected: order?.currency ?? '(order unknown)',
    found: currencyId ? `${named ?? '?'} (id ${currencyId})` : `${currency} (customer's currency)`,
    message: currencyOk
      ? 'The record is in the currency NetSuite holds the order in.'
      : 'The record currency differs from the order currency in NetSuite.',
  });

  const billing = order?.billing.type ?? 'none';
  const expectedType = build.openCredit
    ? 'creditMemo'
    : billing === 'cashSale'
      ? 'cashRefund'
      : billing === 'invoice'
        ? 'creditMemo'
        : 'customerRefund';
  const openOk = !build.openCredit || (body.createdFrom === undefined && build.writes.length === 1);
  checks.push({
    name: 'record_type',
    ok: main.recordType === expectedType && openOk,
    expected: build.openCredit
      ? 'creditMemo without Created From, no Customer Refund (store credit)'
      : `${expectedType} (order billed by ${billing === 'none' ? 'nothing yet' : billing})`,
    found: `${main.recordType}${build.writes.length > 1 ? ` + ${build.writes.length - 1} more` : ''}`,
    message:
      main.recordType === expectedType && openOk
        ? build.openCredit
          ? 'Store credit is a Credit Memo left open: no Created From, no Customer Refund.'
          : 'The record type follows how the order was billed, as NetSuite’s Refund button chooses.'
        : 'The record type does not follow how the order was billed.',
  });
  checks.push(netsuiteTenderCheck(source, build, options));
  checks.push(alreadySyncedCheck(alreadySynced));
  return checks;
}

/** Spec §2 "Import Orders Created After": an order created before the cutoff is never synced. */
export function cutoffCheck(reason: string | null, cutoff: string): Check {
  return {
    name: 'cutoff',
    ok: reason === null,
    expected: `order created on or after ${cutoff}`,
    found: reason === null ? 'within the cutoff' : 'before the cutoff',
    message: reason ?? 'The order is within the "Import Orders Created After" cutoff.',
  };
}

function alreadySyncedCheck(alreadySynced: string | null): Check {
  return {
    name: 'already_synced',
    ok: alreadySynced === null,
    expected: 'not yet on the target',
    found: alreadySynced ?? 'not found',
    message:
      alreadySynced === null
        ? 'Not synced yet.'
        : `Already synced (${alreadySynced}): the sync would skip it, and a second record would be a duplicate.`,
  };
}

/** Reads the would-be storefront request back and compares it with the NetSuite record. */
export function checkStorefrontBuild(
  source: CanonicalRefund,
  build: StorefrontBuild,
  alreadySynced: string | null,
): Check[] {
  const checks: Check[] = [];
  const currency = build.currency;
  checks.push({
    name: 'build',
    ok: build.problems.length === 0 && build.writes.length > 0,
    expected: 'a complete request',
    found: build.problems.length ? build.problems.map((p) => p.code).join(', ') : `${build.writes.length} request(s)`,
    message: build.problems.map((p) => p.message).join(' ') || 'The request could be built.',
  });
  const write = build.writes.find((w) => w.writes);
  if (!write) {
    checks.push(alreadySyncedCheck(alreadySynced));
    return checks;
  }
  let total: MinorUnits | null = null;
  let lineCount = 0;
  let shipping: MinorUnits | null = 0;
  let currencyFound = currency;
  if (write.kind === 'shopify_refund_create') {
    const input = (write.body.variables as { input: Record<string, unknown> }).input;
    const tx = (input.transactions as { amount: string }[] | undefined) ?? [];
    const credit = (
      (input.refundMethods as { storeCreditRefund?: { amount?: { amount?: string } } }[] | undefined) ?? []
    ).map((m) => m.storeCreditRefund?.amount?.amount ?? '');
    const amounts = [...tx.map((t) => t.amount), ...credit];
    total = amounts.length ? sumMinor(amounts.map((a) => readNumber(a, currency) ?? Number.NaN)) : null;
    if (total !== null && Number.isNaN(total)) total = null;
    lineCount = ((input.refundLineItems as unknown[] | undefined) ?? []).length;
    shipping = readNumber((input.shipping as { amount?: string } | undefined)?.amount ?? '0', currency);
    if (typeof input.currency === 'string') currencyFound = input.currency;
  } else if (write.kind === 'bigcommerce_refund') {
    const payments = write.body.payments as { amount: number }[];
    total = sumMinor(payments.map((p) => readNumber(p.amount, currency) ?? 0));
    const items = write.body.items as { item_type: string; amount?: number }[];
    lineCount = items.filter((i) => i.item_type === 'PRODUCT').length;
    shipping = sumMinor(
      items.filter((i) => i.item_type === 'SHIPPING').map((i) => readNumber(i.amount, currency) ?? 0),
    );
  } else if (write.kind === 'woocommerce_refund') {
    total = readNumber(write.body.amount, currency);
    lineCount = ((write.body.line_items as { quantity?: number }[] | undefined) ?? []).filter(
      (l) => l.quantity !== undefined,
    ).length;
    shipping = null;
  } else {
    const args = write.body.arguments as { shipping_amount: number; adjustment_positive: number };
    lineCount = (write.body.items as unknown[]).length;
    shipping = readNumber(args.shipping_amount, currency);
    total = null;
  }
  checks.push({
    name: 'total',
    ok: total === null ? write.kind === 'magento_refund' : total === source.total,
    expected: money(source.total, source.currency),
    found: total === null ? 'computed by the storefront' : money(total, currency),
    message:
      total === source.total || (total === null && write.kind === 'magento_refund')
        ? 'The refund amount equals the NetSuite total.'
        : `The request would refund ${total === null ? 'an unknown amount' : money(total, currency)}; NetSuite recorded ${money(source.total, source.currency)}.`,
  });
  const expectedLines = build.mode === 'amount_only' ? 0 : source.lines.filter((l) => l.role === 'item').length;
  checks.push({
    name: 'lines',
    ok: lineCount === expectedLines && !build.problems.some((p) => p.code === 'item_not_on_order'),
    expected: `${expectedLines} item line(s)${build.mode === 'amount_only' ? ' (amount only)' : ''}`,
    found: `${lineCount} item line(s)`,
    message:
      lineCount === expectedLines
        ? 'The refunded lines are carried.'
        : 'The refunded lines differ from the NetSuite record.',
  });
  const sourceShipping =
    source.shipping > 0
      ? source.shipping
      : sumMinor(source.lines.filter((l) => l.role === 'shipping').map((l) => l.amount));
  const shipOk = build.mode === 'amount_only' || shipping === null || shipping === sourceShipping;
  checks.push({
    name: 'shipping',
    ok: shipOk,
    expected: money(sourceShipping, source.currency),
    found:
      build.mode === 'amount_only'
        ? 'inside the amount'
        : shipping === null
          ? 'a shipping line'
          : money(shipping, currency),
    message: shipOk ? 'Shipping refunded is carried.' : 'The shipping refunded differs from the NetSuite record.',
  });
  checks.push({
    name: 'tax',
    ok: true,
    expected: money(source.tax, source.currency),
    found: 'computed by the storefront from the lines',
    message: 'The storefront recomputes tax from the refunded lines; the total check covers it.',
  });
  checks.push({
    name: 'currency',
    ok: currencyFound === source.currency,
    expected: source.currency,
    found: currencyFound,
    message: currencyFound === source.currency ? 'Same currency.' : 'The refund would be in another currency.',
  });
  checks.push({
    name: 'record_type',
    ok: source.recordType === 'cashRefund' || source.recordType === 'creditMemo',
    expected: 'cashRefund or creditMemo',
    found: source.recordType,
    message: 'Only Cash Refunds and Credit Memos are synced out.',
  });
  checks.push(storefrontTenderCheck(source, build, write));
  checks.push(alreadySyncedCheck(alreadySynced));
  return checks;
}
