import type http from 'node:http';
import { type Clock, realClock } from '../../../src/main/connectors/clock';
import { applyTransportFault, FaultInjector } from '../common/faults';
import { type LoggedRequest, type Reply, readBody, sendReply, startHttpServer } from '../common/server';
import { bulkConcurrency, bulkQueryErrors, groupingOf, writeJsonl } from './bulk-rules';
import { generateShopifyData, makeRefund, type Obj, type ShopifyData } from './dataset';

/**
 * Shopify Admin GraphQL emulator (apis.md §2). Not a general GraphQL engine: it recognises the
 * operations the app sends (orders page, bulkOperationRunQuery, bulk status, refundCreate) and
 * answers them in Shopify's shapes, with cost-based throttling (a leaky bucket of points charged on
 * the requested cost and refunded down to the actual cost), THROTTLED errors (HTTP 200, or 429 as a
 * fault), `first` ≤ 250, MAX_COST_EXCEEDED over 1000, cursor paging, bulk operations with a JSONL
 * download, `refundCreate` with the `@idempotent` key, token checks and faults.
 *
 * Cost model (documented simplification of Shopify's calculator): a connection costs 2 + first ×
 * (its node's cost) when requested and 2 + returned × node cost when actual; an object node costs 1
 * plus its nested connections; the `refunds` list counts like a connection of `refunds(first:)`;
 * scalars and money bags cost 0.
 */

export interface ShopifyEmulatorOptions {
  data?: ShopifyData;
  accessToken?: string;
  bucketSize?: number;
  restoreRate?: number;
  latencyMs?: number;
  clock?: Clock;
  port?: number;
  apiVersion?: string;
  /** The shop's billing plan (`shop { plan { … } }`). Default: a live store on the Basic plan. */
  plan?: ShopifyShopPlan;
  /** The shop's `myshopifyDomain`. Default `emulator-shop.myshopify.com`. */
  shopDomain?: string;
  /**
   * The token's access scopes (`currentAppInstallation.accessScopes`). Default read_orders and
   * write_orders: returns (`read_returns`) and disputes (`read_shopify_payments_disputes`) are
   * refused with ACCESS_DENIED until a test grants them.
   */
  scopes?: string[];
}

/**
 * `ShopPlan` (shopify.dev/docs/api/admin-graphql/2025-07/objects/ShopPlan): `partnerDevelopment` —
 * "Whether the shop is a partner development shop for testing purposes"; `publicDisplayName` — the
 * plan's public name (Basic, Grow, Advanced, Plus, Development, …). `displayName` is deprecated.
 */
export interface ShopifyShopPlan {
  partnerDevelopment: boolean;
  publicDisplayName: string;
  shopifyPlus?: boolean;
}

/**
 * Test hooks (fault injection, not vendor behaviour): `onRefundCreate` may change the refund input
 * as stored — e.g. drop a line — so a test can prove the round trip's read-back sees the difference.
 */
export interface ShopifyWriteHooks {
  onRefundCreate?: (input: Obj) => Obj;
}

export interface ShopifyEmulator {
  url: string;
  graphqlUrl: string;
  accessToken: string;
  data: ShopifyData;
  faults: FaultInjector;
  /** The shop's plan; change it per test (a development store or a live one). */
  plan: ShopifyShopPlan;
  hooks: ShopifyWriteHooks;
  requests: LoggedRequest[];
  stats: {
    pointsUsed: number;
    throttled: number;
    firstAt: number;
    lastAt: number;
    bulkRuns: number;
    /** Bulk queries refused by the operation restrictions. */
    bulkRefused: number;
  };
  close(): Promise<void>;
}

export const DEFAULT_SHOPIFY_TOKEN = 'shpat_emu_0123456789abcdef0123456789abcdef';

function firstArg(query: string, field: string, fallback: number): number {
  const m = new RegExp(`${field}\\s*\\(([^)]*)\\)`).exec(query);
  const f = m ? /first\s*:\s*(\$?\w+)/.exec(m[1]!) : null;
  if (!f) return fallback;
  return Number(f[1]) || fallback;
}

