import type { CanonicalRefundInput } from '../../shared/model';
import { type WooOrderInfo, woocommerceRefundToRefund } from '../mapping/woocommerce';
import { type ImportContext, inputError, isObj, optString, shown } from './common';
import { readJson } from './json-stream';
import type { TextSource } from './source';

/**
 * The `woocommerce-json` file reader: streams v3 order refunds (apis.md §4) — an array of refunds,
 * or orders carrying refunds — and maps each with `woocommerceRefundToRefund` (mapping/woocommerce.ts),
 * the mapping the WooCommerce pull uses too.
 */
export async function* woocommerceJsonRefunds(
  source: TextSource,
  ctx: ImportContext,
): AsyncGenerator<CanonicalRefundInput> {
  for await (const item of readJson(source)) {
    const where = { file: ctx.file, line: item.line };
    const values = item.key === null && Array.isArray(item.value) ? item.value : [item.value];
    for (const value of values) {
      if (!isObj(value))
        throw inputError('unexpected_json', `Expected a WooCommerce refund or order, found ${shown(value)}.`, where);
      ctx.rows++;
      if (Array.isArray(value.refunds)) {
        const order: WooOrderInfo = {
          number: optString(value.number ?? value.id),
          currency: optString(value.currency) || undefined,
          date: value.date_modified ?? value.date_created,
          paymentMethod: optString(value.payment_method),
        };
        for (const refund of value.refunds) {
          if (!isObj(refund)) continue;
          yield woocommerceRefundToRefund(refund, order, { file: ctx.file, line: item.line, currency: ctx.currency });
        }
        continue;
      }
      if (value.amount === undefined) {
        throw inputError(
          'unexpected_json',
          `Expected a WooCommerce refund (id, amount, line_items) or an order with "refunds", found an object with ${Object.keys(value).slice(0, 5).join(', ')}. Is this file in another format?`,
          where,
        );
      }
      yield woocommerceRefundToRefund(value, undefined, { file: ctx.file, line: item.line, currency: ctx.currency });
    }
  }
}
