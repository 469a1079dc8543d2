import { UserError } from '../../../shared/errors';
import { type Clock, realClock } from '../../connectors/clock';
import type { WoocommerceClient } from '../../connectors/woocommerce/client';
import {
  classify,
  DEFAULT_SETTLE_MS,
  errorMessage,
  keyTag,
  lazyClient,
  orderIdOf,
  type ReadBackOptions,
  readBackAfterAmbiguousSend,
  type StorefrontPayload,
  settleInFlight,
} from './read-back';
import { PushSendError, type PushTarget, type TargetEntry } from './target';

type Obj = Record<string, unknown>;

/** The refund meta_data key that carries the sync's key (besides the `[key]` in the reason). */
export const WOO_KEY_META = '_refund_recon_key';

export interface WoocommerceTargetOptions extends ReadBackOptions {
  /** The client, or how to make it (secrets are read on first use). */
  client: WoocommerceClient | (() => Promise<WoocommerceClient>);
}

function carriesKey(refund: Obj, key: string): boolean {
  if (typeof refund.reason === 'string' && refund.reason.includes(keyTag(key))) return true;
  const meta = Array.isArray(refund.meta_data) ? (refund.meta_data as Obj[]) : [];
  return meta.some((m) => m.key === WOO_KEY_META && m.value === key);
}

/**
 * WooCommerce as a push target (NetSuite → storefront). No idempotency key in the REST API, so:
 *
 * - find = the order's refunds (`GET /orders/<id>/refunds`, every page), looking for the sync's
 *   key in `meta_data` (`_refund_recon_key`) or as `[key]` in the `reason`; a row that was in
 *   flight when its process died is read only after `settleMs` from its send.
 * - send = `POST /orders/<id>/refunds` with the builder's body: `amount` (the NetSuite total; it
 *   wins over the lines), `line_items[].refund_total` ex-tax + `refund_tax` per rate, or the amount
 *   alone for a storefront without line-item refunds; the key in `reason` and `meta_data`;
 *   `api_refund: false` (the refund is recorded on the order, no money moves through the gateway:
 *   NetSuite's Cash Refund / Customer Refund already paid it out — see docs/sync.md).
 *   An ambiguous failure (no answer, timeout, 5xx, unreadable) is followed by a read-back, and a
 *   resend only when the refund is not there. 429/503 are retried by the client's HTTP policy.
 */
export class WoocommerceTarget implements PushTarget {
  readonly name = 'woocommerce';
  readonly #settleMs: number;
  readonly #maxSends: number;
  readonly #clock: Clock;
  readonly client: () => Promise<WoocommerceClient>;

  constructor(options: WoocommerceTargetOptions) {
    this.#settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
    this.#maxSends = Math.max(1, options.maxSends ?? 3);
    this.#clock = options.clock ?? realClock;
    this.client = lazyClient(options.client);
  }

  async readBack(orderId: number, key: string, signal?: AbortSignal): Promise<string | null> {
    const client = await this.client();
    for (let page = 1; ; page++) {
      const r = await client.request<unknown>(`reading the refunds of order ${orderId}`, {
        method: 'GET',
        url: client.url(`/orders/${orderId}/refunds`, { per_page: 100, page, orderby: 'id', order: 'asc' }),
        label: `order ${orderId} refunds page ${page}`,
        ...(signal ? { signal } : {}),
      });
      if (!Array.isArray(r.body)) {
        throw new UserError(
          'woocommerce_unexpected',
          `WooCommerce answered the refunds of order ${orderId} with something other than a list.`,
        );
      }
      const hit = (r.body as Obj[]).find((refund) => carriesKey(refund, key));
      if (hit) return String(hit.id);
      const pages = r.totalPages ?? (r.links.next ? page + 1 : page);
      if (page >= pages || r.body.length === 0) return null;
    }
  }

  async find(entry: TargetEntry, signal?: AbortSignal): Promise<string | null> {
    const payload = entry.payload as StorefrontPayload;
    await settleInFlight(entry, this.#settleMs, this.#clock, signal);
    return this.readBack(orderIdOf(payload), payload.key, signal);
  }

  async send(entry: TargetEntry, signal?: AbortSignal): Promise<string | null> {
    const payload = entry.payload as StorefrontPayload;
    const orderId = orderIdOf(payload);
    const client = await this.client();
    const body: Obj = {
      ...payload.body,
      // Journal rows written before meta_data was added still carry the key in the reason.
      meta_data: (payload.body.meta_data as Obj[] | undefined) ?? [{ key: WOO_KEY_META, value: payload.key }],
    };
    let lastError = '';
    for (let sends = 0; sends < this.#maxSends; sends++) {
      if (signal?.aborted) throw signal.reason;
      try {
        const r = await client.request<Obj>(`creating a refund on order ${orderId}`, {
          method: 'POST',
          url: client.url(`/orders/${orderId}/refunds`),
          body,
          label: `refund create order ${orderId}`,
          ...(signal ? { signal } : {}),
        });
        const id = r.body && typeof r.body === 'object' ? r.body.id : undefined;
        if ((typeof id === 'number' && Number.isSafeInteger(id)) || (typeof id === 'string' && id !== '')) {
          return String(id);
        }
        // A 2xx without the refund's id (a `{}` from a cache or a plugin): it may exist. Read back,
        // never send again in this run.
        await this.#clock.sleep(this.#settleMs, signal);
        const found = await readBackAfterAmbiguousSend(
          () => this.readBack(orderId, payload.key, signal),
          payload.orderRef,
          'the answer carried no refund id',
          signal,
        );
        if (found !== null) return found;
        throw new PushSendError(
          `unknown: WooCommerce accepted the refund on order ${payload.orderRef} but its answer carried no refund id, and reading the order's refunds back did not find it yet. Not confirmed and not sent again: a retry reads the order back first.`,
          true,
        );
      } catch (error) {
        if (signal?.aborted) throw error;
        if (error instanceof PushSendError) throw error;
        if (classify(error) === 'refused') {
          throw new PushSendError(
            `WooCommerce refused the refund on order ${payload.orderRef}: ${errorMessage(error)}`,
            false,
          );
        }
        lastError = errorMessage(error);
        await this.#clock.sleep(this.#settleMs, signal);
        const found = await readBackAfterAmbiguousSend(
          () => this.readBack(orderId, payload.key, signal),
          payload.orderRef,
          lastError,
          signal,
        );
        if (found !== null) return found;
      }
    }
    throw new PushSendError(
      `WooCommerce did not create the refund on order ${payload.orderRef} (last: ${lastError}); it was read back after each attempt and is not there. Retry later.`,
      true,
    );
  }
}
