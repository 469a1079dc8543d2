import type http from 'node:http';
import { type Clock, realClock } from '../../../src/main/connectors/clock';
import { applyTransportFault, FaultInjector } from '../common/faults';
import { decimal } from '../common/random';
import { type LoggedRequest, type Reply, readBody, sendReply, startHttpServer } from '../common/server';
import {
  type BcOrder,
  type BigcommerceData,
  bcNumber,
  generateBigcommerceData,
  type Obj,
  orderProductJson,
} from './dataset';

/**
 * BigCommerce v3 payment-actions emulator (apis.md §3) on 127.0.0.1: `X-Auth-Token` checked, the
 * store's request quota (150 per 30 s window by default) reported on every answer with the four
 * `X-Rate-Limit-*` headers and enforced with 429, the refunds list with `meta.pagination`
 * (`page`, `limit` ≤ 250, `created:min/max`, `order_id:in`, `id:in`), single refunds, per-order
 * refunds, refund quotes and refund creation with its 422 rules (payment amount must equal a quote's
 * refund-method amount, no store credit for guests, quantities within what is left, one refund at a
 * time per order), both error body shapes, latency and switchable faults.
 */

export interface BigcommerceEmulatorOptions {
  data?: BigcommerceData;
  accessToken?: string;
  /** Requests per window. Default 150 (Standard/Plus plans). */
  quota?: number;
  windowMs?: number;
  latencyMs?: number;
  /** Time a refund create holds the order (sequential-refund rule). Default 0. */
  createMs?: number;
  clock?: Clock;
  port?: number;
}

export interface BigcommerceEmulator {
  url: string;
  /** API base to give the client: `<url>/stores/<hash>/v3`. */
  apiUrl: string;
  storeHash: string;
  accessToken: string;
  data: BigcommerceData;
  faults: FaultInjector;
  requests: LoggedRequest[];
  stats: { quotaRejections: number; authFailures: number; maxInWindow: number; windows: number };
  close(): Promise<void>;
}

export const DEFAULT_BIGCOMMERCE_TOKEN = 'emu_bc_token_5f1d2c3b4a6978e0d1c2b3a4f5e6d7c8';

const TYPE = '/api-docs/getting-started/api-status-codes';

function plainError(status: number, title: string, errors: Obj = {}): Reply {
  return { status, json: { status, title, type: TYPE, errors } };
}

function wrappedError(status: number, title: string): Reply {
  return { status, json: { data: [{ status, title, type: TYPE }] } };
}

function minor(value: unknown): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) return undefined;
  const cents = Math.round(value * 100);
  return Math.abs(cents / 100 - value) < 1e-9 ? cents : undefined;
}