function gqlError(message: string, code: string, extra: Obj = {}): Obj {
  return { errors: [{ message, extensions: { code, ...extra } }] };
}

/**
 * Fields that exist only from an API version on: a query naming one on an older version fails
 * validation as GraphQL does for any unknown field ("Field 'x' doesn't exist on type 'T'",
 * `undefinedField`). `OrderTransaction.manualPaymentGateway` from 2025-01 (changelog
 * "manualPaymentGateway field added to OrderTransaction object" [tenders.md S5]);
 * `ExchangeLineItem.processedQuantity` and `lineItems` from 2025-07, with `returnProcess` [S7].
 */
const VERSIONED_FIELDS: { field: RegExp; name: string; type: string; since: string }[] = [
  { field: /\bmanualPaymentGateway\b/, name: 'manualPaymentGateway', type: 'OrderTransaction', since: '2025-01' },
  { field: /\bprocessedQuantity\b/, name: 'processedQuantity', type: 'ExchangeLineItem', since: '2025-07' },
];

export function versionErrors(query: string, version: string): Obj | undefined {
  if (version === 'unstable') return undefined;
  for (const f of VERSIONED_FIELDS) {
    if (version < f.since && f.field.test(query)) {
      return gqlError(`Field '${f.name}' doesn't exist on type '${f.type}'`, 'undefinedField', {
        typeName: f.type,
        fieldName: f.name,
      });
    }
  }
  return undefined;
}

/**
 * Fields a token needs a scope for: "Requires `read_returns` access scope" (ExchangeLineItem,
 * Return) and "User must have read_shopify_payments_disputes access" (ShopifyPaymentsDispute)
 * [tenders.md S7, S8]. Without it the field is refused with ACCESS_DENIED (Shopify's
 * access-scope error code, shopify.dev/docs/api/usage/access-scopes).
 */
