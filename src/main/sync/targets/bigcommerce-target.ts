import { UserError } from '../../../shared/errors';
import { formatAmount, minorFromApiNumber } from '../../../shared/money';
import type { BigcommerceClient } from '../../connectors/bigcommerce/client';
import {
  type BigcommerceRefundInput,
  type BigcommerceRefundItem,
  type BigcommerceRefundMethod,
  bigcommerceCreateRefund,
  bigcommerceRefundQuote,
} from '../../connectors/bigcommerce/refunds';
import { type Clock, realClock } from '../../connectors/clock';
import { storeCreditGuest } from '../builders/tender-reasons';
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

export interface BigcommerceTargetOptions extends ReadBackOptions {
  /** The client, or how to make it (secrets are read on first use). */
  client: BigcommerceClient | (() => Promise<BigcommerceClient>);
}

/** Pause before a send the store refused because a refund on the same order was still being created. */
const BUSY_ORDER_WAIT_MS = 1_000;

function refusedBecauseBusy(error: unknown): boolean {
  return (
    error instanceof UserError &&
    (error.details as { status?: number } | undefined)?.status === 422 &&
    /sequential|still being created|in progress/i.test(error.message)
  );
}

function carriesKey(refund: Obj, tag: string): boolean {
  if (typeof refund.reason === 'string' && refund.reason.includes(tag)) return true;
  const items = Array.isArray(refund.items) ? (refund.items as Obj[]) : [];
  return items.some((i) => typeof i.reason === 'string' && i.reason.includes(tag));
}

/**
 * BigCommerce as a push target (NetSuite → storefront). BigCommerce has no idempotency key, so:
 *
 * - find = the order's refunds (`GET /orders/{id}/payment_actions/refunds`, every page), looking
 *   for the sync's key `[netsuite-<type>-<id>]` in the refund `reason` or an item `reason`; a row
 *   that was in flight when its process died is read only after `settleMs` from its send.
 * - send = a refund quote for the items, then the refund with ONE payment whose amount is the
 *   quote's refund-method amount for the planned provider (apis.md §3: anything else is a 422); if
 *   that amount is not the NetSuite total to the cent the refund is not sent (exception list).
 *   An ambiguous failure (no answer, timeout, 5xx, unreadable) is followed by a read-back, and a
 *   resend only when the refund is not there. 429/503 are retried by the client's HTTP policy.
 * - Refunds on one order are sequential: the push engine sends one write at a time, and a 422
 *   "still being created" (another client's refund in progress) is waited out and re-read.
 */
export class BigcommerceTarget implements PushTarget {
  readonly name = 'bigcommerce';
  readonly #settleMs: number;
  readonly #maxSends: number;
  readonly #clock: Clock;
  readonly client: () => Promise<BigcommerceClient>;

  constructor(options: BigcommerceTargetOptions) {
    this.#settleMs = options.settleMs ?? DEFAULT_SETTLE_MS;
    this.#maxSends = Math.max(1, options.maxSends ?? 3);
    this.#clock = options.clock ?? realClock;
    this.client = lazyClient(options.client);
  }

