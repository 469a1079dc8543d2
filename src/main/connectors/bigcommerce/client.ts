import { UserError } from '../../../shared/errors';
import { redirectError } from '../answer-shape';
import type { Clock } from '../clock';
import { assertApiDestination, loopbackApisAllowed } from '../destination-policy';
import {
  HttpConnectionError,
  HttpPolicy,
  HttpRetryExhaustedError,
  HttpStatusError,
  jsonInspection,
  type RawResponse,
} from '../http-policy';
import { type ConcurrencyLimiter, limiterForAccount } from '../limiter';
import type { RequestLog } from '../request-log';
import { RateWindow } from './rate-window';

/**
 * BigCommerce REST v3 (apis.md §3): `X-Auth-Token`, JSON `{data, meta}` envelopes, the store's
 * request quota honoured (RateWindow: wait `X-Rate-Limit-Time-Reset-Ms` when
 * `X-Rate-Limit-Requests-Left` reaches 0, and on 429), error bodies worded for the user.
 */

export interface BigcommerceClientOptions {
  /** The store hash (`abc123` in `https://api.bigcommerce.com/stores/abc123/v3`). */
  storeHash: string;
  /**
   * Override of the API base, checked by the destination policy: only
   * `https://api.bigcommerce.com/stores/<this hash>/v3`, or `http://127.0.0.1:port/…` (the
   * emulator) behind the loopback switch.
   */
  baseUrl?: string;
  /** Whether 127.0.0.1 may receive the token (main-process decision); default the process switch. */
  allowLoopback?: boolean;
  accessToken: string;
  /** Requests in flight at once. Default 3. */
  concurrency?: number;
  limiter?: ConcurrencyLimiter;
  log?: RequestLog;
  clock?: Clock;
  timeoutMs?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/** The API base the token may go to (see destination-policy.ts); throws a UserError otherwise. */
export function bigcommerceBaseUrl(
  storeHash: string,
  baseUrl?: string,
  allowLoopback: boolean = loopbackApisAllowed(),
): string {
  return assertApiDestination({ platform: 'bigcommerce', storeHash, url: baseUrl, allowLoopback }).baseUrl;
}

type Obj = Record<string, unknown>;

/** Both error body shapes of apis.md §3 (plain and wrapped in `data`) → one sentence. */
export function bigcommerceErrorDetail(text: string): string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return text.trim().slice(0, 200);
  }
  const parts: string[] = [];
  const addError = (e: Obj) => {
    const title = typeof e.title === 'string' ? e.title : typeof e.error === 'string' ? e.error : '';
    const order = e.order_id !== undefined ? ` (order ${String(e.order_id)})` : '';
    if (title) parts.push(`${title}${order}`);
    if (e.errors && typeof e.errors === 'object' && !Array.isArray(e.errors)) {
      for (const [field, message] of Object.entries(e.errors as Obj)) parts.push(`${field}: ${String(message)}`);
    } else if (Array.isArray(e.errors)) {
      for (const message of e.errors) parts.push(String(message));
    }
  };
  if (body && typeof body === 'object') {
    const b = body as Obj;
    if (Array.isArray(b.data)) for (const e of b.data) if (e && typeof e === 'object') addError(e as Obj);
    addError(b);
  }
  return parts.join('; ').slice(0, 400);
}

export function bigcommerceUserError(error: unknown, what: string): unknown {
  if (error instanceof HttpStatusError && error.isRedirect)
    return redirectError('bigcommerce', 'BigCommerce', what, error);
  if (error instanceof HttpStatusError) {
    const detail = bigcommerceErrorDetail(error.text);
    const tail = detail ? `: ${detail}` : '';
    if (error.status === 401) {
      return new UserError(
        'bigcommerce_auth',
        `BigCommerce refused the access token while ${what} (HTTP 401${tail}). Check the store API account's access token and the store hash.`,
      );
    }
    if (error.status === 403) {
      return new UserError(
        'bigcommerce_permission',
        `BigCommerce denied ${what} (HTTP 403${tail}). Give the API account the Orders and Order Transactions scopes (read-only to pull, modify to refund).`,
      );
    }
    if (error.status === 429) {
      return new UserError(
        'bigcommerce_rate_limit',
        `BigCommerce kept answering 429 Too Many Requests while ${what}; the store's request quota is shared by all its apps. Try again later.`,
      );
    }
    return new UserError('bigcommerce_http', `BigCommerce refused ${what} (HTTP ${error.status}${tail}).`, undefined, {
      status: error.status,
    });
  }
  if (error instanceof HttpConnectionError) {
    return new UserError(
      'bigcommerce_unreachable',
      `Could not reach BigCommerce while ${what} after ${error.attempts} attempts (${error.causeCode}). Check the network and the store hash.`,
    );
  }
  if (error instanceof HttpRetryExhaustedError) {
    return new UserError(
      'bigcommerce_unreadable',
      `BigCommerce kept sending unreadable answers while ${what} (${error.reason}, ${error.attempts} attempts); try again later.`,
    );
  }
  return error;
}

export class BigcommerceClient {
  readonly storeHash: string;
  readonly baseUrl: string;
  readonly http: HttpPolicy;
  readonly quota: RateWindow;
  readonly #token: string;

  constructor(options: BigcommerceClientOptions) {
    const destination = assertApiDestination({
      platform: 'bigcommerce',
      storeHash: options.storeHash,
      url: options.baseUrl,
      allowLoopback: options.allowLoopback ?? loopbackApisAllowed(),
    });
    this.storeHash = destination.storeHash!;
    this.baseUrl = destination.baseUrl;
    this.#token = options.accessToken;
    this.http = new HttpPolicy({
      account: `bigcommerce:${this.storeHash}`,
      limiter: options.limiter ?? limiterForAccount(`bigcommerce:${this.storeHash}`, options.concurrency ?? 3),
      secrets: [options.accessToken],
      credentialOrigin: destination.origin,
      ...(options.log ? { log: options.log } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
      ...(options.baseDelayMs !== undefined ? { baseDelayMs: options.baseDelayMs } : {}),
      ...(options.maxDelayMs !== undefined ? { maxDelayMs: options.maxDelayMs } : {}),
    });
    this.quota = new RateWindow(this.http.clock);
  }

  url(path: string, query?: Record<string, string | number | undefined>): string {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  /**
   * A v2 path of the same store (`…/stores/<hash>/v2/…`): order products live only in the v2
   * Orders API (`GET /v2/orders/{id}/products`, bigcommerce/docs reference/orders.v2.oas2.yml).
   */
  urlV2(path: string, query?: Record<string, string | number | undefined>): string {
    const url = new URL(`${this.baseUrl.replace(/\/v3\/?$/, '/v2')}${path}`);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  /** Sends one request; returns the parsed JSON body. `what` words errors ("listing refunds"). */
  async request(
    what: string,
    options: { method: string; url: string; body?: unknown; signal?: AbortSignal; label?: string },
  ): Promise<unknown> {
    let response: RawResponse;
    try {
      response = await this.http.send({
        method: options.method,
        url: options.url,
        headers: {
          accept: 'application/json',
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        authorize: () => ({ 'x-auth-token': this.#token }),
        beforeAttempt: (signal) => this.quota.reserve(signal),
        afterAttempt: (r) => this.quota.settle(r),
        retryDelay: RateWindow.retryDelay,
        inspect: jsonInspection,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.label ? { label: options.label } : {}),
      });
    } catch (error) {
      throw bigcommerceUserError(error, what);
    }
    return response.text === '' ? null : (JSON.parse(response.text) as unknown);
  }
}
