import { UserError } from '../../../shared/errors';
import { isObject, parseAnswer, redirectError, wrongShape } from '../answer-shape';
import type { Clock } from '../clock';
import { assertApiDestination, loopbackApisAllowed } from '../destination-policy';
import {
  HttpConnectionError,
  HttpPolicy,
  HttpRetryExhaustedError,
  HttpStatusError,
  type Inspection,
  type RawResponse,
} from '../http-policy';
import { type ConcurrencyLimiter, limiterForAccount } from '../limiter';
import type { RequestLog } from '../request-log';
import { CostThrottle, type ThrottleStatus } from './cost-throttle';

export interface ShopifyClientOptions {
  /** `my-store` or `my-store.myshopify.com`; or give baseUrl. */
  shop?: string;
  /**
   * Override, checked by the destination policy: `https://<shop>.myshopify.com` only, or
   * `http://127.0.0.1:port` (the emulator) behind the loopback switch.
   */
  baseUrl?: string;
  /** Whether 127.0.0.1 may receive the token (main-process decision); default the process switch. */
  allowLoopback?: boolean;
  accessToken: string;
  apiVersion?: string;
  limiter?: ConcurrencyLimiter;
  log?: RequestLog;
  clock?: Clock;
  timeoutMs?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

export interface GraphqlResult<T> {
  data: T;
  cost?: { requestedQueryCost: number; actualQueryCost: number | null; throttleStatus: ThrottleStatus };
}

type Obj = Record<string, unknown>;

/** The API base the token may go to (see destination-policy.ts); throws a UserError otherwise. */
export function shopifyBaseUrl(
  shop: string | undefined,
  baseUrl: string | undefined,
  allowLoopback: boolean = loopbackApisAllowed(),
): string {
  return assertApiDestination({ platform: 'shopify', shop, url: baseUrl, allowLoopback }).baseUrl;
}

function throttleOf(body: unknown): { throttled: boolean; requested?: number; status?: ThrottleStatus } {
  const b = body as { errors?: { extensions?: { code?: string } }[]; extensions?: { cost?: Obj } } | null;
  const throttled = Array.isArray(b?.errors) && b.errors.some((e) => e?.extensions?.code === 'THROTTLED');
  const cost = b?.extensions?.cost as { requestedQueryCost?: number; throttleStatus?: ThrottleStatus } | undefined;
  return {
    throttled,
    ...(cost?.requestedQueryCost !== undefined ? { requested: cost.requestedQueryCost } : {}),
    ...(cost?.throttleStatus ? { status: cost.throttleStatus } : {}),
  };
}

/** Shopify Admin GraphQL: cost-aware throttling, THROTTLED retried as 200 or 429, user errors in words. */
export class ShopifyClient {
  readonly baseUrl: string;
  readonly graphqlUrl: string;
  /** The Admin API version (`YYYY-MM`) the client speaks. */
  readonly apiVersion: string;
  readonly http: HttpPolicy;
  readonly throttle: CostThrottle;
  /** Points Shopify charged (actualQueryCost), for provenance and the benchmark. */
  pointsUsed = 0;
  readonly #token: string;
  readonly #costs = new Map<string, number>();

  constructor(options: ShopifyClientOptions) {
    const destination = assertApiDestination({
      platform: 'shopify',
      shop: options.shop,
      url: options.baseUrl,
      allowLoopback: options.allowLoopback ?? loopbackApisAllowed(),
    });
    this.baseUrl = destination.baseUrl;
    this.apiVersion = options.apiVersion ?? '2025-07';
    this.graphqlUrl = `${this.baseUrl}/admin/api/${this.apiVersion}/graphql.json`;
    this.#token = options.accessToken;
    this.http = new HttpPolicy({
      account: `shopify:${new URL(this.baseUrl).host}`,
      limiter: options.limiter ?? limiterForAccount(`shopify:${this.baseUrl}`, 2),
      secrets: [options.accessToken],
      credentialOrigin: destination.origin,
      ...(options.log ? { log: options.log } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
      ...(options.baseDelayMs !== undefined ? { baseDelayMs: options.baseDelayMs } : {}),
      ...(options.maxDelayMs !== undefined ? { maxDelayMs: options.maxDelayMs } : {}),
    });
    this.throttle = new CostThrottle(this.http.clock);
  }

  #inspect = (response: RawResponse): Inspection => {
    // No body at all is not a cut-short answer to ask again for: it is the wrong answer (see graphql).
    if (response.text.trim() === '') return { retry: false };
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch {
      return { retry: true, reason: `malformed JSON (${response.text.length} bytes)` };
    }
    const t = throttleOf(body);
    if (t.status) this.throttle.update(t.status);
    if (t.throttled) {
      const wait =
        t.status && t.requested !== undefined
          ? (Math.max(0, t.requested - t.status.currentlyAvailable) / Math.max(1, t.status.restoreRate)) * 1000
          : undefined;
      return { retry: true, reason: 'THROTTLED', throttled: true, ...(wait !== undefined ? { delayMs: wait } : {}) };
    }
    return { retry: false };
  };

