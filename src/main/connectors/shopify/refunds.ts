import { UserError } from '../../../shared/errors';
import type { CanonicalRefundInput } from '../../../shared/model';
import { shopifyGraphqlOrderToRefunds } from '../../mapping/shopify';
import { type PulledDispute, shopifyGraphqlDisputeToCanonical } from '../../mapping/shopify-disputes';
import { isObject, wrongShape } from '../answer-shape';
import type { ShopifyClient } from './client';
import {
  ACCESS_SCOPES,
  BULK_RUN,
  BULK_RUN_GROUPED,
  BULK_STATUS,
  bulkOrdersQuery,
  DEFAULT_FEATURES,
  DISPUTES_PAGE,
  hasGroupObjects,
  NESTED,
  type NestedKey,
  ORDER_REFUND_IDS,
  ordersPageSize,
  ordersWithRefunds,
  type QueryFeatures,
  queryFeatures,
  REFUND_CREATE,
  refundConnectionPage,
  refundCost,
  refundsByIds,
} from './queries';

type Obj = Record<string, unknown>;

export interface OrdersPullOptions {
  /** Orders updated on or after this date (YYYY-MM-DD). */
  updatedSince?: string;
  signal?: AbortSignal;
  pageSize?: number;
  onPage?: (info: { pages: number; orders: number }) => void;
  /** What to ask for beyond money (tenders.md §1.2); default DEFAULT_FEATURES (see shopifyQueryFeatures). */
  features?: QueryFeatures;
}

/**
 * The optional parts this token and API version allow: the token's scopes are read once
 * (`currentAppInstallation.accessScopes`); a token that may not read them gets none of the parts
 * that need a scope (returns, disputes), and the pull goes on without them.
 */
export async function shopifyQueryFeatures(client: ShopifyClient, signal?: AbortSignal): Promise<QueryFeatures> {
  let scopes = new Set<string>();
  try {
    const result: { data: { currentAppInstallation: { accessScopes: { handle: string }[] } | null } } =
      await client.graphql(
        ACCESS_SCOPES,
        {},
        { costKey: 'access-scopes', label: 'access scopes', ...(signal ? { signal } : {}) },
      );
    const list = result.data.currentAppInstallation?.accessScopes;
    if (Array.isArray(list)) scopes = new Set(list.map((s) => String(s.handle)));
  } catch (error) {
    if (!(error instanceof UserError) || error.code !== 'shopify_graphql_error') throw error;
  }
  return queryFeatures(client.apiVersion, scopes);
}

export function searchFor(updatedSince?: string): string {
  if (!updatedSince) return '';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(updatedSince)) {
    throw new UserError('pull_window', `from: expected a date as YYYY-MM-DD, found "${updatedSince.slice(0, 40)}".`, {
      field: 'from',
    });
  }
  return `updated_at:>='${updatedSince}'`;
}

const NESTED_KEYS: readonly NestedKey[] = ['refundLineItems', 'transactions', 'orderAdjustments'];

/**
 * Fills in what one orders page could not hold: an order with as many refunds as the page asked for
 * (`refunds(first:)` is a list, not a connection: it says nothing about more) gets its refund ids
 * read and the missing refunds fetched by id; a refund whose line items, transactions or
 * adjustments say `hasNextPage` gets the rest page by page (`first: 250`, `after:` its cursor).
 * Every extra query goes through the same cost throttle. Returns the number of extra requests.
 */
