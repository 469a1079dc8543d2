import { UserError } from '../../../shared/errors';
import { redirectError } from '../answer-shape';
import type { Clock } from '../clock';
import { type ApiDestination, assertApiDestination, loopbackApisAllowed } from '../destination-policy';
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

/**
 * WooCommerce REST API v3 (apis.md §4). Authentication is HTTP Basic with the consumer key and
 * secret, which WooCommerce accepts only over HTTPS: over plain HTTP the pair would cross the
 * network readable by anyone on the path (WooCommerce itself wants OAuth 1.0a there, which this
 * client does not do). So a plain `http://` store URL is refused, except 127.0.0.1 — the local
 * emulator, where nothing leaves the machine — and that only behind the loopback switch (see
 * destination-policy.ts). Credentials never go into the query string (they would end up in server
 * and proxy logs), and only to the checked origin (a `Link` to another origin is refused); which key
 * pair an origin gets is decided by `woocommerceKeysFromSecrets` (per origin).
 */

export interface WoocommerceClientOptions {
  /** The store's address, e.g. `https://shop.example.com` (a WordPress sub-directory is kept). */
  url: string;
  /** Whether 127.0.0.1 may receive the keys (main-process decision); default the process switch. */
  allowLoopback?: boolean;
  consumerKey: string;
  consumerSecret: string;
  /** Requests in flight at once. Default 4 (WooCommerce has no built-in limit; hosts do). */
  concurrency?: number;
  limiter?: ConcurrencyLimiter;
  log?: RequestLog;
  clock?: Clock;
  timeoutMs?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/** The checked store destination plus its REST root `…/wp-json/wc/v3`. */
export function woocommerceDestination(
  raw: string,
  allowLoopback: boolean = loopbackApisAllowed(),
): ApiDestination & { apiRoot: string } {
  const destination = assertApiDestination({ platform: 'woocommerce', url: raw, allowLoopback });
  const site = destination.baseUrl.replace(/\/wp-json(\/wc\/v3)?$/, '');
  return { ...destination, apiRoot: `${site}/wp-json/wc/v3` };
}

/** Validates the store URL (destination policy); returns the REST root `…/wp-json/wc/v3`. */
export function woocommerceApiRoot(raw: string, allowLoopback: boolean = loopbackApisAllowed()): string {
  return woocommerceDestination(raw, allowLoopback).apiRoot;
}

/** `<…?page=2>; rel="next", <…?page=3>; rel="last"` → { next: '…', last: '…' }. */
export function parseLinkHeader(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!value) return out;
  for (const part of value.split(/,\s*(?=<)/)) {
    const m = /^\s*<([^>]*)>\s*;(.*)$/.exec(part);
    if (!m) continue;
    const rel = /rel\s*=\s*"?([^";]+)"?/.exec(m[2]!)?.[1];
    if (rel) for (const r of rel.trim().split(/\s+/)) out[r] = m[1]!;
  }
  return out;
}

/** `{code, message, data: {status, params}}` → one sentence. */
export function woocommerceErrorDetail(text: string): { code: string; message: string } {
  try {
    const body = JSON.parse(text) as { code?: unknown; message?: unknown; data?: { params?: unknown } };
    const code = typeof body.code === 'string' ? body.code : '';
    let message = typeof body.message === 'string' ? body.message : '';
    const params = body.data?.params;
    if (params && typeof params === 'object') {
      message += ` (${Object.entries(params as Record<string, unknown>)
        .map(([k, v]) => `${k}: ${String(v)}`)
        .join('; ')})`;
    }
    return { code, message: message.slice(0, 400) };
  } catch {
    return { code: '', message: text.trim().slice(0, 200) };
  }
}

