import type { CanonicalRefundInput } from '../../shared/model';
import { type ImportContext, inputError, isObj, type Obj, shown } from './common';
import { readJson } from './json-stream';
import { shopifyOrderToRefunds, shopifyRefundToRefund } from './shopify-common';
import type { TextSource } from './source';

export { shopifyOrderToRefunds, shopifyRefundToRefund } from './shopify-common';

/**
 * `shopify-json`: Shopify Admin REST order JSON (apis.md §2.5) — `{"orders":[…]}`,
 * `{"order":{…}}`, an array of orders, NDJSON with one order (or one page) per line, or
 * `{"refunds":[…]}` / `{"refund":{…}}` from the refunds endpoint.
 */
export async function* shopifyJsonRefunds(
  source: TextSource,
  ctx: ImportContext,
): AsyncGenerator<CanonicalRefundInput> {
  for await (const item of readJson(source, { containerKeys: ['orders', 'refunds'] })) {
    if (item.key?.startsWith('.')) continue; // other members of a wrapper ({"orders":[…], "links":…})
    const where = { file: ctx.file, line: item.line };
    ctx.rows++;
    yield* fromValue(item.value, item.key, where, ctx);
  }
}

function isRefund(value: Obj): boolean {
  return (
    value.refund_line_items !== undefined ||
    value.order_adjustments !== undefined ||
    (value.transactions !== undefined && value.refunds === undefined)
  );
}

function* fromValue(
  value: unknown,
  key: string | null,
  where: { file: string; line: number },
  ctx: ImportContext,
): Generator<CanonicalRefundInput> {
  if (!isObj(value)) {
    throw inputError(
      'unexpected_json',
      `Expected a Shopify order object, found ${shown(value)}. The shopify-json format reads REST orders ({"orders":[…]}) or refunds ({"refunds":[…]}).`,
      where,
    );
  }
  if (key === 'refunds') {
    yield shopifyRefundToRefund(value, currencyOnly(ctx), where);
    return;
  }
  if (key === null) {
    if (Array.isArray(value.orders)) {
      for (const order of value.orders) yield* fromValue(order, 'orders', where, ctx);
      return;
    }
    if (isObj(value.order)) {
      yield* fromValue(value.order, 'orders', where, ctx);
      return;
    }
    if (Array.isArray(value.refunds) && value.id === undefined) {
      for (const refund of value.refunds) yield* fromValue(refund, 'refunds', where, ctx);
      return;
    }
    if (isObj(value.refund)) {
      yield* fromValue(value.refund, 'refunds', where, ctx);
      return;
    }
  }
  if (isRefund(value)) {
    yield shopifyRefundToRefund(value, currencyOnly(ctx), where);
    return;
  }
  if (value.refunds === undefined && value.id === undefined) {
    throw inputError(
      'unexpected_json',
      `Expected a Shopify order (with "id", "name" and "refunds"), found an object with ${Object.keys(value).slice(0, 5).join(', ') || 'no fields'}. Is this file in another format? Use --format to choose.`,
      where,
    );
  }
  if (value.refunds !== undefined && !Array.isArray(value.refunds)) {
    throw inputError('unexpected_json', `"refunds" should be a list, found ${shown(value.refunds)}.`, {
      ...where,
      field: 'refunds',
    });
  }
  // Orders without refunds are normal in a full export: they contribute nothing.
  yield* shopifyOrderToRefunds(value, where);
}

function currencyOnly(ctx: ImportContext) {
  return ctx.currency ? { currency: ctx.currency } : undefined;
}
