import type http from 'node:http';
import { type Clock, realClock } from '../../../src/main/connectors/clock';
import { applyTransportFault, FaultInjector } from '../common/faults';
import { decimal } from '../common/random';
import { type LoggedRequest, type Reply, readBody, sendReply, startHttpServer } from '../common/server';
import { generateWooData, type Obj, type WooData } from './dataset';

/**
 * WooCommerce REST API v3 emulator (apis.md §4) on 127.0.0.1: consumer key/secret checked (HTTP
 * Basic, or `consumer_key`/`consumer_secret` query parameters; a read-only key cannot create),
 * orders and order refunds listed with `page`/`per_page` (≤ 100), `orderby`/`order`, `after`/`before`
 * and `modified_after`, totals in `X-WP-Total` / `X-WP-TotalPages` and a `Link` header, refund
 * create with `refund_total` per line (values stored and answered negative), WordPress error bodies
 * `{code, message, data: {status}}`, latency and switchable faults. WooCommerce has no built-in rate
 * limit; the `rate-limit` fault answers like a host or security plugin does (429 + Retry-After).
 *
 * The emulator speaks plain HTTP on loopback and accepts Basic auth there; a real store must be
 * reached over HTTPS (the client refuses Basic over plain HTTP anywhere but 127.0.0.1).
 */

export interface WooEmulatorOptions {
  data?: WooData;
  keys?: { consumerKey: string; consumerSecret: string; permissions: 'read' | 'read_write' }[];
  latencyMs?: number;
  /** Seconds sent in Retry-After by the rate-limit fault. Default 1. */
  retryAfterS?: number;
  clock?: Clock;
  port?: number;
}

export interface WooEmulator {
  url: string;
  consumerKey: string;
  consumerSecret: string;
  data: WooData;
  faults: FaultInjector;
  requests: LoggedRequest[];
  stats: { authFailures: number; refundsCreated: number };
  close(): Promise<void>;
}

export const DEFAULT_WOO_KEY = {
  consumerKey: 'ck_emu0c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c',
  consumerSecret: 'cs_emu9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f',
  permissions: 'read_write' as const,
};

const API = '/wp-json/wc/v3';

function wpError(status: number, code: string, message: string, extra: Obj = {}): Reply {
  return { status, json: { code, message, data: { status, ...extra } } };
}

function cents(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) return undefined;
  return Math.round(n * 100);
}

