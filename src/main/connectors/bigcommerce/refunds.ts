import { setMaxListeners } from 'node:events';
import { UserError } from '../../../shared/errors';
import type { CanonicalRefundInput } from '../../../shared/model';
import { bigcommerceRefundToRefund } from '../../mapping/bigcommerce';
import { abortReason } from '../clock';
import type { BigcommerceClient } from './client';

/**
 * BigCommerce refunds (apis.md §3): the store-wide list `GET /orders/payment_actions/refunds`
 * paged by `page`/`limit` with `meta.pagination`, mapped by mapping/bigcommerce.ts's
 * `bigcommerceRefundToRefund`; refund quotes and refund creation for the sync engine.
 */

type Obj = Record<string, unknown>;

export const BIGCOMMERCE_PAGE_LIMIT = 250;

export interface BigcommercePagination {
  total: number;
  count: number;
  per_page: number;
  current_page: number;
  total_pages: number;
}

export interface BigcommercePullOptions {
  /** Refunds created on or after this date (YYYY-MM-DD, UTC). */
  from?: string;
  /** Refunds created on or before this date (YYYY-MM-DD, UTC, whole day). */
  to?: string;
  /** The store's currency: BigCommerce refunds do not carry one (apis.md §3). */
  currency: string;
  pageSize?: number;
  /** Pages requested ahead of the one being read. Default 2 × the limiter's limit. */
  prefetch?: number;
  signal?: AbortSignal;
  onPage?: (info: { pages: number; pagesTotal: number; refunds: number; total: number }) => void;
  /**
   * Fetch the products of each order whose refunds name products (`GET /v2/orders/{id}/products`),
   * which price the refunds' lines: v3 refund items carry no SKU and no amount. Default true.
   */
  orderProducts?: boolean;
}

/** Order products per page of the v2 list (the documented maximum `limit`). */
export const ORDER_PRODUCTS_LIMIT = 250;

/** Every product of one order (v2, a bare JSON array per page; 204 or [] when there are none). */
export async function fetchOrderProducts(
  client: BigcommerceClient,
  orderId: number,
  signal?: AbortSignal,
): Promise<Obj[]> {
  if (!Number.isSafeInteger(orderId) || orderId < 1) throw new RangeError(`bad BigCommerce order id ${orderId}`);
  const out: Obj[] = [];
  for (let page = 1; ; page++) {
    const body = await client.request(`reading the products of order ${orderId}`, {
      method: 'GET',
      url: client.urlV2(`/orders/${orderId}/products`, { page, limit: ORDER_PRODUCTS_LIMIT }),
      label: `order ${orderId} products page ${page}`,
      ...(signal ? { signal } : {}),
    });
    if (body === null) break;
    if (!Array.isArray(body)) {
      throw new UserError(
        'bigcommerce_unexpected',
        `BigCommerce answered the products of order ${orderId} with something other than a list; is the store hash right?`,
      );
    }
    out.push(...(body as Obj[]));
    if (body.length < ORDER_PRODUCTS_LIMIT) break;
  }
  return out;
}

