import { describeAnswer, isObject } from '../../connectors/answer-shape';
import { HttpPolicy, HttpRetryExhaustedError, HttpStatusError, type RawResponse } from '../../connectors/http-policy';
import type { RequestLog } from '../../connectors/request-log';
import type { StorefrontWrite } from '../builders/storefront-request';
import { PushSendError, type PushTarget, type TargetEntry } from './target';

interface StorefrontPayload extends StorefrontWrite {
  quote: StorefrontWrite | null;
  key: string;
  orderRef: string;
}

export interface ShopifyTargetOptions {
  /** `https://{shop}.myshopify.com/admin/api/{version}` (or an emulator URL with the same paths). */
  baseUrl: string;
  accessToken: string;
  log?: RequestLog;
  maxAttempts?: number;
  baseDelayMs?: number;
  timeoutMs?: number;
  /**
   * How a refund is looked for before sending: `order` reads the order's refunds (`order(id:)`) and
   * finds the key in a note; `none` skips the read and relies on the `@idempotent` key alone (for
   * an API without the order read, such as the project's emulator today).
   */
  readBack?: 'order' | 'none';
}

const REFUND_INPUT_FIELDS = `query RefundInputFields { __type(name: "RefundInput") { name inputFields { name } } }`;

const FIND_REFUNDS = `query SyncFindRefunds($id: ID!) { order(id: $id) { id refunds(first: 250) { id note } } }`;

function shopifyInspect(response: RawResponse) {
  if (response.status !== 200) return { retry: false } as const;
  try {
    const body = JSON.parse(response.text) as { errors?: { extensions?: { code?: string } }[] };
    if (body.errors?.some((e) => e.extensions?.code === 'THROTTLED')) {
      return { retry: true, reason: 'THROTTLED', throttled: true } as const;
    }
    return { retry: false } as const;
  } catch {
    return { retry: true, reason: 'malformed JSON' } as const;
  }
}

/**
 * Shopify as a push target. Send = `refundCreate` with `@idempotent(key:)` (safe to repeat, so the
 * HTTP policy may retry it); find = the order's refunds read back, looking for the key in the note.
 */
export class ShopifyTarget implements PushTarget {
  readonly name = 'shopify';
  readonly http: HttpPolicy;
  /** The shop written to: the readiness gate reads its plan with it (sync/write-environment.ts). */
  readonly connection: { baseUrl: string; accessToken: string; baseDelayMs?: number };
  constructor(private readonly options: ShopifyTargetOptions) {
    this.connection = {
      baseUrl: options.baseUrl,
      accessToken: options.accessToken,
      ...(options.baseDelayMs !== undefined ? { baseDelayMs: options.baseDelayMs } : {}),
    };
    this.http = new HttpPolicy({
      account: `shopify:${new URL(options.baseUrl).host}`,
      secrets: [options.accessToken],
      ...(options.log ? { log: options.log } : {}),
      ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
      ...(options.baseDelayMs !== undefined ? { baseDelayMs: options.baseDelayMs } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    });
  }

  async #graphql(body: unknown, label: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
    try {
      const response = await this.http.send({
        method: 'POST',
        url: `${this.options.baseUrl.replace(/\/$/, '')}/graphql.json`,
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-shopify-access-token': this.options.accessToken,
        },
        body: JSON.stringify(body),
        idempotent: true,
        inspect: shopifyInspect,
        label,
        ...(signal ? { signal } : {}),
      });
      const parsed = JSON.parse(response.text) as unknown;
      if (!isObject(parsed)) {
        throw new PushSendError(
          `Shopify answered ${label} with ${describeAnswer(parsed)}, not a GraphQL answer; whether it acted is unknown. Retry: it is read back first.`,
          true,
        );
      }
      const errors = Array.isArray(parsed.errors) ? (parsed.errors as { message?: string }[]) : undefined;
      if (errors?.length)
        throw new PushSendError(`Shopify answered ${label} with: ${errors.map((e) => e.message).join('; ')}`, false);
      return parsed;
    } catch (error) {
      if (error instanceof HttpStatusError) {
        throw new PushSendError(
          error.isRedirect
            ? `Shopify answered ${label} with a redirect (HTTP ${error.status} to ${error.redirectTarget}) instead of the API: check the shop address.`
            : `Shopify answered ${label} with HTTP ${error.status}`,
          error.status === 429 || error.status >= 500,
        );
      }
      if (error instanceof HttpRetryExhaustedError) {
        throw new PushSendError(
          `Shopify kept answering ${label} with ${error.reason}; whether it acted is unknown.`,
          true,
        );
      }
      if (error instanceof SyntaxError) {
        throw new PushSendError(
          `Shopify answered ${label} with text that is not JSON; whether it acted is unknown.`,
          true,
        );
      }
      throw error;
    }
  }

  async find(entry: TargetEntry, signal?: AbortSignal): Promise<string | null> {
    if (this.options.readBack === 'none') return null;
    const payload = entry.payload as StorefrontPayload;
    const input = (payload.body.variables as { input: { orderId: string } }).input;
    const body = await this.#graphql(
      { query: FIND_REFUNDS, variables: { id: input.orderId } },
      'reading order refunds',
      signal,
    );
    // "Not there" is trusted only from a well-formed answer: `{}` is not an order without the refund.
    const data = body.data;
    const order = isObject(data) ? data.order : undefined;
    if (order === undefined || (order !== null && (!isObject(order) || !Array.isArray(order.refunds)))) {
      throw new PushSendError(
        `Shopify answered the read-back of order ${payload.orderRef} without its refunds (${describeAnswer(body)}); whether the refund exists is unknown. Retry: the order is read back before anything is sent.`,
        true,
      );
    }
    const refunds = (order?.refunds ?? []) as { id?: unknown; note?: unknown }[];
    const hit = refunds.find((r) => typeof r.note === 'string' && r.note.includes(`[${payload.key}]`));
    return hit && typeof hit.id === 'string' ? hit.id : null;
  }

  /** `RefundInput`'s input field names (introspection: a read, never a write); null when unreadable. */
  async refundInputFields(signal?: AbortSignal): Promise<string[] | null> {
    const body = await this.#graphql({ query: REFUND_INPUT_FIELDS }, 'reading RefundInput fields', signal);
    const type = isObject(body.data) ? body.data.__type : undefined;
    if (!isObject(type) || !Array.isArray(type.inputFields)) return null;
    return (type.inputFields as { name?: unknown }[]).map((f) => String(f.name ?? ''));
  }

  /**
   * The refund's id from Shopify's answer, or null when the answer does not carry one (a 200 `{}`,
   * no `refundCreate`): the push engine then reads the order back and confirms only what it finds.
   */
  async send(entry: TargetEntry, signal?: AbortSignal): Promise<string | null> {
    const payload = entry.payload as StorefrontPayload;
    const body = await this.#graphql(payload.body, 'refundCreate', signal);
    const data = body.data;
    const result = isObject(data) && isObject(data.refundCreate) ? data.refundCreate : undefined;
    const userErrors = Array.isArray(result?.userErrors)
      ? (result.userErrors as { field?: string[]; message?: string }[])
      : [];
    if (userErrors.length > 0) {
      throw new PushSendError(
        `Shopify refused the refund for order ${payload.orderRef}: ${userErrors.map((e) => `${(e.field ?? []).join('.')}: ${e.message ?? '?'}`).join('; ')}`,
        false,
      );
    }
    const refund = result?.refund;
    return isObject(refund) && typeof refund.id === 'string' && refund.id !== '' ? refund.id : null;
  }
}
