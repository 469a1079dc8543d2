/** The GraphQL documents the app sends (apis.md §2.2–2.4). */

const MONEY = 'shopMoney { amount currencyCode } presentmentMoney { amount currencyCode }';

/** Nested page sizes: small, so a page of orders stays under the 1000-point single-query limit. */
export const NESTED = { refunds: 5, lines: 10, transactions: 5, adjustments: 5, exchangeItems: 5 } as const;

/**
 * What the pull may ask for beyond refunds' money (tenders.md §1.2), by API version and token scopes:
 * - `manualGateway`: `OrderTransaction.manualPaymentGateway`, 2025-01 and later (changelog
 *   "manualPaymentGateway field added to OrderTransaction object" [doc S5]);
 * - `returns`: `Refund.return { id exchangeLineItems { … processedQuantity lineItems … } }` —
 *   `ExchangeLineItem.lineItems` and `processedQuantity` come with `returnProcess` (2025-07 and later
 *   [doc S7]) and need the `read_returns` scope ("Requires `read_returns` access scope",
 *   shopify.dev/docs/api/admin-graphql/2025-10/objects/ExchangeLineItem);
 * - `disputes`: `shopifyPaymentsAccount { disputes }`, which needs `read_shopify_payments_disputes`
 *   ("User must have read_shopify_payments_disputes access", ShopifyPaymentsDispute [doc S8]).
 */
export interface QueryFeatures {
  manualGateway: boolean;
  returns: boolean;
  disputes: boolean;
}

/** The features of an API version (`YYYY-MM` or `unstable`) with the token's scopes (unknown: none). */
export function queryFeatures(apiVersion: string, scopes: ReadonlySet<string> = new Set()): QueryFeatures {
  const atLeast = (v: string) => apiVersion === 'unstable' || apiVersion >= v;
  return {
    manualGateway: atLeast('2025-01'),
    returns: atLeast('2025-07') && (scopes.has('read_returns') || scopes.has('write_returns')),
    disputes: scopes.has('read_shopify_payments_disputes'),
  };
}

/** What the documents below ask for when no version or scope says otherwise (the client's default version). */
export const DEFAULT_FEATURES: QueryFeatures = { manualGateway: true, returns: false, disputes: false };

/** The token's access scopes (AppInstallation.accessScopes [doc]): which optional parts the pull may ask for. */
export const ACCESS_SCOPES = `query AccessScopes {
  currentAppInstallation { accessScopes { handle } }
}`;

/** The node fields of each nested connection of a refund. */
export function nestedNodeFields(f: QueryFeatures = DEFAULT_FEATURES) {
  return {
    refundLineItems: `id quantity restockType lineItem { id sku name } subtotalSet { ${MONEY} } totalTaxSet { ${MONEY} }`,
    transactions: `id kind status test gateway ${f.manualGateway ? 'manualPaymentGateway ' : ''}amountSet { ${MONEY} }`,
    orderAdjustments: `id kind reason amountSet { ${MONEY} } taxAmountSet { ${MONEY} }`,
  } as const;
}
export const NESTED_NODE_FIELDS = nestedNodeFields();

export type NestedKey = keyof typeof NESTED_NODE_FIELDS;

/** The return a refund belongs to, with its exchange items (tenders.md §4.1). */
const RETURN_FIELDS = `return { id exchangeLineItems(first: ${NESTED.exchangeItems}) { nodes { id processedQuantity
  lineItems { sku discountedTotalSet { ${MONEY} } taxLines { priceSet { ${MONEY} } } } } } }`;

function refundFields(f: QueryFeatures): string {
  const fields = nestedNodeFields(f);
  return `id legacyResourceId createdAt note
  totalRefundedSet { ${MONEY} }
  refundLineItems(first: ${NESTED.lines}) { nodes { ${fields.refundLineItems} } pageInfo { hasNextPage endCursor } }
  transactions(first: ${NESTED.transactions}) { nodes { ${fields.transactions} } pageInfo { hasNextPage endCursor } }
  orderAdjustments(first: ${NESTED.adjustments}) { nodes { ${fields.orderAdjustments} } pageInfo { hasNextPage endCursor } }${
    f.returns ? `\n  ${RETURN_FIELDS}` : ''
  }`;
}

/** Requested cost of one refund (object 1 + three connections, + the return and its exchange items). */
export function refundCost(f: QueryFeatures = DEFAULT_FEATURES): number {
  const base = 1 + (2 + NESTED.lines) + (2 + NESTED.transactions) + (2 + NESTED.adjustments);
  return base + (f.returns ? 1 + 2 + NESTED.exchangeItems : 0);
}
export const REFUND_COST = refundCost();

/** The rest of one nested connection of a refund, after a cursor (`first` ≤ 250). */
export function refundConnectionPage(key: NestedKey, f: QueryFeatures = DEFAULT_FEATURES): string {
  return `query RefundConnectionPage($id: ID!, $first: Int!, $after: String) {
  node(id: $id) { ... on Refund { id ${key}(first: $first, after: $after) { nodes { ${nestedNodeFields(f)[key]} } pageInfo { hasNextPage endCursor } } } }
}`;
}

/** Every refund id of an order (the refunds list is not a connection: it cannot be paged). */
export const ORDER_REFUND_IDS = `query OrderRefundIds($id: ID!) {
  node(id: $id) { ... on Order { id refunds { id } } }
}`;

/** Refunds by id, with the same fields as in an orders page. */
export function refundsByIds(f: QueryFeatures = DEFAULT_FEATURES): string {
  return `query RefundsByIds($ids: [ID!]!) {
  nodes(ids: $ids) { ... on Refund { ${refundFields(f)} } }
}`;
}
export const REFUNDS_BY_IDS = refundsByIds();

export function ordersWithRefunds(f: QueryFeatures = DEFAULT_FEATURES): string {
  return `query OrdersWithRefunds($first: Int!, $after: String, $query: String) {
  orders(first: $first, after: $after, query: $query, sortKey: UPDATED_AT) {
    pageInfo { hasNextPage endCursor }
    nodes { id legacyResourceId name test currencyCode presentmentCurrencyCode updatedAt
      refunds(first: ${NESTED.refunds}) { ${refundFields(f)} } }
  }
}`;
}
export const ORDERS_WITH_REFUNDS = ordersWithRefunds();

/** Orders page size that keeps the requested cost ≤ 1000 with the nested sizes above. */
export function ordersPageSize(f: QueryFeatures = DEFAULT_FEATURES): number {
  const order = 1 + 2 + NESTED.refunds * refundCost(f);
  return Math.max(1, Math.floor((1000 - 2) / order));
}

/**
 * Shopify Payments disputes (tenders.md §3.1, `ShopifyPaymentsDispute` [doc S8]), a page at a time.
 * `order` gives the order's name, so a dispute resolves to the refunds' order reference.
 */
export const DISPUTES_PAGE = `query DisputesPage($first: Int!, $after: String) {
  shopifyPaymentsAccount { disputes(first: $first, after: $after) {
    nodes { id legacyResourceId amount { amount currencyCode } initiatedAt finalizedOn status type
      order { id legacyResourceId name } }
    pageInfo { hasNextPage endCursor } } }
}`;

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