  /**
   * Runs a GraphQL operation. `costKey` names the query shape so its requested cost (learned from
   * the first answer) is reserved in the bucket before each later call.
   */
  async graphql<T>(
    query: string,
    variables: Obj = {},
    options: { signal?: AbortSignal; costKey?: string; label?: string } = {},
  ): Promise<GraphqlResult<T>> {
    const key = options.costKey ?? query;
    const release = await this.throttle.reserve(this.#costs.get(key) ?? 0, options.signal);
    let response: RawResponse;
    try {
      response = await this.http.send({
        method: 'POST',
        url: this.graphqlUrl,
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query, variables }),
        authorize: () => ({ 'x-shopify-access-token': this.#token }),
        idempotent: true,
        inspect: this.#inspect,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.label ? { label: options.label } : {}),
      });
    } catch (error) {
      throw shopifyUserError(error, options.label ?? 'a GraphQL query');
    } finally {
      release();
    }
    const what = options.label ?? 'a GraphQL query';
    const parsed = parseAnswer('shopify', 'Shopify', what, 'a GraphQL answer ({"data": …})', response.text);
    if (!isObject(parsed)) throw wrongShape('shopify', 'Shopify', what, 'a GraphQL answer ({"data": …})', parsed);
    const body = parsed as { data?: T; errors?: { message?: string }[]; extensions?: Obj };
    const cost = body.extensions?.cost as GraphqlResult<T>['cost'];
    if (cost) {
      this.#costs.set(key, cost.requestedQueryCost);
      if (cost.actualQueryCost) this.pointsUsed += cost.actualQueryCost;
    }
    if (Array.isArray(body.errors) && body.errors.length > 0) {
      throw new UserError(
        'shopify_graphql_error',
        `Shopify refused the query: ${body.errors
          .map((e) => e.message ?? '?')
          .join('; ')
          .slice(0, 400)}`,
      );
    }
    // Only a well-formed answer is trusted: `{}` from a proxy is not "no orders".
    if (!isObject(body.data)) throw wrongShape('shopify', 'Shopify', what, 'a GraphQL answer ({"data": …})', body);
    return { data: body.data as T, ...(cost ? { cost } : {}) };
  }

  /** Downloads a bulk operation result (a pre-signed URL: no token sent). */
  async download(url: string, signal?: AbortSignal): Promise<string> {
    try {
      const response = await this.http.send({
        method: 'GET',
        url,
        label: 'bulk result',
        ...(signal ? { signal } : {}),
      });
      return response.text;
    } catch (error) {
      throw shopifyUserError(error, 'the bulk result download');
    }
  }
}

export function shopifyUserError(error: unknown, what = 'the request'): unknown {
  if (error instanceof HttpStatusError && error.isRedirect) return redirectError('shopify', 'Shopify', what, error);
  if (error instanceof HttpStatusError) {
    if (error.status === 401 || error.status === 403) {
      return new UserError(
        'shopify_auth',
        `Shopify refused the access token (HTTP ${error.status}). Check the Admin API access token of the custom app and that it has the read_orders scope (write_orders to push refunds).`,
      );
    }
    let detail = '';
    try {
      detail = JSON.stringify((JSON.parse(error.text) as { errors?: unknown }).errors ?? '').slice(0, 200);
    } catch {
      detail = '';
    }
    return new UserError('shopify_http', `Shopify answered HTTP ${error.status}${detail ? `: ${detail}` : ''}.`);
  }
  if (error instanceof HttpConnectionError) {
    return new UserError(
      'shopify_unreachable',
      `Could not reach Shopify after ${error.attempts} attempts (${error.causeCode}). Check the network and the shop name.`,
    );
  }
  if (error instanceof HttpRetryExhaustedError) {
    return new UserError(
      'shopify_busy',
      `Shopify kept answering ${error.reason} after ${error.attempts} attempts; try again later or use a bulk pull.`,
    );
  }
  return error;
}