export async function completeOrder(
  client: ShopifyClient,
  order: Obj,
  signal?: AbortSignal,
  features: QueryFeatures = DEFAULT_FEATURES,
): Promise<number> {
  let extra = 0;
  const opts = (costKey: string, label: string) => ({ costKey, label, ...(signal ? { signal } : {}) });
  const refunds = (order.refunds as Obj[] | undefined) ?? [];
  if (refunds.length >= NESTED.refunds) {
    const ids: { data: { node: { refunds: { id: string }[] } | null } } = await client.graphql(
      ORDER_REFUND_IDS,
      { id: order.id },
      opts('order-refund-ids', `refund ids of ${String(order.name)}`),
    );
    extra += 1;
    const node = ids.data.node;
    if (node && !Array.isArray(node.refunds)) {
      throw wrongShape(
        'shopify',
        'Shopify',
        `the refunds of order ${String(order.name)}`,
        'an order with its refunds',
        node,
      );
    }
    const all = node?.refunds.map((r) => r.id) ?? [];
    const have = new Set(refunds.map((r) => String(r.id)));
    const missing = all.filter((id) => !have.has(id));
    const perQuery = Math.max(1, Math.floor((1000 - 2) / refundCost(features)));
    const byId = new Map<string, Obj>(refunds.map((r) => [String(r.id), r]));
    for (let i = 0; i < missing.length; i += perQuery) {
      const got: { data: { nodes: (Obj | null)[] } } = await client.graphql(
        refundsByIds(features),
        { ids: missing.slice(i, i + perQuery) },
        opts('refunds-by-ids', `refunds of ${String(order.name)}`),
      );
      extra += 1;
      for (const r of got.data.nodes) if (r) byId.set(String(r.id), r);
    }
    if (missing.length > 0) order.refunds = all.map((id) => byId.get(id)).filter((r): r is Obj => r !== undefined);
  }
  return extra + (await completeRefundConnections(client, order, signal, features));
}

/**
 * Pages in the rest of every nested connection (line items, transactions, adjustments) of an
 * order's refunds that says `hasNextPage`. Returns the number of extra requests.
 */
async function completeRefundConnections(
  client: ShopifyClient,
  order: Obj,
  signal?: AbortSignal,
  features: QueryFeatures = DEFAULT_FEATURES,
): Promise<number> {
  let extra = 0;
  const opts = (costKey: string, label: string) => ({ costKey, label, ...(signal ? { signal } : {}) });
  for (const refund of (order.refunds as Obj[] | undefined) ?? []) {
    for (const key of NESTED_KEYS) {
      const connection = refund[key] as {
        nodes: Obj[];
        pageInfo?: { hasNextPage?: boolean; endCursor?: string | null };
      };
      let pageInfo = connection?.pageInfo;
      while (pageInfo?.hasNextPage) {
        if (!pageInfo.endCursor) {
          throw new UserError(
            'shopify_refund_too_large',
            `Refund ${String(refund.legacyResourceId)} of order ${String(order.name)} has more ${key} than one page holds and Shopify sent no cursor to read on; pull the store with a bulk operation.`,
          );
        }
        const page: {
          data: {
            node: Record<string, { nodes: Obj[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } }> | null;
          };
        } = await client.graphql(
          refundConnectionPage(key, features),
          { id: refund.id, first: 250, after: pageInfo.endCursor },
          opts(`refund-${key}`, `${key} of refund ${String(refund.legacyResourceId)}`),
        );
        extra += 1;
        const next = page.data.node?.[key];
        if (!next) break;
        connection.nodes.push(...next.nodes);
        pageInfo = next.pageInfo;
      }
    }
  }
  return extra;
}

/** Cursor-paged orders (with refunds) updated since a date → canonical refunds, in order. */
export async function* pullShopifyOrders(
  client: ShopifyClient,
  options: OrdersPullOptions = {},
): AsyncGenerator<CanonicalRefundInput> {
  const features = options.features ?? DEFAULT_FEATURES;
  const first = options.pageSize ?? ordersPageSize(features);
  const query = searchFor(options.updatedSince);
  const document = ordersWithRefunds(features);
  let after: string | null = null;
  let pages = 0;
  let orders = 0;
  for (;;) {
    const result: { data: { orders: { nodes: Obj[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } } } } =
      await client.graphql(
        document,
        { first, after, query: query || null },
        { costKey: 'orders', label: `orders page ${pages + 1}`, ...(options.signal ? { signal: options.signal } : {}) },
      );
    const connection = result.data.orders;
    if (!isObject(connection) || !Array.isArray(connection.nodes) || !isObject(connection.pageInfo)) {
      throw wrongShape(
        'shopify',
        'Shopify',
        `orders page ${pages + 1}`,
        'an orders connection ({"nodes": [...], "pageInfo": …})',
        connection,
      );
    }
    pages += 1;
    for (const order of connection.nodes) {
      orders += 1;
      if (((order.refunds as Obj[] | undefined) ?? []).length === 0) continue;
      await completeOrder(client, order, options.signal, features);
      yield* shopifyGraphqlOrderToRefunds(order);
    }
    options.onPage?.({ pages, orders });
    if (!connection.pageInfo.hasNextPage || !connection.pageInfo.endCursor) return;
    after = connection.pageInfo.endCursor;
  }
}