  /** The order's refund carrying `key`, read from every page of the order's refunds. */
  async readBack(orderId: number, key: string, signal?: AbortSignal): Promise<string | null> {
    const client = await this.client();
    const tag = keyTag(key);
    for (let page = 1; ; page++) {
      const body = (await client.request(`reading the refunds of order ${orderId}`, {
        method: 'GET',
        url: client.url(`/orders/${orderId}/payment_actions/refunds`, { page, limit: 250 }),
        label: `order ${orderId} refunds page ${page}`,
        ...(signal ? { signal } : {}),
      })) as { data?: unknown; meta?: { pagination?: { total_pages?: number } } } | null;
      if (!body || !Array.isArray(body.data)) {
        throw new UserError(
          'bigcommerce_unexpected',
          `BigCommerce answered the refunds of order ${orderId} without a "data" list.`,
        );
      }
      const hit = (body.data as Obj[]).find((r) => carriesKey(r, tag));
      if (hit) return String(hit.id);
      const pages = body.meta?.pagination?.total_pages ?? 1;
      if (page >= pages || body.data.length === 0) return null;
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
    const items = payload.body.items as BigcommerceRefundItem[];
    const planned = (payload.body.payments as { provider_id: string }[] | undefined)?.[0]?.provider_id ?? '';
    const tag = keyTag(payload.key);
    // `[key]` in the refund reason and in every item reason: either is found by the read-back.
    const reason =
      (typeof payload.body.reason === 'string' ? payload.body.reason : undefined) ??
      items.find((i) => typeof i.reason === 'string')?.reason ??
      tag;
    const currency = entry.currency || 'USD';
    let lastError = '';
    let creates = 0;
    // Bounded: at most maxSends refund POSTs that may have landed, and a few rounds more for
    // quotes that failed or a busy order.
    for (let round = 0; creates < this.#maxSends && round < this.#maxSends * 4; round++) {
      if (signal?.aborted) throw signal.reason;
      // 1. Quote (a calculation, safe to repeat).
      let method: BigcommerceRefundMethod;
      try {
        const quote = await bigcommerceRefundQuote(client, orderId, items, signal);
        method = this.#chooseMethod(quote.refund_methods, planned, payload, orderId);
      } catch (error) {
        if (signal?.aborted) throw error;
        if (error instanceof PushSendError) throw error;
        const outcome = classify(error);
        if (outcome === 'refused') {
          throw new PushSendError(
            `BigCommerce refused the refund quote for order ${payload.orderRef}: ${errorMessage(error)}`,
            false,
          );
        }
        lastError = errorMessage(error);
        await this.#clock.sleep(Math.min(this.#settleMs, 500 * (round + 1)), signal);
        continue;
      }
      const quoted = minorFromApiNumber(method.amount, currency);
      if (!quoted.ok || quoted.minor !== entry.amount) {
        throw new PushSendError(
          `BigCommerce quotes ${quoted.ok ? formatAmount(quoted.minor, currency) : String(method.amount)} ${currency} (${method.provider_id}) for the items of order ${payload.orderRef}; the NetSuite record is ${formatAmount(entry.amount, currency)} ${currency}. Not sent: correct the NetSuite record or the order's items, then retry.`,
          false,
        );
      }
      // 2. The refund, with the quote's amount for the chosen method.
      const input = {
        items,
        payments: [{ provider_id: method.provider_id, amount: method.amount, offline: method.offline }],
        reason,
      } as BigcommerceRefundInput;
      try {
        const refund = await bigcommerceCreateRefund(client, orderId, input, signal);
        const id = refund.id;
        if ((typeof id === 'number' && Number.isSafeInteger(id)) || (typeof id === 'string' && id !== '')) {
          return String(id);
        }
        // A 2xx without the refund's id: it may exist. Read back; never send again in this run.
        return await this.#confirmByReadBack(orderId, payload, 'the answer carried no refund id', signal);
      } catch (error) {
        if (signal?.aborted) throw error;
        if (error instanceof PushSendError) throw error;
        if (error instanceof UserError && error.code === 'bigcommerce_unexpected') {
          return await this.#confirmByReadBack(orderId, payload, error.message, signal);
        }
        const outcome = refusedBecauseBusy(error) ? 'busy' : classify(error);
        if (outcome === 'refused') {
          throw new PushSendError(
            `BigCommerce refused the refund on order ${payload.orderRef}: ${errorMessage(error)}`,
            false,
          );
        }
        lastError = errorMessage(error);
        if (outcome !== 'busy') creates += 1;
        // Ambiguous (or the order is busy): let the server finish, then look before any resend.
        await this.#clock.sleep(outcome === 'busy' ? BUSY_ORDER_WAIT_MS : this.#settleMs, signal);
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
      `BigCommerce did not create the refund on order ${payload.orderRef} (last: ${lastError}); it was read back each time and is not there. Retry later.`,
      true,
    );
  }

  /**
   * After a 2xx that does not carry the refund: the refund is confirmed only if the read-back finds
   * it; otherwise the write is unknown (retryable — the next run reads back before any send).
   */
  async #confirmByReadBack(
    orderId: number,
    payload: StorefrontPayload,
    why: string,
    signal?: AbortSignal,
  ): Promise<string> {
    await this.#clock.sleep(this.#settleMs, signal);
    const found = await readBackAfterAmbiguousSend(
      () => this.readBack(orderId, payload.key, signal),
      payload.orderRef,
      why,
      signal,
    );
    if (found !== null) return found;
    throw new PushSendError(
      `unknown: BigCommerce accepted the refund on order ${payload.orderRef} but ${why}, and reading the order's refunds back did not find it yet. Not confirmed and not sent again: a retry reads the order back first.`,
      true,
    );
  }

  /** The single-method combination for the planned provider, usable (no offline reason). */
  #chooseMethod(
    combinations: BigcommerceRefundMethod[][],
    planned: string,
    payload: StorefrontPayload,
    orderId: number,
  ): BigcommerceRefundMethod {
    const singles = combinations.filter((c) => c.length === 1).map((c) => c[0]!);
    const method = singles.find((m) => m.provider_id === planned);
    if (method && !method.offline_reason) return method;
    const offered = singles
      .map((m) => `${m.provider_id}${m.offline_reason ? ` (not available: ${m.offline_reason})` : ` ${m.amount}`}`)
      .join(', ');
    if (planned === 'storecredit') {
      // tenders §5.3 `store_credit_guest`: the quote is the authority (guest order, non-default currency).
      throw new PushSendError(
        `${storeCreditGuest(singles.filter((m) => !m.offline_reason && m.provider_id !== 'storecredit').map((m) => m.provider_id))} Order ${payload.orderRef} (${orderId}); nothing was sent.`,
        false,
      );
    }
    throw new PushSendError(
      method
        ? `BigCommerce cannot refund order ${payload.orderRef} (${orderId}) to ${planned}: ${method.offline_reason}. Offered: ${offered}.`
        : `BigCommerce offers no refund to ${planned || '(no provider)'} on order ${payload.orderRef} (${orderId}). Offered: ${offered || 'nothing'}. Check the order's payment provider in its order context.`,
      false,
    );
  }
}
