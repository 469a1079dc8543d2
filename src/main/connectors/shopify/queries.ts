/** The GraphQL documents the app sends (apis.md §2.2–2.4). */

const MONEY = 'shopMoney { amount currencyCode } presentmentMoney { amount currencyCode }';

/** Nested page sizes: small, so a page of orders stays under the 1000-point single-query limit. */
export const NESTED = { refunds: 5, lines: 10, transactions: 5, adjustments: 5 } as const;

const REFUND_FIELDS = `id legacyResourceId createdAt note
  totalRefundedSet { ${MONEY} }
  refundLineItems(first: ${NESTED.lines}) { nodes { id quantity restockType lineItem { id sku name } subtotalSet { ${MONEY} } totalTaxSet { ${MONEY} } } pageInfo { hasNextPage } }
  transactions(first: ${NESTED.transactions}) { nodes { id kind status test amountSet { ${MONEY} } } pageInfo { hasNextPage } }
  orderAdjustments(first: ${NESTED.adjustments}) { nodes { id kind reason amountSet { ${MONEY} } taxAmountSet { ${MONEY} } } pageInfo { hasNextPage } }`;

export const ORDERS_WITH_REFUNDS = `query OrdersWithRefunds($first: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes { id legacyResourceId name test currencyCode presentmentCurrencyCode updatedAt
      refunds(first: ${NESTED.refunds}) { ${REFUND_FIELDS} } }
  }
}`;

/** Orders page size that keeps the requested cost ≤ 1000 with the nested sizes above. */
export function ordersPageSize(): number {
  const refund = 1 + (2 + NESTED.lines) + (2 + NESTED.transactions) + (2 + NESTED.adjustments);
  const order = 1 + 2 + NESTED.refunds * refund;
  return Math.max(1, Math.floor((1000 - 2) / order));
}

export function bulkOrdersQuery(search: string): string {
  return `{ orders(query: "${search.replace(/["\\]/g, '')}") { edges { node { id legacyResourceId name test currencyCode presentmentCurrencyCode updatedAt
    refunds { id legacyResourceId createdAt note totalRefundedSet { ${MONEY} }
      refundLineItems { edges { node { id quantity restockType lineItem { id sku name } subtotalSet { ${MONEY} } totalTaxSet { ${MONEY} } } } }
      transactions { edges { node { id kind status test amountSet { ${MONEY} } } } }
      orderAdjustments { edges { node { id kind reason amountSet { ${MONEY} } taxAmountSet { ${MONEY} } } } } } } } } }`;
}

export const BULK_RUN = `mutation BulkRun($query: String!) {
  bulkOperationRunQuery(query: $query) { bulkOperation { id status } userErrors { field message } }
}`;

export const BULK_STATUS = `query BulkStatus($id: ID!) {
  node(id: $id) { ... on BulkOperation { id status errorCode objectCount url } }
}`;

export const REFUND_CREATE = `mutation RefundCreate($input: RefundInput!, $idempotencyKey: String!) {
  refundCreate(input: $input) @idempotent(key: $idempotencyKey) {
    refund { id legacyResourceId totalRefundedSet { ${MONEY} } }
    order { id }
    userErrors { field message }
  }
}`;
