/** The GraphQL documents the app sends (apis.md §2.2–2.4). */

const MONEY = 'shopMoney { amount currencyCode } presentmentMoney { amount currencyCode }';

/** Nested page sizes: small, so a page of orders stays under the 1000-point single-query limit. */
export const NESTED = { refunds: 5, lines: 10, transactions: 5, adjustments: 5 } as const;

/** The node fields of each nested connection of a refund. */
export const NESTED_NODE_FIELDS = {
  refundLineItems: `id quantity restockType lineItem { id sku name } subtotalSet { ${MONEY} } totalTaxSet { ${MONEY} }`,
  transactions: `id kind status test gateway amountSet { ${MONEY} }`,
  orderAdjustments: `id kind reason amountSet { ${MONEY} } taxAmountSet { ${MONEY} }`,
} as const;

export type NestedKey = keyof typeof NESTED_NODE_FIELDS;

const REFUND_FIELDS = `id legacyResourceId createdAt note
  totalRefundedSet { ${MONEY} }
  refundLineItems(first: ${NESTED.lines}) { nodes { ${NESTED_NODE_FIELDS.refundLineItems} } pageInfo { hasNextPage endCursor } }
  transactions(first: ${NESTED.transactions}) { nodes { ${NESTED_NODE_FIELDS.transactions} } pageInfo { hasNextPage endCursor } }
  orderAdjustments(first: ${NESTED.adjustments}) { nodes { ${NESTED_NODE_FIELDS.orderAdjustments} } pageInfo { hasNextPage endCursor } }`;

/** Requested cost of one refund with REFUND_FIELDS (object 1 + three connections). */
export const REFUND_COST = 1 + (2 + NESTED.lines) + (2 + NESTED.transactions) + (2 + NESTED.adjustments);

/** The rest of one nested connection of a refund, after a cursor (`first` ≤ 250). */
export function refundConnectionPage(key: NestedKey): string {
  return `query RefundConnectionPage($id: ID!, $first: Int!, $after: String) {
  node(id: $id) { ... on Refund { id ${key}(first: $first, after: $after) { nodes { ${NESTED_NODE_FIELDS[key]} } pageInfo { hasNextPage endCursor } } } }
}`;
}

/** Every refund id of an order (the refunds list is not a connection: it cannot be paged). */
export const ORDER_REFUND_IDS = `query OrderRefundIds($id: ID!) {
  node(id: $id) { ... on Order { id refunds { id } } }
}`;

/** Refunds by id, with the same fields as in an orders page. */
export const REFUNDS_BY_IDS = `query RefundsByIds($ids: [ID!]!) {
  nodes(ids: $ids) { ... on Refund { ${REFUND_FIELDS} } }
}`;

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

/**
 * The bulk query, within Shopify's bulk limits
 * (https://shopify.dev/docs/api/usage/bulk-operations/queries#operation-restrictions: at most five
 * connections, nested at most two levels deep, and no connection inside a list field). `refunds`
 * is a list field, so it carries no connection (line items, transactions, adjustments): the file
 * holds each order with its refunds' ids and totals, and the pull fetches the refunds' details
 * with `nodes(ids:)` (REFUNDS_BY_IDS) in throttled pages afterwards. One connection: `orders`.
 */
export function bulkOrdersQuery(search: string): string {
  return `{ orders(query: "${search.replace(/["\\]/g, '')}") { edges { node { id legacyResourceId name test currencyCode presentmentCurrencyCode updatedAt
    refunds { id legacyResourceId createdAt note totalRefundedSet { ${MONEY} } } } } } }`;
}

/**
 * `bulkOperationRunQuery`; `groupObjects` exists from API version 2025-07 and defaults to false from
 * 2026-01 (https://shopify.dev/docs/api/admin-graphql/2026-01/mutations/bulkOperationRunQuery,
 * https://shopify.dev/changelog/bulk-operations-group-objects-default-changed-to-false). The reader
 * takes ungrouped files too; grouped output is asked for where the version has the argument.
 */
export const BULK_RUN = `mutation BulkRun($query: String!) {
  bulkOperationRunQuery(query: $query) { bulkOperation { id status } userErrors { field message } }
}`;
export const BULK_RUN_GROUPED = `mutation BulkRun($query: String!) {
  bulkOperationRunQuery(query: $query, groupObjects: true) { bulkOperation { id status } userErrors { field message } }
}`;

/** Whether an Admin API version (`YYYY-MM`, or `unstable`) has the `groupObjects` argument. */
export function hasGroupObjects(apiVersion: string): boolean {
  return apiVersion === 'unstable' || apiVersion >= '2025-07';
}

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