/** The orders of a page whose refunds name products (order ids, ascending). */
function ordersWithProducts(refunds: readonly Obj[]): number[] {
  const ids = new Set<number>();
  for (const refund of refunds) {
    const items = Array.isArray(refund.items) ? (refund.items as unknown[]) : [];
    if (items.some((i) => (i as Obj | null)?.item_type === 'PRODUCT')) ids.add(Number(refund.order_id));
  }
  return [...ids].filter((id) => Number.isSafeInteger(id) && id > 0).sort((a, b) => a - b);
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

/** `created:min` / `created:max` (RFC 3339) for a day window. */
export function createdFilter(from?: string, to?: string): Record<string, string> {
  return {
    ...(from ? { 'created:min': `${day(from, 'from')}T00:00:00+00:00` } : {}),
    ...(to ? { 'created:max': `${day(to, 'to')}T23:59:59+00:00` } : {}),
  };
}

interface Page {
  data: Obj[];
  pagination: BigcommercePagination;
}

function readPage(body: unknown, page: number): Page {
  const b = body as { data?: unknown; meta?: { pagination?: Partial<BigcommercePagination> } } | null;
  const p = b?.meta?.pagination;
  if (!b || !Array.isArray(b.data) || !p || typeof p.total !== 'number' || typeof p.total_pages !== 'number') {
    throw new UserError(
      'bigcommerce_unexpected',
      `BigCommerce answered page ${page} of the refunds list without "data" and "meta.pagination"; is the base URL a v3 API (…/stores/<hash>/v3)?`,
    );
  }
  return { data: b.data as Obj[], pagination: p as BigcommercePagination };
}

/** Every refund in the window, in the API's order; later pages are fetched concurrently. */
export async function* pullBigcommerceRefunds(
  client: BigcommerceClient,
  options: BigcommercePullOptions,
): AsyncGenerator<CanonicalRefundInput> {
  const limit = options.pageSize ?? BIGCOMMERCE_PAGE_LIMIT;
  const filter = createdFilter(options.from, options.to);
  const signal = options.signal;
  const inner = new AbortController();
  setMaxListeners(0, inner.signal);
  const onAbort = () => inner.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  const fetchPage = (page: number): Promise<Page> =>
    client
      .request('listing refunds', {
        method: 'GET',
        url: client.url('/orders/payment_actions/refunds', { ...filter, page, limit }),
        signal: inner.signal,
        label: `refunds page ${page}`,
      })
      .then((body) => readPage(body, page));
  try {
    const first = await fetchPage(1);
    const { total, total_pages: pagesTotal } = first.pagination;
    const prefetch = Math.max(1, options.prefetch ?? client.http.limiter.limit * 2);
    const started = new Map<number, Promise<Page>>();
    const start = (page: number) => {
      if (page > pagesTotal || started.has(page)) return;
      const promise = fetchPage(page);
      promise.catch(() => {});
      started.set(page, promise);
    };
    const seen = new Set<string>();
    const products = new Map<string, Obj>();
    const withProducts = options.orderProducts !== false;
    let refunds = 0;
    for (let page = 1; page <= Math.max(1, pagesTotal); page++) {
      if (signal?.aborted) throw abortReason(signal);
      for (let ahead = page + 1; ahead <= page + prefetch; ahead++) start(ahead);
      const current = page === 1 ? first : await started.get(page)!;
      started.delete(page);
      if (current.pagination.total !== total) {
        throw new UserError(
          'bigcommerce_data_changed',
          `BigCommerce refunds changed while they were being pulled (${total} when the pull started, ${current.pagination.total} at page ${page}). Nothing was saved; run the pull again.`,
        );
      }
      const expected = Math.max(0, Math.min(limit, total - limit * (page - 1)));
      if (current.data.length !== expected) {
        throw new UserError(
          'bigcommerce_data_changed',
          `BigCommerce page ${page} of the refunds list held ${current.data.length} refunds where ${expected} were expected. Nothing was saved; run the pull again.`,
        );
      }
      if (withProducts) {
        // The products of this page's orders, fetched together (the limiter and quota pace them);
        // kept for this page only, so memory does not grow with the pull.
        products.clear();
        const orders = ordersWithProducts(current.data);
        const lists = await Promise.all(orders.map((orderId) => fetchOrderProducts(client, orderId, inner.signal)));
        for (const list of lists) for (const p of list) products.set(String(p.id), p);
      }
      for (const refund of current.data) {
        const id = String(refund.id);
        if (seen.has(id)) {
          throw new UserError(
            'bigcommerce_data_changed',
            `BigCommerce listed refund ${id} twice while paging (refunds changed during the pull). Nothing was saved; run the pull again.`,
          );
        }
        seen.add(id);
        refunds += 1;
        yield bigcommerceRefundToRefund(refund, {
          file: `bigcommerce refunds page ${page}`,
          currency: options.currency,
          orderProducts: products,
        });
      }
      options.onPage?.({ pages: page, pagesTotal, refunds, total });
    }
  } finally {
    inner.abort(new Error('pull finished'));
    signal?.removeEventListener('abort', onAbort);
  }
}

/** A refund item as the quote and create endpoints take it (apis.md §3). */
export type BigcommerceRefundItem =
  | { item_type: 'PRODUCT' | 'GIFT_WRAPPING'; item_id: number; quantity: number; reason?: string }
  | { item_type: 'SHIPPING' | 'HANDLING' | 'ORDER' | 'TAX' | 'FEE'; item_id: number; amount: number; reason?: string };

export interface BigcommerceRefundMethod {
  provider_id: string;
  provider_description?: string;
  amount: number;
  offline: boolean;
  offline_provider?: boolean;
  offline_reason?: string;
}

export interface BigcommerceRefundQuote {
  order_id: number;
  total_refund_amount: number;
  total_refund_tax_amount: number;
  order_level_refund_amount?: number;
  rounding: number;
  adjustment: number;
  tax_inclusive: boolean;
  refund_methods: BigcommerceRefundMethod[][];
}

function orderPath(orderId: number): string {
  if (!Number.isSafeInteger(orderId) || orderId < 1) throw new RangeError(`bad BigCommerce order id ${orderId}`);
  return `/orders/${orderId}/payment_actions`;
}

/** `POST /orders/{id}/payment_actions/refund_quotes` → what may be refunded, by which methods. */
export async function bigcommerceRefundQuote(
  client: BigcommerceClient,
  orderId: number,
  items: BigcommerceRefundItem[],
  signal?: AbortSignal,
): Promise<BigcommerceRefundQuote> {
  const body = (await client.request(`quoting a refund on order ${orderId}`, {
    method: 'POST',
    url: client.url(`${orderPath(orderId)}/refund_quotes`),
    body: { items },
    label: `refund quote order ${orderId}`,
    ...(signal ? { signal } : {}),
  })) as { data?: BigcommerceRefundQuote };
  if (!body?.data) throw new UserError('bigcommerce_unexpected', `BigCommerce sent no quote for order ${orderId}.`);
  return body.data;
}

export interface BigcommerceRefundInput {
  items: BigcommerceRefundItem[];
  /** Each amount must equal a refund-method amount of a quote for the same items (else HTTP 422). */
  payments: { provider_id: string; amount: number; offline: boolean }[];
  merchant_calculated_override?: { total_amount: number; total_tax: number };
}

/**
 * `POST /orders/{id}/payment_actions/refunds`. Not idempotent: sent once (the HTTP policy repeats it
 * only when the server says it did not act: 429 or 503). Refunds on one order must be sequential;
 * BigCommerce's 422 answers (amount not matching a quote, store credit for a guest…) become a
 * worded UserError with the status in `details`.
 */
export async function bigcommerceCreateRefund(
  client: BigcommerceClient,
  orderId: number,
  input: BigcommerceRefundInput,
  signal?: AbortSignal,
): Promise<Obj> {
  const body = (await client.request(`creating a refund on order ${orderId}`, {
    method: 'POST',
    url: client.url(`${orderPath(orderId)}/refunds`),
    body: input,
    label: `refund create order ${orderId}`,
    ...(signal ? { signal } : {}),
  })) as { data?: Obj };
  if (!body?.data) throw new UserError('bigcommerce_unexpected', `BigCommerce sent no refund for order ${orderId}.`);
  return body.data;
}