export async function startWooEmulator(options: WooEmulatorOptions = {}): Promise<WooEmulator> {
  const data = options.data ?? generateWooData({ refunds: 100 });
  const keys = options.keys ?? [DEFAULT_WOO_KEY];
  const latency = options.latencyMs ?? 0;
  const clock = options.clock ?? realClock;
  const faults = new FaultInjector();
  const requests: LoggedRequest[] = [];
  const stats = { authFailures: 0, refundsCreated: 0 };
  let baseUrl = '';
  let nextId = 900_000;

  function credentials(req: http.IncomingMessage, url: URL): { key: string; secret: string } | undefined {
    const header = req.headers.authorization;
    if (header?.startsWith('Basic ')) {
      const text = Buffer.from(header.slice(6), 'base64').toString('utf8');
      const colon = text.indexOf(':');
      if (colon < 0) return { key: text, secret: '' };
      return { key: text.slice(0, colon), secret: text.slice(colon + 1) };
    }
    const key = url.searchParams.get('consumer_key');
    if (key !== null) return { key, secret: url.searchParams.get('consumer_secret') ?? '' };
    return undefined;
  }

  /** Paged listing: X-WP-Total, X-WP-TotalPages and a Link header, like WordPress. */
  function paged(url: URL, items: Obj[], note: string): Reply {
    const perPageRaw = url.searchParams.get('per_page') ?? '10';
    const pageRaw = url.searchParams.get('page') ?? '1';
    const perPage = Number(perPageRaw);
    const page = Number(pageRaw);
    if (!/^\d+$/.test(perPageRaw) || perPage < 1 || perPage > 100) {
      return wpError(400, 'rest_invalid_param', 'Invalid parameter(s): per_page', {
        params: { per_page: 'per_page must be between 1 (inclusive) and 100 (inclusive)' },
      });
    }
    if (!/^\d+$/.test(pageRaw) || page < 1) {
      return wpError(400, 'rest_invalid_param', 'Invalid parameter(s): page', {
        params: { page: 'page must be greater than or equal to 1' },
      });
    }
    const total = items.length;
    const totalPages = Math.ceil(total / perPage);
    if (total > 0 && page > totalPages) {
      return wpError(
        400,
        'rest_post_invalid_page_number',
        'The page number requested is larger than the number of pages available.',
      );
    }
    const slice = items.slice((page - 1) * perPage, page * perPage);
    const link = (p: number) => {
      const u = new URL(`${baseUrl}${url.pathname}${url.search}`);
      u.searchParams.set('page', String(p));
      u.searchParams.delete('consumer_key');
      u.searchParams.delete('consumer_secret');
      return u.toString();
    };
    const links = [
      ...(page > 1 ? [`<${link(page - 1)}>; rel="prev"`] : []),
      ...(page < totalPages ? [`<${link(page + 1)}>; rel="next"`] : []),
      ...(totalPages > 0 ? [`<${link(totalPages)}>; rel="last"`] : []),
    ];
    return {
      status: 200,
      headers: {
        'x-wp-total': String(total),
        'x-wp-totalpages': String(totalPages),
        ...(links.length ? { link: links.join(', ') } : {}),
      },
      json: slice,
      note: `${note} page=${page} count=${slice.length}`,
    };
  }

  function sortBy(url: URL, items: Obj[], dateKey: string): Obj[] | Reply {
    const orderby = url.searchParams.get('orderby') ?? 'date';
    const order = url.searchParams.get('order') ?? 'desc';
    if (!['date', 'id', 'modified', 'include'].includes(orderby) || !['asc', 'desc'].includes(order)) {
      return wpError(400, 'rest_invalid_param', 'Invalid parameter(s): orderby, order');
    }
    const key = orderby === 'id' ? 'id' : orderby === 'modified' ? 'date_modified_gmt' : dateKey;
    const sorted = [...items].sort((a, b) => {
      const x = a[key] as string | number;
      const y = b[key] as string | number;
      return (x < y ? -1 : x > y ? 1 : 0) || Number(a.id) - Number(b.id);
    });
    return order === 'desc' ? sorted.reverse() : sorted;
  }

  function dateFilter(url: URL, items: Obj[]): Obj[] | Reply {
    let out = items;
    for (const [param, field, cmp] of [
      ['after', 'date_created', 1],
      ['before', 'date_created', -1],
      ['modified_after', 'date_modified', 1],
      ['modified_before', 'date_modified', -1],
    ] as const) {
      const raw = url.searchParams.get(param);
      if (raw === null) continue;
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/.test(raw)) {
        return wpError(400, 'rest_invalid_param', `Invalid parameter(s): ${param}`, {
          params: { [param]: 'Invalid date.' },
        });
      }
      const bound = raw.slice(0, 19);
      out = out.filter((o) => (cmp > 0 ? String(o[field]) > bound : String(o[field]) < bound));
    }
    return out;
  }

  function listOrders(url: URL): Reply {
    const filtered = dateFilter(url, data.orders);
    if (!Array.isArray(filtered)) return filtered;
    const sorted = sortBy(url, filtered, 'date_created_gmt');
    return Array.isArray(sorted) ? paged(url, sorted, 'orders') : sorted;
  }

  function listRefunds(url: URL, orderId: number): Reply {
    const list = data.refunds.get(orderId);
    if (!list) return wpError(404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.');
    const withLinks = list.map((r) => ({
      ...r,
      _links: {
        self: [{ href: `${baseUrl}${API}/orders/${orderId}/refunds/${r.id}` }],
        collection: [{ href: `${baseUrl}${API}/orders/${orderId}/refunds` }],
        up: [{ href: `${baseUrl}${API}/orders/${orderId}` }],
      },
    }));
    const sorted = sortBy(url, withLinks, 'date_created_gmt');
    return Array.isArray(sorted) ? paged(url, sorted, `refunds of ${orderId}`) : sorted;
  }

  function createRefund(orderId: number, body: string): Reply {
    const order = data.orders.find((o) => o.id === orderId);
    if (!order) return wpError(404, 'woocommerce_rest_shop_order_invalid_id', 'Invalid ID.');
    let input: Obj;
    try {
      input = JSON.parse(body) as Obj;
      if (!input || typeof input !== 'object' || Array.isArray(input)) throw new Error('not an object');
    } catch {
      return wpError(400, 'rest_invalid_json', 'Invalid JSON body passed.');
    }
    const existing = data.refunds.get(orderId) ?? [];
    const orderLines = order.line_items as Obj[];
    const refunded = new Map<number, number>();
    for (const r of existing) {
      for (const l of r.line_items as Obj[]) {
        const meta = (l.meta_data as Obj[]).find((m) => m.key === '_refunded_item_id');
        const id = Number(meta?.value);
        refunded.set(id, (refunded.get(id) ?? 0) + Math.abs(Math.round(Number(l.total) * 100)));
      }
    }
    const lines: Obj[] = [];
    let fromLines = 0;
    const rawLines = Array.isArray(input.line_items) ? (input.line_items as Obj[]) : [];
    for (const [i, l] of rawLines.entries()) {
      const line = orderLines.find((o) => String(o.id) === String(l.id));
      if (!line) {
        return wpError(
          400,
          'woocommerce_rest_invalid_order_item',
          `Order item ${String(l.id)} does not belong to order ${orderId}.`,
          {
            params: { [`line_items[${i}].id`]: 'Invalid order item.' },
          },
        );
      }
      const total = cents(l.refund_total);
      if (total === undefined) {
        return wpError(400, 'rest_invalid_param', 'Invalid parameter(s): line_items', {
          params: { [`line_items[${i}].refund_total`]: 'refund_total must be a non-negative number.' },
        });
      }
      const lineTotal = Math.round(Number(line.total) * 100);
      if ((refunded.get(Number(line.id)) ?? 0) + total > lineTotal) {
        return wpError(400, 'woocommerce_rest_cannot_create_order_refund', 'Invalid refund amount.');
      }
      let tax = 0;
      for (const t of Array.isArray(l.refund_tax) ? (l.refund_tax as Obj[]) : []) tax += cents(t.refund_total) ?? 0;
      fromLines += total + tax;
      const unit = Math.round(Number(line.price) * 100);
      const quantity = Number(l.quantity ?? (unit > 0 ? Math.round(total / unit) : 0));
      lines.push({
        id: ++nextId,
        name: line.name,
        product_id: line.product_id,
        variation_id: 0,
        quantity: -quantity,
        tax_class: '',
        subtotal: decimal(-total, 2),
        subtotal_tax: decimal(-tax, 2),
        total: decimal(-total, 2),
        total_tax: decimal(-tax, 2),
        taxes: [{ id: 1, total: decimal(-tax, 2), subtotal: decimal(-tax, 2) }],
        meta_data: [
          { id: ++nextId, key: '_refunded_item_id', value: String(line.id), display_key: '_refunded_item_id' },
        ],
        sku: line.sku,
        price: -(unit / 100),
      });
    }
    // If `amount` is given it wins over the line totals (apis.md §4).
    const amount = input.amount !== undefined ? cents(input.amount) : fromLines;
    const alreadyRefunded = existing.reduce((n, r) => n + Math.round(Number(r.amount) * 100), 0);
    const orderTotal = Math.round(Number(order.total) * 100);
    if (amount === undefined || amount <= 0 || alreadyRefunded + amount > orderTotal) {
      return wpError(400, 'woocommerce_rest_cannot_create_order_refund', 'Invalid refund amount.');
    }
    const now = new Date();
    const refund: Obj = {
      id: ++nextId,
      date_created: new Date(now.getTime() + data.siteOffsetHours * 3600_000).toISOString().slice(0, 19),
      date_created_gmt: now.toISOString().slice(0, 19),
      amount: decimal(amount, 2),
      reason: typeof input.reason === 'string' ? input.reason : '',
      refunded_by: 1,
      refunded_payment: input.api_refund !== false,
      meta_data: [],
      line_items: lines,
      _links: {},
    };
    data.refunds.set(orderId, [refund, ...existing]);
    (order.refunds as Obj[]).unshift({ id: refund.id, reason: refund.reason, total: `-${String(refund.amount)}` });
    order.date_modified = refund.date_created;
    order.date_modified_gmt = refund.date_created_gmt;
    data.refundCount += 1;
    stats.refundsCreated += 1;
    return { status: 201, json: refund };
  }

  function route(method: string, url: URL, body: string, canWrite: boolean): Reply {
    const path = url.pathname.slice(API.length);
    if (path === '/orders' && method === 'GET') return listOrders(url);
    const m = /^\/orders\/(\d+)\/refunds$/.exec(path);
    if (m && method === 'GET') return listRefunds(url, Number(m[1]));
    if (m && method === 'POST') {
      if (!canWrite) {
        return wpError(401, 'woocommerce_rest_cannot_create', 'Sorry, you are not allowed to create resources.');
      }
      return createRefund(Number(m[1]), body);
    }
    const one = /^\/orders\/(\d+)\/refunds\/(\d+)$/.exec(path);
    if (one && method === 'GET') {
      const refund = data.refunds.get(Number(one[1]))?.find((r) => r.id === Number(one[2]));
      return refund ? { status: 200, json: refund } : wpError(404, 'woocommerce_rest_invalid_id', 'Invalid ID.');
    }
    return wpError(404, 'rest_no_route', 'No route was found matching the URL and request method.');
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    const logged = new URLSearchParams(url.search);
    if (logged.has('consumer_secret')) logged.set('consumer_secret', '***');
    const entry: LoggedRequest = { at: Date.now(), method, path: url.pathname, query: logged.toString(), status: 0 };
    requests.push(entry);
    const body = await readBody(req);
    const reply = (r: Reply) => {
      entry.status = r.status;
      if (r.note) entry.note = r.note;
      sendReply(res, r);
    };
    if (latency > 0) await clock.sleep(latency);
    if (!url.pathname.startsWith(`${API}/`)) {
      reply(wpError(404, 'rest_no_route', 'No route was found matching the URL and request method.'));
      return;
    }
    const cred = credentials(req, url);
    if (!cred) {
      stats.authFailures += 1;
      reply(wpError(401, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.'));
      return;
    }
    const key = keys.find((k) => k.consumerKey === cred.key);
    if (!key) {
      stats.authFailures += 1;
      reply(wpError(401, 'woocommerce_rest_authentication_error', 'Consumer key is invalid.'));
      return;
    }
    if (key.consumerSecret !== cred.secret) {
      stats.authFailures += 1;
      reply(wpError(401, 'woocommerce_rest_authentication_error', 'Consumer secret is invalid.'));
      return;
    }
    const fault = faults.take(url.pathname + url.search);
    if (fault) {
      entry.fault = fault.kind;
      if (fault.kind === 'rate-limit') {
        reply({
          ...wpError(429, 'too_many_requests', 'Too many requests. Please slow down.'),
          headers: { 'retry-after': String(options.retryAfterS ?? 1) },
        });
        return;
      }
      if (fault.kind === 'server-error') {
        reply(
          wpError(fault.status ?? 500, 'internal_server_error', 'There has been a critical error on this website.'),
        );
        return;
      }
      const done = await applyTransportFault(fault, res, () => {
        const r = method === 'GET' ? route(method, url, body, false) : wpError(500, 'cut', 'cut');
        return r.text ?? JSON.stringify(r.json);
      });
      if (done) {
        entry.status = -1;
        return;
      }
    }
    reply(route(method, url, body, key.permissions === 'read_write'));
  }

  const server = await startHttpServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendReply(res, wpError(500, 'internal_server_error', String(error)));
    });
  }, options.port ?? 0);
  baseUrl = server.url;
  return {
    url: baseUrl,
    consumerKey: keys[0]!.consumerKey,
    consumerSecret: keys[0]!.consumerSecret,
    data,
    faults,
    requests,
    stats,
    close: () => server.close(),
  };
}
