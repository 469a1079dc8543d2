import { setMaxListeners } from 'node:events';
import { UserError } from '../../../shared/errors';
import type { CanonicalRefundInput } from '../../../shared/model';
import { woocommerceRefundToRefund } from '../../mapping/woocommerce';
import { abortReason } from '../clock';
import type { WoocommerceClient, WooResponse } from './client';

/**
 * WooCommerce refunds (apis.md §4). There is no store-wide refunds list in v3 (only unconfirmed
 * third-party mentions), so the pull lists orders (`GET /orders`, paged by `page`/`per_page` with
 * `X-WP-Total` / `X-WP-TotalPages` and a `Link` header) and, for each order whose `refunds` summary is
 * not empty, reads `GET /orders/<id>/refunds`. Every order's refunds must match its summary's ids,
 * so a refund added or removed mid-pull stops the pull instead of being lost. Negative line values
 * are turned positive by `woocommerceRefundToRefund` (mapping/woocommerce.ts, shared with the importer).
 */

type Obj = Record<string, unknown>;

export const WOO_PER_PAGE = 100;

export interface WooPullOptions {
  /** Orders created after / before these dates (YYYY-MM-DD, site time): `after` / `before`. */
  from?: string;
  to?: string;
  /** Orders modified on or after this date (`modified_after`, WooCommerce ≥ 5.8). */
  modifiedSince?: string;
  perPage?: number;
  /** Requests started ahead of the consumer. Default 4 × the limiter's limit. */
  prefetch?: number;
  signal?: AbortSignal;
  onProgress?: (info: { orderPages: number; orderPagesTotal: number; orders: number; refunds: number }) => void;
}

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

function day(value: string, name: string): string {
  if (!ISO_DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new UserError('pull_window', `${name}: expected a date as YYYY-MM-DD, found "${value.slice(0, 40)}".`, {
      field: name,
    });
  }
  return value;
}

/** The orders-list filter for a window (site time, as WooCommerce compares it). */
export function orderFilter(options: Pick<WooPullOptions, 'from' | 'to' | 'modifiedSince'>): Record<string, string> {
  const before = options.to ? new Date(Date.parse(`${day(options.to, 'to')}T00:00:00Z`) + 86_400_000) : undefined;
  return {
    ...(options.from ? { after: `${day(options.from, 'from')}T00:00:00` } : {}),
    ...(before ? { before: before.toISOString().slice(0, 19) } : {}),
    ...(options.modifiedSince ? { modified_after: `${day(options.modifiedSince, 'modifiedSince')}T00:00:00` } : {}),
  };
}

function notList(what: string): UserError {
  return new UserError(
    'woocommerce_unexpected',
    `WooCommerce answered ${what} with something other than a JSON list; is the address a WordPress site with WooCommerce and pretty permalinks (…/wp-json/wc/v3)?`,
  );
}

function changed(detail: string): UserError {
  return new UserError(
    'woocommerce_data_changed',
    `WooCommerce orders or refunds changed while they were being pulled (${detail}). Nothing was saved; run the pull again.`,
  );
}

/** Reads every page of a listing, pages after the first concurrently; checks totals and Link. */
async function* pages(
  client: WoocommerceClient,
  what: string,
  path: string,
  query: Record<string, string | number>,
  perPage: number,
  signal: AbortSignal,
  prefetch: number,
): AsyncGenerator<{ items: Obj[]; page: number; totalPages: number }> {
  const fetchPage = (page: number) =>
    client.request<unknown>(what, {
      method: 'GET',
      url: client.url(path, { ...query, per_page: perPage, page }),
      signal,
      label: `${what} page ${page}`,
    });
  const check = (r: WooResponse<unknown>, _page: number): Obj[] => {
    if (!Array.isArray(r.body)) throw notList(what);
    return r.body as Obj[];
  };
  const first = await fetchPage(1);
  const items = check(first, 1);
  const total = first.total ?? items.length;
  const totalPages = first.totalPages ?? (first.links.next ? Number.POSITIVE_INFINITY : 1);
  if (!Number.isFinite(totalPages)) {
    // No X-WP-TotalPages (a proxy dropped it): follow Link rel="next" one page after another.
    yield { items, page: 1, totalPages: 0 };
    let next = first.links.next;
    for (let page = 2; next; page++) {
      const r = await client.request<unknown>(what, {
        method: 'GET',
        url: next,
        signal,
        label: `${what} page ${page}`,
      });
      yield { items: check(r, page), page, totalPages: 0 };
      next = r.links.next;
    }
    return;
  }
  const started = new Map<number, Promise<WooResponse<unknown>>>();
  for (let page = 1; page <= Math.max(1, totalPages); page++) {
    for (let ahead = page + 1; ahead <= Math.min(totalPages, page + prefetch); ahead++) {
      if (!started.has(ahead)) {
        const p = fetchPage(ahead);
        p.catch(() => {});
        started.set(ahead, p);
      }
    }
    const r = page === 1 ? first : await started.get(page)!;
    started.delete(page);
    const list = check(r, page);
    const expected = Math.max(0, Math.min(perPage, total - perPage * (page - 1)));
    if ((r.total ?? total) !== total || list.length !== expected) {
      throw changed(`${what}: ${total} when the pull started, ${r.total ?? '?'} at page ${page}`);
    }
    if (page < totalPages && !r.links.next) {
      throw changed(`${what}: page ${page} of ${totalPages} has no Link rel="next"`);
    }
    yield { items: list, page, totalPages };
  }
}