/** Refunds fetched by id per `nodes(ids:)` query: the most whose requested cost stays ≤ 1000. */
export const REFUNDS_PER_NODES_QUERY = refundsPerNodesQuery(DEFAULT_FEATURES);

export function refundsPerNodesQuery(features: QueryFeatures): number {
  return Math.max(1, Math.floor((1000 - 2) / refundCost(features)));
}

/**
 * The orders of a bulk file (refunds inline with ids and totals only, see bulkOrdersQuery) with
 * their refunds' details: the refund ids of consecutive orders are gathered into `nodes(ids:)`
 * queries of REFUNDS_PER_NODES_QUERY (through the client's cost throttle), overflowing nested
 * connections are paged in, and each order is mapped as soon as its refunds are complete. Holds
 * at most one query's worth of orders.
 */
export async function* bulkOrdersWithRefundDetails(
  client: ShopifyClient,
  objects: Iterable<{ value: unknown; line: number }>,
  signal?: AbortSignal,
  features: QueryFeatures = DEFAULT_FEATURES,
): AsyncGenerator<CanonicalRefundInput> {
  const perQuery = refundsPerNodesQuery(features);
  const document = refundsByIds(features);
  let batch: Obj[] = [];
  let ids: string[] = [];
  const flush = async function* (): AsyncGenerator<CanonicalRefundInput> {
    const byId = new Map<string, Obj>();
    for (let i = 0; i < ids.length; i += perQuery) {
      const got: { data: { nodes: (Obj | null)[] } } = await client.graphql(
        document,
        { ids: ids.slice(i, i + perQuery) },
        { costKey: 'refunds-by-ids', label: 'refund details', ...(signal ? { signal } : {}) },
      );
      for (const r of got.data.nodes) if (r) byId.set(String(r.id), r);
    }
    for (const order of batch) {
      // A refund Shopify no longer returns by id keeps what the bulk file had (its total).
      order.refunds = (order.refunds as Obj[]).map((r) => byId.get(String(r.id)) ?? r);
      await completeRefundConnections(client, order, signal, features);
      yield* shopifyGraphqlOrderToRefunds(order);
    }
    batch = [];
    ids = [];
  };
  for (const { value, line } of objects) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new UserError('shopify_bulk', `Line ${line} of the bulk result is not a JSON object; try the pull again.`);
    }
    const order = value as Obj;
    // Our query has a single connection (orders): any line with a parent is not ours to read.
    if (order.__parentId !== undefined) continue;
    const refunds = Array.isArray(order.refunds) ? (order.refunds as Obj[]) : [];
    if (refunds.length === 0) continue;
    batch.push(order);
    for (const r of refunds) ids.push(String(r.id));
    if (ids.length >= perQuery) yield* flush();
  }
  if (batch.length > 0) yield* flush();
}

/**
 * Bulk operation: start (grouped output asked for where the API version allows), poll until done,
 * download the JSONL of orders with their refunds' ids and totals, then fetch the refunds' details.
 */