export function scopeErrors(query: string, scopes: ReadonlySet<string>): Obj | undefined {
  if (
    /\breturn\s*\{|\bexchangeLineItems\b/.test(query) &&
    !scopes.has('read_returns') &&
    !scopes.has('write_returns')
  ) {
    return gqlError(
      'Access denied for exchangeLineItems field. Required access: `read_returns` access scope.',
      'ACCESS_DENIED',
      {
        documentation: 'https://shopify.dev/api/usage/access-scopes',
        requiredAccess: '`read_returns` access scope.',
      },
    );
  }
  if (/\bdisputes\s*\(/.test(query) && !scopes.has('read_shopify_payments_disputes')) {
    return gqlError(
      'Access denied for disputes field. Required access: `read_shopify_payments_disputes` access scope.',
      'ACCESS_DENIED',
      {
        documentation: 'https://shopify.dev/api/usage/access-scopes',
        requiredAccess: '`read_shopify_payments_disputes` access scope.',
      },
    );
  }
  return undefined;
}

export async function startShopifyEmulator(options: ShopifyEmulatorOptions = {}): Promise<ShopifyEmulator> {
  const data = options.data ?? generateShopifyData({ refunds: 80, seed: 3 });
  const token = options.accessToken ?? DEFAULT_SHOPIFY_TOKEN;
  const max = options.bucketSize ?? 1000;
  const restore = options.restoreRate ?? 100;
  const clock = options.clock ?? realClock;
  const latency = options.latencyMs ?? 0;
  const version = options.apiVersion ?? '2025-07';
  const scopes = new Set(options.scopes ?? ['read_orders', 'write_orders']);
  const faults = new FaultInjector();
  const shop = {
    plan: options.plan ?? { partnerDevelopment: false, publicDisplayName: 'Basic', shopifyPlus: false },
    domain: options.shopDomain ?? 'emulator-shop.myshopify.com',
  };
  const hooks: ShopifyWriteHooks = {};
  const requests: LoggedRequest[] = [];
  const stats0 = { pointsUsed: 0, throttled: 0, firstAt: 0, lastAt: 0, bulkRuns: 0, bulkRefused: 0 };
  const emulator: ShopifyEmulator = {
    url: '',
    graphqlUrl: '',
    accessToken: token,
    data,
    faults,
    plan: shop.plan,
    hooks,
    requests,
    stats: stats0,
    close: async () => {},
  };
  const stats = stats0;
  let available = max;
  let lastRefill = clock.now();
  const bulkOps = new Map<string, { status: string; readyAt: number; jsonl: string; objectCount: number }>();
  const idempotent = new Map<string, Obj>();
  let nextRefund = 990_000_000;
  let baseUrl = '';

  const refill = () => {
    const now = clock.now();
    available = Math.min(max, available + ((now - lastRefill) / 1000) * restore);
    lastRefill = now;
  };
  const throttleStatus = () => ({
    maximumAvailable: max,
    currentlyAvailable: Math.floor(available),
    restoreRate: restore,
  });

  function nestedFirsts(query: string) {
    return {
      refunds: firstArg(query, 'refunds', 10),
      lines: firstArg(query, 'refundLineItems', 10),
      txns: firstArg(query, 'transactions', 10),
      adjs: firstArg(query, 'orderAdjustments', 10),
    };
  }

  function ordersCost(query: string, first: number, page: Obj[]) {
    const f = nestedFirsts(query);
    const refundRequested = 1 + (2 + f.lines) + (2 + f.txns) + (2 + f.adjs);
    const requested = 2 + first * (1 + 2 + f.refunds * refundRequested);
    let actual = 2;
    for (const order of page) {
      actual += 1 + 2;
      for (const r of order.refunds as Obj[]) {
        const n = (k: string) => ((r[k] as { nodes: unknown[] }).nodes ?? []).length;
        actual += 1 + (2 + n('refundLineItems')) + (2 + n('transactions')) + (2 + n('orderAdjustments'));
      }
    }
    return { requested, actual };
  }

  const cursorOf = (i: number) => Buffer.from(JSON.stringify({ i })).toString('base64url');
  const indexAfter = (cursor: unknown): number | undefined => {
    if (typeof cursor !== 'string') return 0;
    try {
      return (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { i: number }).i + 1;
    } catch {
      return undefined;
    }
  };
  /** A connection page: `first` nodes from `start`, with Shopify's pageInfo and cursors. */
  const conn = (list: unknown[], first: number, start = 0) => {
    const nodes = list.slice(start, start + first);
    const hasNextPage = list.length > start + first;
    return { nodes, pageInfo: { hasNextPage, endCursor: nodes.length ? cursorOf(start + nodes.length - 1) : null } };
  };

  function sliceRefund(r: Obj, query: string): Obj {
    const f = nestedFirsts(query);
    // Only what the query selects: the return and the manual-gateway flag are optional parts.
    const { return: ret, ...rest } = r;
    const manual = /\bmanualPaymentGateway\b/.test(query);
    const txns = (r.transactions as { nodes: Obj[] }).nodes.map((t) => {
      if (manual) return { manualPaymentGateway: false, ...t };
      const { manualPaymentGateway: _m, ...plain } = t;
      return plain;
    });
    const exchangeFirst = firstArg(query, 'exchangeLineItems', 10);
    return {
      ...rest,
      refundLineItems: conn((r.refundLineItems as { nodes: unknown[] }).nodes, f.lines),
      transactions: conn(txns, f.txns),
      orderAdjustments: conn((r.orderAdjustments as { nodes: unknown[] }).nodes, f.adjs),
      ...(/\breturn\s*\{/.test(query)
        ? {
            return: ret
              ? {
                  id: (ret as Obj).id,
                  exchangeLineItems: conn(
                    ((ret as Obj).exchangeLineItems as { nodes: unknown[] } | undefined)?.nodes ?? [],
                    exchangeFirst,
                  ),
                }
              : null,
          }
        : {}),
    };
  }

  function sliceOrder(order: Obj, query: string): Obj {
    const f = nestedFirsts(query);
    return { ...order, refunds: (order.refunds as Obj[]).slice(0, f.refunds).map((r) => sliceRefund(r, query)) };
  }

  function findRefund(id: unknown): Obj | undefined {
    for (const order of data.orders) {
      const found = (order.refunds as Obj[]).find((r) => r.id === id);
      if (found) return found;
    }
    return undefined;
  }

  /** The follow-up queries of a pull whose nested lists overflow one orders page. */
  function followUp(query: string, vars: Obj): Reply | undefined {
    if (/\bshop\s*\{/.test(query) && !/orders\s*\(/.test(query)) {
      // Shop.plan (ShopPlan): read-only; the round trip asks it before any write.
      const plan = emulator.plan;
      return charge(1, 1, () => ({
        data: {
          shop: {
            name: 'Emulator shop',
            myshopifyDomain: shop.domain,
            currencyCode: data.shopCurrency,
            plan: {
              partnerDevelopment: plan.partnerDevelopment,
              publicDisplayName: plan.publicDisplayName,
              displayName: plan.publicDisplayName,
              shopifyPlus: plan.shopifyPlus ?? false,
            },
          },
        },
      }));
    }
    if (/query RoundTripReadRefunds/.test(query)) {
      // Order.refunds: a list (not a connection), each Refund with its nested connections.
      const order = data.orders.find((o) => o.id === vars.id);
      const refunds = order ? (order.refunds as Obj[]) : [];
      return charge(3 + refunds.length * 10, 3 + refunds.length, () => ({
        data: { order: order ? { id: order.id, refunds: refunds.map((r) => sliceRefund(r, query)) } : null },
      }));
    }
    if (/query RefundConnectionPage/.test(query)) {
      const key = /(refundLineItems|transactions|orderAdjustments)\s*\(/.exec(query)?.[1];
      const first = Number(vars.first);
      if (!key || !Number.isInteger(first) || first < 1 || first > 250) {
        return { status: 200, json: gqlError('first must be 1..250', 'argumentLiteralsIncompatible') };
      }
      const start = indexAfter(vars.after);
      if (start === undefined) return { status: 200, json: gqlError('Invalid cursor.', 'BAD_REQUEST') };
      const refund = findRefund(vars.id);
      const page = refund ? conn((refund[key] as { nodes: unknown[] }).nodes, first, start) : undefined;
      return charge(3 + first, 3 + (page?.nodes.length ?? 0), () => ({
        data: { node: refund ? { id: refund.id, [key]: page } : null },
      }));
    }
    if (/query OrderRefundIds/.test(query)) {
      const order = data.orders.find((o) => o.id === vars.id);
      const n = order ? (order.refunds as Obj[]).length : 0;
      return charge(3 + n, 3 + n, () => ({
        data: { node: order ? { id: order.id, refunds: (order.refunds as Obj[]).map((r) => ({ id: r.id })) } : null },
      }));
    }
    if (/query RefundsByIds/.test(query)) {
      const ids = Array.isArray(vars.ids) ? vars.ids : [];
      const f = nestedFirsts(query);
      const per = 1 + (2 + f.lines) + (2 + f.txns) + (2 + f.adjs);
      const found = ids.map((id) => findRefund(id));
      const nodes = found.map((r) => (r ? sliceRefund(r, query) : null));
      let actual = 0;
      for (const r of nodes) {
        if (!r) continue;
        const n = (k: string) => (r[k] as { nodes: unknown[] }).nodes.length;
        actual += 1 + (2 + n('refundLineItems')) + (2 + n('transactions')) + (2 + n('orderAdjustments'));
      }
      return charge(ids.length * per, actual, () => ({ data: { nodes } }));
    }
    return undefined;
  }

  function matching(search: unknown): Obj[] {
    const m = typeof search === 'string' ? /updated_at:>=?'?(\d{4}-\d{2}-\d{2}[^' ]*)'?/.exec(search) : null;
    if (!m) return data.orders;
    const since = m[1]!;
    return data.orders.filter((o) => String(o.updatedAt) >= since);
  }

  /** Charges a query: THROTTLED when the requested cost is not available. */
  function charge(requested: number, actual: number, body: () => Obj): Reply {
    if (requested > 1000) {
      return {
        status: 200,
        json: {
          ...gqlError(
            `Query cost is ${requested}, which exceeds the single query max cost limit (1000).`,
            'MAX_COST_EXCEEDED',
            { cost: requested, maxCost: 1000 },
          ),
          extensions: {
            cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: throttleStatus() },
          },
        },
      };
    }
    refill();
    if (requested > available) {
      stats.throttled += 1;
      return {
        status: 200,
        json: {
          ...gqlError('Throttled', 'THROTTLED', { documentation: 'https://shopify.dev/api/usage/rate-limits' }),
          extensions: {
            cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: throttleStatus() },
          },
        },
        note: 'THROTTLED',
      };
    }
    available -= actual;
    stats.pointsUsed += actual;
    const now = clock.now();
    if (!stats.firstAt) stats.firstAt = now;
    stats.lastAt = now;
    return {
      status: 200,
      json: {
        ...body(),
        extensions: {
          cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: throttleStatus() },
        },
      },
      note: `cost ${actual}/${requested}`,
    };
  }

  /**
   * The JSONL of a bulk query the rules accepted: one line per order with its refunds inline (a list
   * field: scalars and money bags only, which is all a bulk query may select in it), and, when the
   * query selects the order's `lineItems` connection, one child line per line item with
   * `__parentId` — grouped under its order or not (bulk-rules.ts `groupingOf`).
   */
  function bulkJsonl(search: unknown, inner: string, grouped: boolean): { text: string; count: number } {
    const items: { root: string; children: string[] }[] = [];
    const withLineItems = /lineItems\s*(\([^)]*\))?\s*\{\s*(edges|nodes)/.test(inner);
    for (const order of matching(search)) {
      const { refunds, ...head } = order;
      const plain = (refunds as Obj[]).map((r) => {
        // The bulk query selects scalars and money bags of a refund (no return: not asked for).
        const { refundLineItems, transactions, orderAdjustments, return: _return, ...rest } = r;
        void refundLineItems;
        void transactions;
        void orderAdjustments;
        return rest;
      });
      const children: string[] = [];
      if (withLineItems) {
        const seen = new Set<unknown>();
        for (const r of refunds as Obj[]) {
          for (const rli of (r.refundLineItems as { nodes: Obj[] }).nodes) {
            const item = rli.lineItem as Obj | undefined;
            if (!item || seen.has(item.id)) continue;
            seen.add(item.id);
            children.push(JSON.stringify({ ...item, __parentId: order.id }));
          }
        }
      }
      items.push({ root: JSON.stringify({ ...head, refunds: plain }), children });
    }
    const out = writeJsonl(items, grouped);
    return { text: out.length ? `${out.join('\n')}\n` : '', count: out.length };
  }

  function graphql(body: string): Reply {
    let parsed: { query?: unknown; variables?: Obj };
    try {
      parsed = JSON.parse(body) as typeof parsed;
    } catch {
      return { status: 400, json: { errors: [{ message: 'Invalid JSON in request body' }] } };
    }
    const query = typeof parsed.query === 'string' ? parsed.query : '';
    const vars = parsed.variables ?? {};
    if (!query) return { status: 400, json: { errors: [{ message: "Parameter 'query' is required" }] } };
    const invalid = versionErrors(query, version) ?? scopeErrors(query, scopes);
    if (invalid) return { status: 200, json: invalid };
    if (/\bcurrentAppInstallation\b/.test(query)) {
      return charge(2, 2, () => ({
        data: { currentAppInstallation: { accessScopes: [...scopes].map((handle) => ({ handle })) } },
      }));
    }
    if (/\bshopifyPaymentsAccount\b/.test(query)) {
      const first = Number(vars.first ?? firstArg(query, 'disputes', 10));
      if (!Number.isInteger(first) || first < 1 || first > 250) {
        return { status: 200, json: gqlError('first cannot exceed 250', 'argumentLiteralsIncompatible') };
      }
      const start = indexAfter(vars.after);
      if (start === undefined) return { status: 200, json: gqlError('Invalid cursor.', 'BAD_REQUEST') };
      const page = conn(data.disputes ?? [], first, start);
      return charge(3 + first * 2, 3 + page.nodes.length * 2, () => ({
        data: { shopifyPaymentsAccount: { disputes: page } },
      }));
    }

    if (/bulkOperationRunQuery/.test(query)) {
      const inner = String(vars.query ?? /query:\s*"""([\s\S]*?)"""/.exec(query)?.[1] ?? '');
      const refuse = (messages: string[]) =>
        charge(10, 10, () => ({
          data: {
            bulkOperationRunQuery: {
              bulkOperation: null,
              userErrors: messages.map((message) => ({ field: ['query'], message })),
            },
          },
        }));
      // Operation restrictions (bulk-rules.ts; https://shopify.dev/docs/api/usage/bulk-operations/queries#operation-restrictions).
      const errors = bulkQueryErrors(inner);
      if (errors.length > 0) {
        stats.bulkRefused += 1;
        return refuse(errors);
      }
      // One bulk query at a time per shop before 2026-01, five from 2026-01 (bulk-rules.ts).
      for (const op of bulkOps.values())
        if (op.status === 'RUNNING' && clock.now() >= op.readyAt) op.status = 'COMPLETED';
      const running = [...bulkOps.values()].filter((op) => op.status === 'RUNNING').length;
      if (running >= bulkConcurrency(version)) {
        return refuse(['A bulk query operation for this app and shop is already in progress.']);
      }
      const groupArg = /groupObjects\s*:\s*(true|false|\$(\w+))/.exec(query);
      const asked = groupArg ? (groupArg[2] ? vars[groupArg[2]] === true : groupArg[1] === 'true') : undefined;
      if (groupArg && version !== 'unstable' && version < '2025-07') {
        return {
          status: 200,
          json: gqlError("Field 'bulkOperationRunQuery' doesn't accept argument 'groupObjects'", 'argumentNotAccepted'),
        };
      }
      stats.bulkRuns += 1;
      const id = `gid://shopify/BulkOperation/${bulkOps.size + 1}`;
      const search = /query:\s*\\?"([^"\\]*)\\?"/.exec(inner)?.[1];
      const { text, count } = bulkJsonl(search, inner, groupingOf(version, asked));
      bulkOps.set(id, { status: 'RUNNING', readyAt: clock.now() + 300, jsonl: text, objectCount: count });
      return charge(10, 10, () => ({
        data: { bulkOperationRunQuery: { bulkOperation: { id, status: 'CREATED' }, userErrors: [] } },
      }));
    }
    if (/currentBulkOperation|BulkOperation/.test(query) && !/orders\s*\(/.test(query)) {
      const id = String(vars.id ?? [...bulkOps.keys()].pop() ?? '');
      const op = bulkOps.get(id);
      if (op && op.status === 'RUNNING' && clock.now() >= op.readyAt) op.status = 'COMPLETED';
      const node = op
        ? {
            id,
            status: op.status,
            errorCode: null,
            objectCount: String(op.status === 'COMPLETED' ? op.objectCount : 0),
            url:
              op.status === 'COMPLETED'
                ? op.objectCount
                  ? `${baseUrl}/bulk/${encodeURIComponent(id)}.jsonl`
                  : null
                : null,
          }
        : null;
      return charge(1, 1, () => ({ data: { node, currentBulkOperation: node } }));
    }
    if (/refundCreate/.test(query)) return refundCreate(query, vars);
    const follow = followUp(query, vars);
    if (follow) return follow;
    if (/orders\s*\(/.test(query)) {
      const first = Number(vars.first ?? firstArg(query, 'orders', 0));
      if (!Number.isInteger(first) || first < 1) {
        return { status: 200, json: gqlError('first must be a positive integer', 'argumentLiteralsIncompatible') };
      }
      if (first > 250)
        return { status: 200, json: gqlError('first cannot exceed 250', 'argumentLiteralsIncompatible') };
      const all = matching(vars.query);
      let start = 0;
      if (typeof vars.after === 'string') {
        try {
          start = (JSON.parse(Buffer.from(vars.after, 'base64url').toString('utf8')) as { i: number }).i + 1;
        } catch {
          return { status: 200, json: gqlError('Invalid cursor for current pagination sort.', 'BAD_REQUEST') };
        }
      }
      const page = all.slice(start, start + first);
      const { requested, actual } = ordersCost(query, first, page);
      return charge(requested, actual, () => ({
        data: {
          orders: {
            nodes: page.map((o) => sliceOrder(o, query)),
            pageInfo: {
              hasNextPage: start + first < all.length,
              endCursor: page.length ? cursorOf(start + page.length - 1) : null,
            },
          },
        },
      }));
    }
    return { status: 200, json: gqlError('This emulator does not know this operation.', 'UNSUPPORTED') };
  }

  function refundCreate(query: string, vars: Obj): Reply {
    const key = /@idempotent\s*\(\s*key\s*:\s*(?:"([^"]+)"|\$(\w+))/.exec(query);
    const idempotencyKey = key ? (key[1] ?? String(vars[key[2]!] ?? '')) : '';
    if (idempotencyKey && idempotent.has(idempotencyKey)) {
      return charge(10, 10, () => ({ data: { refundCreate: idempotent.get(idempotencyKey) } }));
    }
    const asked = (vars.input ?? {}) as Obj;
    const input = hooks.onRefundCreate ? hooks.onRefundCreate(asked) : asked;
    const order = data.orders.find((o) => o.id === input.orderId);
    const userErrors: Obj[] = [];
    if (!order) userErrors.push({ field: ['input', 'orderId'], message: 'Order does not exist' });
    const txns = Array.isArray(input.transactions) ? (input.transactions as Obj[]) : [];
    for (const [i, t] of txns.entries()) {
      if (!/^\d+(\.\d{1,2})?$/.test(String(t.amount ?? ''))) {
        userErrors.push({ field: ['input', 'transactions', String(i), 'amount'], message: 'Amount is invalid' });
      }
      if (String(t.kind ?? '').toUpperCase() !== 'REFUND') {
        userErrors.push({ field: ['input', 'transactions', String(i), 'kind'], message: 'Kind must be REFUND' });
      }
    }
    let payload: Obj;
    if (userErrors.length > 0 || !order) {
      payload = { refund: null, order: null, userErrors };
    } else {
      const id = ++nextRefund;
      const lines = Array.isArray(input.refundLineItems) ? (input.refundLineItems as Obj[]) : [];
      const refund = makeRefund(
        () => 0.5,
        id,
        `${new Date().toISOString().slice(0, 19)}Z`,
        String(order.currencyCode),
        undefined,
      );
      // The new refund reflects the input: its transactions are what was asked.
      refund.transactions = {
        nodes: txns.map((t, i) => ({
          id: `gid://shopify/OrderTransaction/${id}${i}`,
          kind: 'REFUND',
          status: 'SUCCESS',
          test: false,
          amountSet: {
            shopMoney: { amount: String(t.amount), currencyCode: order.currencyCode },
            presentmentMoney: { amount: String(t.amount), currencyCode: order.currencyCode },
          },
        })),
      };
      refund.note = typeof input.note === 'string' ? input.note : null;
      // The refund holds the lines asked for (RefundLineItemInput: lineItemId, quantity).
      (refund.refundLineItems as { nodes: Obj[] }).nodes = lines.map((l, i) => ({
        id: `gid://shopify/RefundLineItem/${id}${i}`,
        quantity: Number(l.quantity ?? 0),
        restockType: String(l.restockType ?? 'NO_RESTOCK'),
        lineItem: { id: String(l.lineItemId ?? ''), sku: null, name: null },
        subtotalSet: null,
        totalTaxSet: null,
      }));
      // RefundInput.shipping { amount } refunds shipping: it shows as a SHIPPING_REFUND adjustment.
      const shippingAmount = Number((input.shipping as Obj | undefined)?.amount ?? 0);
      (refund.orderAdjustments as { nodes: Obj[] }).nodes =
        shippingAmount > 0
          ? [
              {
                id: `gid://shopify/OrderAdjustment/${id}`,
                kind: 'SHIPPING_REFUND',
                reason: 'Shipping refund',
                amountSet: {
                  shopMoney: { amount: (-shippingAmount).toFixed(2), currencyCode: order.currencyCode },
                  presentmentMoney: { amount: (-shippingAmount).toFixed(2), currencyCode: order.currencyCode },
                },
                taxAmountSet: {
                  shopMoney: { amount: '0.00', currencyCode: order.currencyCode },
                  presentmentMoney: { amount: '0.00', currencyCode: order.currencyCode },
                },
              },
            ]
          : [];
      (order.refunds as Obj[]).push(refund);
      order.updatedAt = `${new Date().toISOString().slice(0, 19)}Z`;
      payload = {
        refund: { id: refund.id, legacyResourceId: refund.legacyResourceId, totalRefundedSet: refund.totalRefundedSet },
        order: { id: order.id },
        userErrors: [],
      };
      if (idempotencyKey) idempotent.set(idempotencyKey, payload);
    }
    return charge(10, 10, () => ({ data: { refundCreate: payload } }));
  }

  /** The request's GraphQL document, or '' (logged so a test can tell a read from a write). */
  function graphqlDocument(body: string): string {
    try {
      const query = (JSON.parse(body) as { query?: unknown }).query;
      return typeof query === 'string' ? query : '';
    } catch {
      return '';
    }
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const entry: LoggedRequest = { at: Date.now(), method, path: url.pathname, query: url.search, status: 0 };
    requests.push(entry);
    const body = await readBody(req);
    const root = /^\s*(?:(?:query|mutation)\b[^{]*)?\{\s*(\w+)/.exec(graphqlDocument(body));
    if (root) entry.operation = root[1];
    const reply = (r: Reply) => {
      entry.status = r.status;
      if (r.note) entry.note = r.note;
      sendReply(res, r);
    };
    if (latency > 0) await clock.sleep(latency);
    const bulk = /^\/bulk\/(.+)\.jsonl$/.exec(url.pathname);
    const fault = faults.take(url.pathname + url.search);
    if (fault) {
      entry.fault = fault.kind;
      if (fault.kind === 'rate-limit') {
        stats.throttled += 1;
        reply({
          status: 429,
          headers: { 'retry-after': '1.0' },
          json: gqlError('Throttled', 'THROTTLED'),
        });
        return;
      }
      if (fault.kind === 'server-error') {
        reply({ status: fault.status ?? 502, json: { errors: 'Internal Server Error' } });
        return;
      }
      const done = await applyTransportFault(fault, res, () => {
        if (bulk) return bulkOps.get(decodeURIComponent(bulk[1]!))?.jsonl ?? '';
        const r = graphql(body);
        return r.text ?? JSON.stringify(r.json);
      });
      if (done) {
        entry.status = -1;
        return;
      }
    }
    if (bulk && method === 'GET') {
      // The result URL is pre-signed (like Shopify's storage links): no access token.
      const op = bulkOps.get(decodeURIComponent(bulk[1]!));
      if (op?.status !== 'COMPLETED') {
        reply({ status: 404, text: 'Not Found' });
        return;
      }
      reply({ status: 200, headers: { 'content-type': 'application/jsonl' }, text: op.jsonl });
      return;
    }
    if (url.pathname !== `/admin/api/${version}/graphql.json`) {
      reply({ status: 404, json: { errors: 'Not Found' } });
      return;
    }
    if (req.headers['x-shopify-access-token'] !== token) {
      reply({
        status: 401,
        json: { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' },
      });
      return;
    }
    if (method !== 'POST') {
      reply({ status: 405, json: { errors: 'Method Not Allowed' } });
      return;
    }
    reply(graphql(body));
  }

  const server = await startHttpServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendReply(res, { status: 500, json: { errors: String(error) } });
    });
  }, options.port ?? 0);
  baseUrl = server.url;
  emulator.url = server.url;
  emulator.graphqlUrl = `${server.url}/admin/api/${version}/graphql.json`;
  emulator.close = () => server.close();
  return emulator;
}
