import type { ErrorLocation } from '../../shared/errors';
import type { CanonicalRefundInput } from '../../shared/model';
import { type ImportContext, inputError, isObj, type Obj, optString, shown } from './common';
import { readJson } from './json-stream';
import {
  type GraphqlOrderInfo,
  type GraphqlRefundChildren,
  graphqlOrderInfo,
  graphqlRefundToNeutral,
  neutralToCanonical,
  nodes,
} from './shopify-common';
import type { TextSource } from './source';

export { shopifyGraphqlOrderToRefunds } from './shopify-common';

/**
 * `shopify-jsonl`: the JSONL file of a GraphQL bulk operation (apis.md §2.2). Each line is one
 * object; objects of a nested connection carry `__parentId`. Orders are lines without a parent;
 * refunds are inline in the order (`refunds` is a plain list) or separate lines whose parent is the
 * order; refund line items, transactions, order adjustments and refund shipping lines are lines
 * whose parent is the refund. Shopify writes children after their parent, one order at a time, so
 * one order is held in memory at once.
 */

export interface BulkLine {
  value: unknown;
  line: number;
}

type ChildKind = keyof GraphqlRefundChildren;

function gidType(id: unknown): string {
  const m = /^gid:\/\/shopify\/([A-Za-z]+)\//.exec(optString(id));
  return m ? m[1]! : '';
}

function childKind(obj: Obj): ChildKind | 'Refund' | undefined {
  switch (gidType(obj.id)) {
    case 'Refund':
      return 'Refund';
    case 'RefundLineItem':
      return 'refundLineItems';
    case 'OrderTransaction':
      return 'transactions';
    case 'OrderAdjustment':
      return 'orderAdjustments';
    case 'RefundShippingLine':
      return 'refundShippingLines';
  }
  // Without ids, go by shape.
  if (obj.lineItem !== undefined || obj.restockType !== undefined) return 'refundLineItems';
  if (obj.kind !== undefined && obj.status !== undefined) return 'transactions';
  if (obj.subtotalAmountSet !== undefined) return 'refundShippingLines';
  if (obj.amountSet !== undefined && (obj.reason !== undefined || obj.kind !== undefined)) return 'orderAdjustments';
  if (obj.refundLineItems !== undefined || obj.totalRefundedSet !== undefined || obj.createdAt !== undefined)
    return 'Refund';
  return undefined;
}

interface PendingRefund {
  refund: Obj;
  children: GraphqlRefundChildren;
  line: number;
}

/**
 * Canonical refunds from bulk-operation objects in file order (each with its line number). The
 * Pull job feeds the downloaded JSONL straight through this.
 */
export async function* shopifyBulkObjectsToRefunds(
  objects: AsyncIterable<BulkLine> | Iterable<BulkLine>,
  file = 'bulk.jsonl',
): AsyncGenerator<CanonicalRefundInput> {
  let orderId = '';
  let order: GraphqlOrderInfo | undefined;
  let orderLine = 0;
  let refunds = new Map<string, PendingRefund>();

  const flush = function* (): Generator<CanonicalRefundInput> {
    for (const p of refunds.values()) {
      const where: ErrorLocation = { file, line: p.line };
      yield neutralToCanonical(graphqlRefundToNeutral(p.refund, order, p.children, where), where);
    }
    refunds = new Map();
  };
  const addRefund = (refund: Obj, line: number): void => {
    const id = optString(refund.id) || `#${refunds.size}`;
    refunds.set(id, {
      refund,
      line,
      children: { refundLineItems: [], transactions: [], orderAdjustments: [], refundShippingLines: [] },
    });
  };

  for await (const { value, line } of objects as AsyncIterable<BulkLine>) {
    const where: ErrorLocation = { file, line };
    if (!isObj(value)) {
      throw inputError('unexpected_json', `Expected one JSON object per line, found ${shown(value)}.`, where);
    }
    const parent = value.__parentId;
    if (parent === undefined) {
      // A new order (a root object).
      yield* flush();
      if (gidType(value.id) && gidType(value.id) !== 'Order') {
        throw inputError(
          'unexpected_json',
          `Line ${line} is a root object of type ${gidType(value.id)}; the bulk query must start at orders (query { orders { edges { node { … refunds { … } } } } }).`,
          { ...where, field: 'id' },
        );
      }
      orderId = optString(value.id);
      order = graphqlOrderInfo(value);
      orderLine = line;
      for (const refund of nodes(value.refunds)) addRefund(refund, line);
      continue;
    }
    const parentId = optString(parent);
    const kind = childKind(value);
    if (kind === 'Refund') {
      if (parentId !== orderId) throw orphan(parentId, where, orderLine);
      addRefund(value, line);
      continue;
    }
    const pending = refunds.get(parentId);
    if (!pending) {
      if (parentId === orderId) continue; // another connection of the order (line items, fulfillments…): not needed
      throw orphan(parentId, where, orderLine);
    }
    if (kind === undefined) continue; // a connection we do not use
    pending.children[kind].push(value);
  }
  yield* flush();
}

function orphan(parentId: string, where: ErrorLocation, orderLine: number): Error {
  return inputError(
    'orphan_object',
    `This line's __parentId ${parentId} is not the current order (line ${orderLine}) or one of its refunds. Bulk-operation files list children right after their parent; use the file exactly as Shopify produced it.`,
    { ...where, field: '__parentId' },
  );
}

export async function* shopifyJsonlRefunds(
  source: TextSource,
  ctx: ImportContext,
): AsyncGenerator<CanonicalRefundInput> {
  async function* lines(): AsyncGenerator<BulkLine> {
    for await (const item of readJson(source)) {
      ctx.rows++;
      yield { value: item.value, line: item.line };
    }
  }
  yield* shopifyBulkObjectsToRefunds(lines(), ctx.file);
}