/** Every refund of the orders in the window, by order id then refund id. */
export async function* pullWoocommerceRefunds(
  client: WoocommerceClient,
  options: WooPullOptions = {},
): AsyncGenerator<CanonicalRefundInput> {
  const perPage = options.perPage ?? WOO_PER_PAGE;
  const prefetch = Math.max(1, options.prefetch ?? client.http.limiter.limit * 4);
  const signal = options.signal;
  const inner = new AbortController();
  setMaxListeners(0, inner.signal);
  const onAbort = () => inner.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const queue: { order: Obj; refunds: Promise<Obj[]> }[] = [];
  let orders = 0;
  let refunds = 0;
  let orderPages = 0;
  let orderPagesTotal = 0;

  const refundsOf = async (order: Obj): Promise<Obj[]> => {
    const out: Obj[] = [];
    const id = Number(order.id);
    for await (const page of pages(
      client,
      `listing the refunds of order ${id}`,
      `/orders/${id}/refunds`,
      { orderby: 'id', order: 'asc' },
      perPage,
      inner.signal,
      prefetch,
    )) {
      out.push(...page.items);
    }
    const summary = ((order.refunds as Obj[] | undefined) ?? []).map((r) => String(r.id)).sort();
    const got = out.map((r) => String(r.id)).sort();
    if (summary.join(',') !== got.join(',')) {
      throw changed(
        `order ${id} lists refunds ${summary.join(', ') || 'none'} but ${got.join(', ') || 'none'} were read`,
      );
    }
    return out;
  };

  function* drainOne(item: { order: Obj; list: Obj[] }): Generator<CanonicalRefundInput> {
    const info = {
      number: String(item.order.number ?? item.order.id),
      currency: String(item.order.currency ?? ''),
      date: item.order.date_modified ?? item.order.date_created,
      // The gateway of a refund made through the API (tenders.md §1.2: refunded_payment true).
      paymentMethod: typeof item.order.payment_method === 'string' ? item.order.payment_method : '',
    };
    for (const refund of item.list) {
      refunds += 1;
      yield woocommerceRefundToRefund(refund, info, { file: `woocommerce order ${String(item.order.id)}` });
    }
  }

  try {
    for await (const page of pages(
      client,
      'listing orders',
      '/orders',
      { ...orderFilter(options), orderby: 'id', order: 'asc' },
      perPage,
      inner.signal,
      prefetch,
    )) {
      orderPages = page.page;
      orderPagesTotal = page.totalPages;
      for (const order of page.items) {
        orders += 1;
        if (((order.refunds as unknown[] | undefined) ?? []).length === 0) continue;
        const promise = refundsOf(order);
        promise.catch(() => {});
        queue.push({ order, refunds: promise });
        while (queue.length >= prefetch) {
          if (signal?.aborted) throw abortReason(signal);
          const head = queue.shift()!;
          yield* drainOne({ order: head.order, list: await head.refunds });
        }
      }
      options.onProgress?.({ orderPages, orderPagesTotal, orders, refunds });
    }
    while (queue.length > 0) {
      if (signal?.aborted) throw abortReason(signal);
      const head = queue.shift()!;
      yield* drainOne({ order: head.order, list: await head.refunds });
    }
    options.onProgress?.({ orderPages, orderPagesTotal, orders, refunds });
  } finally {
    inner.abort(new Error('pull finished'));
    signal?.removeEventListener('abort', onAbort);
  }
}

export interface WooRefundInput {
  /** Decimal string; if given it wins over the line totals. */
  amount?: string;
  reason?: string;
  /** `id` = order line item id; `refund_total` ex-tax, per line. */
  line_items?: {
    id: number | string;
    quantity?: number;
    refund_total: number;
    refund_tax?: { id: number | string; refund_total: number }[];
  }[];
  /** Default true: ask the payment gateway to refund. */
  api_refund?: boolean;
  api_restock?: boolean;
}

/**
 * `POST /orders/<id>/refunds`. Not idempotent: sent once (repeated only on 429/503, where the server
 * did not act). WooCommerce's refusal (`woocommerce_rest_cannot_create_order_refund`…) is worded.
 */
export async function woocommerceCreateRefund(
  client: WoocommerceClient,
  orderId: number,
  input: WooRefundInput,
  signal?: AbortSignal,
): Promise<Obj> {
  if (!Number.isSafeInteger(orderId) || orderId < 1) throw new RangeError(`bad WooCommerce order id ${orderId}`);
  const r = await client.request<Obj>(`creating a refund on order ${orderId}`, {
    method: 'POST',
    url: client.url(`/orders/${orderId}/refunds`),
    body: input,
    label: `refund create order ${orderId}`,
    ...(signal ? { signal } : {}),
  });
  return r.body;
}