export async function startBigcommerceEmulator(options: BigcommerceEmulatorOptions = {}): Promise<BigcommerceEmulator> {
  const data = options.data ?? generateBigcommerceData({ refunds: 120 });
  const token = options.accessToken ?? DEFAULT_BIGCOMMERCE_TOKEN;
  const quota = options.quota ?? 150;
  const windowMs = options.windowMs ?? 30_000;
  const latency = options.latencyMs ?? 0;
  const clock = options.clock ?? realClock;
  const faults = new FaultInjector();
  const requests: LoggedRequest[] = [];
  const stats = { quotaRejections: 0, authFailures: 0, maxInWindow: 0, windows: 0 };
  const busyOrders = new Set<number>();
  const orders = new Map<number, BcOrder>(data.orders.map((o) => [o.id, o]));
  let windowStart = -Infinity;
  let used = 0;
  let nextPayment = 1_000_000;
  let baseUrl = '';
  const prefix = `/stores/${data.storeHash}/v3`;
  const prefixV2 = `/stores/${data.storeHash}/v2`;

  /** Counts the request in the current window; returns the quota headers. */
  function meter(count: boolean): { headers: Record<string, string>; over: boolean } {
    const now = clock.now();
    if (now >= windowStart + windowMs) {
      windowStart = now;
      used = 0;
      stats.windows += 1;
    }
    const over = used >= quota;
    if (count && !over) used += 1;
    stats.maxInWindow = Math.max(stats.maxInWindow, used);
    return {
      over,
      headers: {
        'x-rate-limit-time-window-ms': String(windowMs),
        'x-rate-limit-time-reset-ms': String(Math.max(0, Math.ceil(windowStart + windowMs - now))),
        'x-rate-limit-requests-quota': String(quota),
        'x-rate-limit-requests-left': String(Math.max(0, quota - used)),
      },
    };
  }

  function collection(items: Obj[], query: URLSearchParams, path: string): Reply {
    const pageParam = query.get('page') ?? '1';
    const limitParam = query.get('limit') ?? '50';
    if (!/^\d+$/.test(pageParam) || Number(pageParam) < 1) {
      return plainError(422, 'The page parameter must be a positive integer.', { page: pageParam });
    }
    if (!/^\d+$/.test(limitParam) || Number(limitParam) < 1 || Number(limitParam) > 250) {
      return plainError(422, 'The limit parameter must be between 1 and 250.', { limit: limitParam });
    }
    const page = Number(pageParam);
    const limit = Number(limitParam);
    const total = items.length;
    const totalPages = Math.ceil(total / limit);
    const slice = items.slice((page - 1) * limit, page * limit);
    const link = (p: number) => `?page=${p}&limit=${limit}`;
    return {
      status: 200,
      json: {
        data: slice,
        meta: {
          pagination: {
            total,
            count: slice.length,
            per_page: limit,
            current_page: page,
            total_pages: totalPages,
            links: {
              ...(page > 1 ? { previous: link(page - 1) } : {}),
              current: link(page),
              ...(page < totalPages ? { next: link(page + 1) } : {}),
            },
          },
        },
      },
      note: `${path} page=${page} count=${slice.length}`,
    };
  }

  function filterRefunds(query: URLSearchParams): Obj[] | Reply {
    let list = data.refunds;
    const time = (name: string) => {
      const raw = query.get(name);
      if (raw === null) return undefined;
      const t = Date.parse(raw);
      return Number.isNaN(t) ? Number.NaN : t;
    };
    const min = time('created:min');
    const max = time('created:max');
    if (Number.isNaN(min) || Number.isNaN(max)) {
      return plainError(422, 'created:min and created:max must be RFC 3339 date-times.', {
        'created:min': query.get('created:min'),
        'created:max': query.get('created:max'),
      });
    }
    if (min !== undefined) list = list.filter((r) => Date.parse(String(r.created)) >= min);
    if (max !== undefined) list = list.filter((r) => Date.parse(String(r.created)) <= max);
    const ids = (name: string) => query.get(name)?.split(',').map(Number);
    const orderIds = ids('order_id:in');
    if (orderIds) list = list.filter((r) => orderIds.includes(Number(r.order_id)));
    const refundIds = ids('id:in');
    if (refundIds) list = list.filter((r) => refundIds.includes(Number(r.id)));
    const txn = query.get('transaction_id');
    if (txn) list = list.filter((r) => (r.payments as Obj[]).some((p) => p.transaction_id === txn));
    return list;
  }

  interface Priced {
    amount: number;
    tax: number;
    error?: Reply;
    apply: () => void;
  }

  /** Prices the items of a quote or refund against what is left on the order. */
  function price(order: BcOrder, items: unknown): Priced {
    const fail = (title: string, field: string): Priced => ({
      amount: 0,
      tax: 0,
      error: plainError(422, 'JSON data is missing or invalid', { [field]: title }),
      apply: () => {},
    });
    if (!Array.isArray(items) || items.length === 0) return fail('items must be a non-empty array', 'items');
    let amount = 0;
    let tax = 0;
    const takes: (() => void)[] = [];
    const wanted = new Map<number, number>();
    for (const [i, raw] of items.entries()) {
      const it = (raw ?? {}) as Obj;
      const type = String(it.item_type ?? '');
      if (type === 'PRODUCT' || type === 'GIFT_WRAPPING') {
        const product = order.products.find((p) => p.id === it.item_id);
        if (!product) return fail(`item_id ${String(it.item_id)} is not a product of order ${order.id}`, `items.${i}`);
        const q = it.quantity;
        if (typeof q !== 'number' || !Number.isInteger(q) || q < 1) {
          return fail('quantity must be a positive integer', `items.${i}.quantity`);
        }
        const total = (wanted.get(product.id) ?? 0) + q;
        wanted.set(product.id, total);
        if (total > product.quantity - product.refunded) {
          return fail(
            `quantity ${total} exceeds the ${product.quantity - product.refunded} left to refund`,
            `items.${i}.quantity`,
          );
        }
        amount += (product.price + product.tax) * q;
        tax += product.tax * q;
        takes.push(() => {
          product.refunded += q;
        });
      } else if (['SHIPPING', 'HANDLING', 'ORDER', 'TAX', 'FEE'].includes(type)) {
        const value = minor(it.amount);
        if (value === undefined)
          return fail('amount must be a non-negative number with 2 decimals', `items.${i}.amount`);
        amount += value;
      } else {
        return fail(
          `item_type "${type}" is not one of PRODUCT, GIFT_WRAPPING, SHIPPING, HANDLING, ORDER, TAX, FEE`,
          `items.${i}.item_type`,
        );
      }
    }
    if (order.refundedTotal + amount > order.total + 5000) {
      return fail('the refund exceeds the amount left on the order', 'items');
    }
    return {
      amount,
      tax,
      apply: () => {
        for (const take of takes) take();
      },
    };
  }

  function refundMethods(order: BcOrder, amount: number): Obj[][] {
    const online = {
      provider_id: order.payment_provider,
      provider_description: order.payment_provider,
      amount: bcNumber(amount),
      offline: false,
      offline_provider: false,
      offline_reason: '',
    };
    const custom = {
      provider_id: 'custom',
      provider_description: 'Manual refund',
      amount: bcNumber(amount),
      offline: true,
      offline_provider: true,
      offline_reason: '',
    };
    const credit = {
      provider_id: 'storecredit',
      provider_description: 'Store credit',
      amount: bcNumber(amount),
      offline: false,
      offline_provider: false,
      offline_reason: '',
    };
    // Store credit is offered only to a customer with an account, and only in the store's default
    // currency: orders.v3.yml answers a guest's store-credit refund with 422 "Unable to provide
    // store credit for a guest customer."; Celigo's BigCommerce refund sync documents "no store
    // credit on non-default-currency orders" (tenders.md S9, refund-domain.md §1.4).
    const offersCredit = order.customer_id !== 0 && order.currency_code === data.currency;
    return offersCredit ? [[online], [custom], [credit]] : [[online], [custom]];
  }

  function quote(order: BcOrder, body: Obj): Reply {
    const priced = price(order, body.items);
    if (priced.error) return priced.error;
    return {
      status: 201,
      json: {
        data: {
          order_id: order.id,
          total_refund_amount: bcNumber(priced.amount),
          total_refund_tax_amount: bcNumber(priced.tax),
          order_level_refund_amount: 0,
          rounding: 0,
          adjustment: 0,
          tax_inclusive: false,
          refund_methods: refundMethods(order, priced.amount),
        },
        meta: {},
      },
    };
  }

  async function createRefund(order: BcOrder, body: Obj): Promise<Reply> {
    if (busyOrders.has(order.id)) {
      return wrappedError(
        422,
        `A refund on order ${order.id} is still being created; refunds on one order must be sequential.`,
      );
    }
    const priced = price(order, body.items);
    if (priced.error) return priced.error;
    const payments = body.payments;
    if (!Array.isArray(payments) || payments.length === 0) {
      return plainError(422, 'JSON data is missing or invalid', { payments: 'payments must be a non-empty array' });
    }
    const methods = refundMethods(order, priced.amount).flat();
    let paid = 0;
    for (const [i, raw] of payments.entries()) {
      const p = (raw ?? {}) as Obj;
      const amount = minor(p.amount);
      if (amount === undefined) {
        return plainError(422, 'JSON data is missing or invalid', {
          [`payments.${i}.amount`]: 'must be a 2-dp number',
        });
      }
      if (p.provider_id === 'storecredit' && order.customer_id === 0) {
        return wrappedError(422, 'Unable to provide store credit for a guest customer.');
      }
      const method = methods.find((m) => m.provider_id === p.provider_id);
      if (!method) {
        return wrappedError(422, `Provider "${String(p.provider_id)}" is not a refund method of order ${order.id}.`);
      }
      paid += amount;
    }
    const override = body.merchant_calculated_override as { total_amount?: unknown } | undefined;
    const due = override ? minor(override.total_amount) : priced.amount;
    if (due === undefined || paid !== due) {
      return wrappedError(
        422,
        `The payment amount ${decimalText(paid)} does not equal the refund method amount ${decimalText(due ?? 0)} of the quote.`,
      );
    }
    busyOrders.add(order.id);
    try {
      if (options.createMs) await clock.sleep(options.createMs);
      priced.apply();
      order.refundedTotal += paid;
      const id = Math.max(0, ...data.refunds.map((r) => Number(r.id))) + 1;
      const refund: Obj = {
        id,
        order_id: order.id,
        user_id: 0,
        created: new Date().toISOString().replace(/\.\d+Z$/, '+00:00'),
        reason: typeof body.reason === 'string' ? body.reason : '',
        total_amount: bcNumber(paid),
        total_tax: bcNumber(priced.tax),
        uses_merchant_override_values: Boolean(override),
        items: (body.items as Obj[]).map((it) => ({
          item_type: it.item_type,
          item_id: it.item_id,
          quantity: it.quantity ?? null,
          requested_amount: it.amount ?? null,
          reason: it.reason ?? null,
        })),
        payments: (payments as Obj[]).map((p) => ({
          id: ++nextPayment,
          provider_id: p.provider_id,
          amount: p.amount,
          offline: p.offline === true,
          is_declined: false,
          declined_message: '',
        })),
      };
      data.refunds.push(refund);
      return { status: 201, json: { data: refund, meta: {} } };
    } finally {
      busyOrders.delete(order.id);
    }
  }

  function decimalText(cents: number): string {
    return decimal(cents, 2);
  }

  /**
   * `GET /v2/orders/{id}/products` (bigcommerce/docs reference/orders.v2.oas2.yml, "List Order
   * Products"): a bare JSON array of order products, money as 4-decimal strings, `page` and
   * `limit` (default 50, at most 250); 404 for an unknown order.
   */
  function orderProducts(orderId: number, query: URLSearchParams): Reply {
    const order = orders.get(orderId);
    if (!order) return plainError(404, `Order ${orderId} not found`);
    const page = Number(query.get('page') ?? '1');
    const limit = Number(query.get('limit') ?? '50');
    if (!Number.isInteger(page) || page < 1 || !Number.isInteger(limit) || limit < 1 || limit > 250) {
      return plainError(400, 'Invalid page or limit', { limit: 'The limit must be between 1 and 250.' });
    }
    const slice = order.products.slice((page - 1) * limit, page * limit);
    return { status: 200, json: slice.map((p) => orderProductJson(order, p)) };
  }

  async function route(method: string, url: URL, body: string): Promise<Reply> {
    if (url.pathname.startsWith(`${prefixV2}/`)) {
      const products = /^\/orders\/(\d+)\/products$/.exec(url.pathname.slice(prefixV2.length));
      if (products && method === 'GET') return orderProducts(Number(products[1]), url.searchParams);
      return plainError(404, `No route for ${method} ${url.pathname}`);
    }
    const path = url.pathname.slice(prefix.length);
    if (path === '/orders/payment_actions/refunds' && method === 'GET') {
      const list = filterRefunds(url.searchParams);
      return Array.isArray(list) ? collection(list, url.searchParams, 'refunds') : list;
    }
    const one = /^\/orders\/payment_actions\/refunds\/(\d+)$/.exec(path);
    if (one && method === 'GET') {
      const refund = data.refunds.find((r) => r.id === Number(one[1]));
      return refund ? { status: 200, json: { data: refund, meta: {} } } : plainError(404, 'Refund not found');
    }
    const m = /^\/orders\/(\d+)\/payment_actions\/(refunds|refund_quotes)$/.exec(path);
    if (m) {
      const order = orders.get(Number(m[1]));
      if (!order) return plainError(404, `Order ${m[1]} not found`);
      if (m[2] === 'refunds' && method === 'GET') {
        const list = filterRefunds(url.searchParams);
        if (!Array.isArray(list)) return list;
        return collection(
          list.filter((r) => r.order_id === order.id),
          url.searchParams,
          'order refunds',
        );
      }
      if (method === 'POST') {
        let parsed: Obj;
        try {
          parsed = JSON.parse(body) as Obj;
          if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
        } catch {
          return plainError(422, 'JSON data is missing or invalid', { body: 'The request body is not a JSON object.' });
        }
        return m[2] === 'refund_quotes' ? quote(order, parsed) : await createRefund(order, parsed);
      }
      return plainError(405, `${method} is not allowed on ${url.pathname}`);
    }
    return plainError(404, `No route for ${method} ${url.pathname}`);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const entry: LoggedRequest = { at: Date.now(), method, path: url.pathname, query: url.search, status: 0 };
    requests.push(entry);
    const body = await readBody(req);
    let quotaHeaders: Record<string, string> = {};
    const reply = (r: Reply) => {
      entry.status = r.status;
      if (r.note) entry.note = r.note;
      sendReply(res, { ...r, headers: { ...quotaHeaders, ...r.headers } });
    };
    if (latency > 0) await clock.sleep(latency);
    if (!url.pathname.startsWith(`${prefix}/`) && !url.pathname.startsWith(`${prefixV2}/`)) {
      reply({ status: 404, json: { status: 404, title: 'Store not found', type: TYPE, errors: {} } });
      return;
    }
    if (req.headers['x-auth-token'] !== token) {
      stats.authFailures += 1;
      reply(plainError(401, 'The X-Auth-Token header is missing or not valid for this store.'));
      return;
    }
    const fault = faults.take(url.pathname + url.search);
    if (fault?.kind === 'rate-limit') {
      // Another app on the store spent the quota: 429 until the window resets.
      entry.fault = fault.kind;
      meter(false);
      used = quota;
    }
    const metered = meter(true);
    quotaHeaders = metered.headers;
    if (metered.over) {
      stats.quotaRejections += 1;
      if (fault?.kind === 'rate-limit') entry.fault = 'rate-limit';
      reply({ ...plainError(429, 'Too many requests'), note: 'quota exceeded' });
      return;
    }
    if (fault && fault.kind !== 'rate-limit') {
      entry.fault = fault.kind;
      if (fault.kind === 'server-error') {
        const status = fault.status ?? 503;
        reply(
          status === 503
            ? { status, json: { data: [{ order_id: 0, status: 503, error: 'Tax service gone away' }], meta: {} } }
            : plainError(status, 'Internal Server Error'),
        );
        return;
      }
      const done = await applyTransportFault(fault, res, () => {
        // Transport faults cut a correct answer; for the list that is a read-only computation.
        const r = url.pathname.endsWith('/orders/payment_actions/refunds')
          ? collection(filterRefunds(url.searchParams) as Obj[], url.searchParams, 'refunds')
          : plainError(500, 'cut');
        return r.text ?? JSON.stringify(r.json);
      });
      if (done) {
        entry.status = -1;
        return;
      }
    }
    reply(await route(method, url, body));
  }

  const server = await startHttpServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendReply(res, plainError(500, String(error)));
    });
  }, options.port ?? 0);
  baseUrl = server.url;
  return {
    url: baseUrl,
    apiUrl: `${baseUrl}${prefix}`,
    storeHash: data.storeHash,
    accessToken: token,
    data,
    faults,
    requests,
    stats,
    close: () => server.close(),
  };
}