export function woocommerceUserError(error: unknown, what: string): unknown {
  if (error instanceof HttpStatusError && error.isRedirect)
    return redirectError('woocommerce', 'WooCommerce', what, error);
  if (error instanceof HttpStatusError) {
    const { code, message } = woocommerceErrorDetail(error.text);
    const said = `HTTP ${error.status}${code ? ` ${code}` : ''}${message ? `: ${message}` : ''}`;
    if (code === 'woocommerce_rest_authentication_error' || (error.status === 401 && !code.includes('cannot'))) {
      return new UserError(
        'woocommerce_auth',
        `WooCommerce refused the consumer key and secret while ${what} (${said}). Check the key pair under WooCommerce > Settings > Advanced > REST API.`,
      );
    }
    if (error.status === 401 || error.status === 403) {
      return new UserError(
        'woocommerce_permission',
        `WooCommerce did not allow ${what} (${said}). The REST API key needs Read permission to pull, Read/Write to create refunds.`,
      );
    }
    if (code === 'woocommerce_rest_cannot_create_order_refund') {
      return new UserError(
        'woocommerce_refund_refused',
        `WooCommerce refused ${what} (${said}). The amount is more than what is left to refund on the order or its lines.`,
      );
    }
    return new UserError('woocommerce_http', `WooCommerce refused ${what} (${said}).`, undefined, {
      status: error.status,
      code,
    });
  }
  if (error instanceof HttpConnectionError) {
    return new UserError(
      'woocommerce_unreachable',
      `Could not reach the WooCommerce store while ${what} after ${error.attempts} attempts (${error.causeCode}). Check the network and the store address.`,
    );
  }
  if (error instanceof HttpRetryExhaustedError) {
    return new UserError(
      'woocommerce_unreadable',
      `The WooCommerce store kept sending unreadable answers while ${what} (${error.reason}, ${error.attempts} attempts). A caching or security plugin may be rewriting API answers.`,
    );
  }
  return error;
}

export interface WooResponse<T> {
  body: T;
  total: number | undefined;
  totalPages: number | undefined;
  links: Record<string, string>;
}

export class WoocommerceClient {
  readonly apiRoot: string;
  readonly host: string;
  readonly http: HttpPolicy;
  readonly #authorization: string;

  constructor(options: WoocommerceClientOptions) {
    const destination = woocommerceDestination(options.url, options.allowLoopback ?? loopbackApisAllowed());
    this.apiRoot = destination.apiRoot;
    this.host = destination.host;
    if (!options.consumerKey || !options.consumerSecret) {
      throw new UserError('missing_secret', 'A WooCommerce consumer key and consumer secret are both needed.');
    }
    this.#authorization = `Basic ${Buffer.from(`${options.consumerKey}:${options.consumerSecret}`).toString('base64')}`;
    this.http = new HttpPolicy({
      account: `woocommerce:${this.host}`,
      limiter: options.limiter ?? limiterForAccount(`woocommerce:${this.host}`, options.concurrency ?? 4),
      // The pair as Basic auth sends it: its base64 (the header) and URL-encoded forms are redacted too.
      secrets: [
        options.consumerKey,
        options.consumerSecret,
        `${options.consumerKey}:${options.consumerSecret}`,
        this.#authorization.slice(6),
      ],
      credentialOrigin: destination.origin,
      ...(options.log ? { log: options.log } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
      ...(options.baseDelayMs !== undefined ? { baseDelayMs: options.baseDelayMs } : {}),
      ...(options.maxDelayMs !== undefined ? { maxDelayMs: options.maxDelayMs } : {}),
    });
  }

  url(path: string, query?: Record<string, string | number | undefined>): string {
    const url = new URL(`${this.apiRoot}${path}`);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  async request<T>(
    what: string,
    options: { method: string; url: string; body?: unknown; signal?: AbortSignal; label?: string },
  ): Promise<WooResponse<T>> {
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
        authorize: () => ({ authorization: this.#authorization }),
        inspect: jsonInspection,
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.label ? { label: options.label } : {}),
      });
    } catch (error) {
      throw woocommerceUserError(error, what);
    }
    const header = (name: string) => {
      const v = response.headers[name];
      return v !== undefined && /^\d+$/.test(v.trim()) ? Number(v) : undefined;
    };
    return {
      body: (response.text === '' ? null : JSON.parse(response.text)) as T,
      total: header('x-wp-total'),
      totalPages: header('x-wp-totalpages'),
      links: parseLinkHeader(response.headers.link),
    };
  }
}
