import type { CanonicalRefundInput } from '../../shared/model';
import { bigcommerceRefundToRefund } from '../mapping/bigcommerce';
import { type ImportContext, inputError, isObj, shown } from './common';
import { readJson } from './json-stream';
import type { TextSource } from './source';

/**
 * The `bigcommerce-json` file reader: streams the v3 refunds collection `{"data":[Refund…],"meta":{…}}`
 * (apis.md §3), a single `{"data":Refund}`, or a bare array, and maps each refund with
 * `bigcommerceRefundToRefund` (mapping/bigcommerce.ts), the mapping the BigCommerce pull uses too.
 */
export async function* bigcommerceJsonRefunds(
  source: TextSource,
  ctx: ImportContext,
): AsyncGenerator<CanonicalRefundInput> {
  for await (const item of readJson(source, { containerKeys: ['data'] })) {
    if (item.key?.startsWith('.')) continue;
    const where = { file: ctx.file, line: item.line };
    const value = item.value;
    if (!isObj(value))
      throw inputError('unexpected_json', `Expected a BigCommerce refund object, found ${shown(value)}.`, where);
    const refunds: unknown[] =
      item.key === null && value.data !== undefined ? (Array.isArray(value.data) ? value.data : [value.data]) : [value];
    for (const refund of refunds) {
      if (
        !isObj(refund) ||
        refund.id === undefined ||
        (refund.payments === undefined && refund.total_amount === undefined)
      ) {
        throw inputError(
          'unexpected_json',
          `Expected a BigCommerce refund (id, order_id, payments, items), found ${shown(refund)}. Is this file in another format?`,
          where,
        );
      }
      ctx.rows++;
      yield bigcommerceRefundToRefund(refund, {
        file: ctx.file,
        line: item.line,
        currency: ctx.currency,
        orderProducts: ctx.orderProducts,
      });
    }
  }
}