export async function* pullShopifyBulk(
  client: ShopifyClient,
  options: {
    updatedSince?: string;
    signal?: AbortSignal;
    pollMs?: number;
    onStatus?: (status: string) => void;
    features?: QueryFeatures;
  } = {},
): AsyncGenerator<CanonicalRefundInput> {
  const signal = options.signal;
  const started: { data: { bulkOperationRunQuery: { bulkOperation: { id: string } | null; userErrors: Obj[] } } } =
    await client.graphql(
      hasGroupObjects(client.apiVersion) ? BULK_RUN_GROUPED : BULK_RUN,
      { query: bulkOrdersQuery(searchFor(options.updatedSince)) },
      signal ? { signal } : {},
    );
  const run = started.data.bulkOperationRunQuery;
  if (!isObject(run) || !Array.isArray(run.userErrors)) {
    throw wrongShape('shopify', 'Shopify', 'the bulk operation start', 'a bulkOperationRunQuery result', started.data);
  }
  if (!run.bulkOperation) {
    throw new UserError(
      'shopify_bulk',
      `Shopify did not start the bulk operation: ${run.userErrors.map((e) => String(e.message)).join('; ')}`,
    );
  }
  const id = run.bulkOperation.id;
  let wait = options.pollMs ?? 250;
  let url: string | null = null;
  for (;;) {
    const status: { data: { node: { status: string; errorCode: string | null; url: string | null } | null } } =
      await client.graphql(BULK_STATUS, { id }, { costKey: 'bulk-status', ...(signal ? { signal } : {}) });
    const node = status.data.node;
    options.onStatus?.(node?.status ?? 'UNKNOWN');
    if (node?.status === 'COMPLETED') {
      url = node.url;
      break;
    }
    if (!node || ['FAILED', 'CANCELED', 'EXPIRED'].includes(node.status)) {
      throw new UserError(
        'shopify_bulk',
        `The Shopify bulk operation ended as ${node?.status ?? 'unknown'}${node?.errorCode ? ` (${node.errorCode})` : ''}; try the pull again.`,
      );
    }
    await client.http.clock.sleep(wait, signal);
    wait = Math.min(wait * 2, 5000);
  }
  if (!url) return; // no matching objects
  const text = await client.download(url, signal);
  function* lines() {
    let line = 0;
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const raw = text.slice(start, end);
      start = end + 1;
      line += 1;
      if (raw.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        throw new UserError('shopify_bulk', `Line ${line} of the bulk result is not valid JSON; try the pull again.`);
      }
      yield { value, line };
    }
  }
  yield* bulkOrdersWithRefundDetails(client, lines(), signal, options.features ?? DEFAULT_FEATURES);
}

export interface RefundCreateResult {
  refundId: string | null;
  userErrors: { field: string[] | null; message: string }[];
}

/**
 * `refundCreate` with an idempotency key (`@idempotent`): the same key sent twice creates one
 * refund, so a retried or resumed push cannot refund twice. User errors are returned, not thrown.
 */
export async function shopifyRefundCreate(
  client: ShopifyClient,
  input: Obj,
  idempotencyKey: string,
  signal?: AbortSignal,
): Promise<RefundCreateResult> {
  if (!idempotencyKey) throw new UserError('shopify_idempotency', 'refundCreate needs an idempotency key.');
  const result: {
    data: {
      refundCreate: { refund: { legacyResourceId: string } | null; userErrors: RefundCreateResult['userErrors'] };
    };
  } = await client.graphql(REFUND_CREATE, { input, idempotencyKey }, signal ? { signal } : {});
  return {
    refundId: result.data.refundCreate.refund?.legacyResourceId ?? null,
    userErrors: result.data.refundCreate.userErrors,
  };
}

/**
 * Every Shopify Payments dispute of the shop (tenders.md §3.1), page by page through the cost
 * throttle. Only for a token with `read_shopify_payments_disputes` (shopifyQueryFeatures).
 */
export async function pullShopifyDisputes(client: ShopifyClient, signal?: AbortSignal): Promise<PulledDispute[]> {
  const out: PulledDispute[] = [];
  let after: string | null = null;
  for (let page = 1; ; page++) {
    const result: {
      data: {
        shopifyPaymentsAccount: {
          disputes: { nodes: Obj[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
        } | null;
      };
    } = await client.graphql(
      DISPUTES_PAGE,
      { first: 100, after },
      { costKey: 'disputes', label: `disputes page ${page}`, ...(signal ? { signal } : {}) },
    );
    const account = result.data.shopifyPaymentsAccount;
    if (account === null) return out; // no Shopify Payments account: no disputes
    const connection = account?.disputes;
    if (!isObject(connection) || !Array.isArray(connection.nodes) || !isObject(connection.pageInfo)) {
      throw wrongShape('shopify', 'Shopify', `disputes page ${page}`, 'a disputes connection', connection);
    }
    for (const node of connection.nodes) {
      const dispute = shopifyGraphqlDisputeToCanonical(node, { file: 'Shopify disputes', field: `page ${page}` });
      if (dispute) out.push(dispute);
    }
    if (!connection.pageInfo.hasNextPage || !connection.pageInfo.endCursor) return out;
    after = connection.pageInfo.endCursor;
  }
}
