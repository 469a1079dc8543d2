import { Agent, type Dispatcher, request } from 'undici';
import { UserError } from '../../shared/errors';
import { registerSecrets } from '../../shared/secret-redaction';
import { abortReason, type Clock, realClock } from './clock';
import { ConcurrencyLimiter } from './limiter';
import { nullRequestLog, type RequestLog, type RequestLogEntry, redactUrl, scrubSecrets } from './request-log';

/**
 * The one HTTP policy every vendor client goes through: per-attempt timeout, retries with
 * exponential backoff and jitter on 429, 5xx, resets and unreadable bodies, `Retry-After`
 * honoured, a concurrency limiter per account, cancellation, and a request log without secrets.
 */

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  /** The body as text; empty for a 2xx body read as `bytes` (SendOptions.binary). */
  text: string;
  bytes?: Uint8Array;
}

/** What a client's inspector says about a response it received (e.g. Shopify THROTTLED with 200). */
export type Inspection = { retry: false } | { retry: true; reason: string; delayMs?: number; throttled?: boolean };

export interface SendOptions {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** Called for every attempt (a TBA signature needs a fresh nonce each time). */
  authorize?: (method: string, url: string) => Record<string, string> | Promise<Record<string, string>>;
  signal?: AbortSignal;
  /** Safe to send twice. Default: GET/HEAD/PUT/DELETE/OPTIONS yes, others no. */
  idempotent?: boolean;
  inspect?: (response: RawResponse) => Inspection;
  /** Extra delay hint for a retryable status (BigCommerce X-Rate-Limit-Time-Reset-Ms). */
  retryDelay?: (response: RawResponse) => number | undefined;
  /** Short description for the log ("suiteql page 3"). */
  label?: string;
  /**
   * Keep a 2xx body as bytes, not decoded (a fetch thread hands them to another thread without a
   * copy). Other statuses are still decoded: their text is what errors quote.
   */
  binary?: boolean;
  /**
   * Awaited before every attempt, outside the concurrency limiter (a vendor's request quota:
   * BigCommerce's X-Rate-Limit-Requests-Left reaching 0 means wait X-Rate-Limit-Time-Reset-Ms).
   */
  beforeAttempt?: (signal?: AbortSignal) => Promise<void>;
  /** Called after every attempt with its answer (any status), or null when the connection failed. */
  afterAttempt?: (response: RawResponse | null) => void;
}

export interface HttpStats {
  /** Attempts sent (each retry counts). */
  requests: number;
  retries: number;
  /** Responses by HTTP status, plus `network` for resets/timeouts. */
  byStatus: Record<string, number>;
  /** 429s plus throttled answers reported by an inspector. */
  throttled: number;
  bytesReceived: number;
}

export interface HttpPolicyOptions {
  /** Account label: names the account in the log. */
  account: string;
  limiter?: ConcurrencyLimiter;
  /** Used when no limiter is given. Default 4. */
  concurrency?: number;
  /** Per attempt, headers and body. Default 60 s. */
  timeoutMs?: number;
  /** Including the first. Default 8. */
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  log?: RequestLog;
  clock?: Clock;
  random?: () => number;
  dispatcher?: Dispatcher;
  /** Secret values to scrub from anything this policy writes or throws. */
  secrets?: readonly string[];
  /**
   * The origin (`https://host[:port]`) the client's destination check approved. A request that
   * carries credentials (`authorize`) to any other origin — a server-supplied `Link`, a bug — is
   * refused before anything is sent. Requests without `authorize` (pre-signed downloads) are free.
   */
  credentialOrigin?: string;
}

/** A non-success HTTP answer that was not retried (or retries ran out). */
export class HttpStatusError extends Error {
  constructor(
    readonly status: number,
    readonly headers: Record<string, string>,
    readonly text: string,
    readonly url: string,
    readonly attempts: number,
  ) {
    super(`HTTP ${status} from ${url}`);
    this.name = 'HttpStatusError';
  }

  /** 3xx: the host answered with a redirect instead of the API (never followed). */
  get isRedirect(): boolean {
    return this.status >= 300 && this.status < 400;
  }

  /** Where a redirect pointed, without its query (it may carry tokens). */
  get redirectTarget(): string {
    const location = this.headers.location ?? '';
    try {
      const url = new URL(location, this.url);
      return `${url.origin}${url.pathname}`;
    } catch {
      return location.slice(0, 100);
    }
  }
}

/** The server could not be reached or the connection broke, after all retries. */
export class HttpConnectionError extends Error {
  constructor(
    message: string,
    readonly url: string,
    readonly attempts: number,
    readonly causeCode: string,
  ) {
    super(message);
    this.name = 'HttpConnectionError';
  }
}

/** The response arrived but an inspector kept asking for a retry until attempts ran out. */
export class HttpRetryExhaustedError extends Error {
  constructor(
    readonly reason: string,
    readonly url: string,
    readonly attempts: number,
    readonly last: RawResponse,
  ) {
    super(`Gave up after ${attempts} attempts on ${url}: ${reason}`);
    this.name = 'HttpRetryExhaustedError';
  }
}

const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
/** Statuses where the server says it did not act on the request: safe to repeat even a POST. */
const NOT_PROCESSED = new Set([429, 503]);

const sharedAgent = new Agent({ keepAliveTimeout: 10_000, connections: 64 });

/** `Retry-After` as seconds (float, Shopify sends `2.0`) or an HTTP date → milliseconds. */
export function parseRetryAfter(value: string | undefined, nowMs = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

function errorCode(error: unknown): string {
  if (error && typeof error === 'object') {
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    const cause = (error as { cause?: unknown }).cause;
    if (cause) return errorCode(cause);
    const name = (error as { name?: unknown }).name;
    if (typeof name === 'string') return name;
  }
  return 'UNKNOWN';
}

export class HttpPolicy {
  readonly account: string;
  readonly limiter: ConcurrencyLimiter;
  readonly stats: HttpStats = { requests: 0, retries: 0, byStatus: {}, throttled: 0, bytesReceived: 0 };
  /**
   * The shortest attempt answered so far, from taking a slot to the whole answer (ms): about the
   * server's own time per request. A pull compares its answer rate with limit / this
   * (ordered-pages.ts) to see whether it keeps the slots full.
   */
  shortestAttemptMs = Number.POSITIVE_INFINITY;
  readonly clock: Clock;
  readonly #timeoutMs: number;
  readonly #maxAttempts: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #log: RequestLog;
  readonly #random: () => number;
  readonly #dispatcher: Dispatcher;
  readonly #secrets: string[];
  readonly #credentialOrigin: string | undefined;

  constructor(options: HttpPolicyOptions) {
    this.account = options.account;
    this.limiter = options.limiter ?? new ConcurrencyLimiter(options.concurrency ?? 4);
    this.clock = options.clock ?? realClock;
    this.#timeoutMs = options.timeoutMs ?? 60_000;
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 8);
    this.#baseDelayMs = options.baseDelayMs ?? 250;
    this.#maxDelayMs = options.maxDelayMs ?? 30_000;
    this.#log = options.log ?? nullRequestLog;
    this.#random = options.random ?? Math.random;
    this.#dispatcher = options.dispatcher ?? sharedAgent;
    this.#secrets = [...(options.secrets ?? [])];
    registerSecrets(this.#secrets);
    this.#credentialOrigin = options.credentialOrigin;
  }

  /** Writes an entry made elsewhere (a fetch worker thread) to this policy's request log. */
  writeLog(entry: RequestLogEntry): void {
    this.#log.write({
      ...entry,
      url: this.scrub(entry.url),
      ...(entry.reason ? { reason: this.scrub(entry.reason) } : {}),
    });
  }

  /** Adds counts measured elsewhere (a fetch worker thread) to these stats. */
  addStats(delta: HttpStats): void {
    this.stats.requests += delta.requests;
    this.stats.retries += delta.retries;
    this.stats.throttled += delta.throttled;
    this.stats.bytesReceived += delta.bytesReceived;
    for (const [k, v] of Object.entries(delta.byStatus)) this.stats.byStatus[k] = (this.stats.byStatus[k] ?? 0) + v;
  }

  /** Adds secret values (e.g. an OAuth access token once obtained) to scrub from logs and errors. */
  addSecret(secret: string): void {
    if (secret && !this.#secrets.includes(secret)) this.#secrets.push(secret);
    registerSecrets([secret]);
  }

  /** An answer whose text may end up in an error: credentials the vendor echoed are removed. */
  #scrubbed(response: RawResponse): RawResponse {
    return { ...response, text: this.scrub(response.text) };
  }

  scrub(text: string): string {
    return scrubSecrets(text, this.#secrets);
  }

  /** Backoff before attempt `attempt + 1`: exponential with "equal jitter", capped. */
  backoffMs(attempt: number): number {
    const ceiling = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** (attempt - 1));
    return ceiling / 2 + this.#random() * (ceiling / 2);
  }

  async send(options: SendOptions): Promise<RawResponse> {
    const method = options.method.toUpperCase();
    const idempotent = options.idempotent ?? ['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'].includes(method);
    const logUrl = this.scrub(redactUrl(options.url));
    if (options.authorize && this.#credentialOrigin !== undefined) {
      let origin: string | undefined;
      try {
        origin = new URL(options.url).origin;
      } catch {
        origin = undefined;
      }
      if (origin !== this.#credentialOrigin) {
        throw new UserError(
          'api_destination',
          `Refusing to send the ${this.account} credentials to ${logUrl}: credentials go only to ${this.#credentialOrigin}, the address that was checked.`,
        );
      }
    }
    const signal = options.signal;
    for (let attempt = 1; ; attempt += 1) {
      if (signal?.aborted) throw abortReason(signal);
      const started = this.clock.now();
      let outcome: { kind: 'response'; response: RawResponse } | { kind: 'network'; error: unknown };
      // Credentials first, outside the limiter: a refused OAuth 2.0 token request is a user error, not a retry.
      const auth = options.authorize ? await options.authorize(method, options.url) : {};
      if (options.beforeAttempt) await options.beforeAttempt(signal);
      const release = await this.limiter.acquire(signal);
      try {
        this.stats.requests += 1;
        const sent = this.clock.now();
        outcome = { kind: 'response', response: await this.#attempt(method, options, auth) };
        this.shortestAttemptMs = Math.min(this.shortestAttemptMs, this.clock.now() - sent);
        options.afterAttempt?.(outcome.response);
      } catch (error) {
        options.afterAttempt?.(null);
        if (signal?.aborted) {
          this.#write(options, logUrl, attempt, null, started, 'error', 'cancelled');
          throw abortReason(signal);
        }
        outcome = { kind: 'network', error };
      } finally {
        release();
      }

      let retryReason: string | undefined;
      let delayMs: number | undefined;
      if (outcome.kind === 'network') {
        const code = errorCode(outcome.error);
        this.#count('network');
        const connectRefused = code === 'ECONNREFUSED';
        if ((idempotent || connectRefused) && attempt < this.#maxAttempts) {
          retryReason = `network ${code}`;
        } else {
          this.#write(options, logUrl, attempt, null, started, 'error', `network ${code}`);
          const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
          throw new HttpConnectionError(
            this.scrub(`Could not complete ${method} ${logUrl}: ${code} (${message})`),
            logUrl,
            attempt,
            code,
          );
        }
      } else {
        const response = outcome.response;
        this.#count(String(response.status));
        this.stats.bytesReceived += response.bytes?.byteLength ?? Buffer.byteLength(response.text);
        if (response.status === 429) this.stats.throttled += 1;
        if (RETRY_STATUSES.has(response.status)) {
          const retryable = idempotent || NOT_PROCESSED.has(response.status);
          if (!retryable || attempt >= this.#maxAttempts) {
            this.#write(options, logUrl, attempt, response.status, started, 'error', `HTTP ${response.status}`);
            throw new HttpStatusError(response.status, response.headers, this.scrub(response.text), logUrl, attempt);
          }
          retryReason = `HTTP ${response.status}`;
          delayMs = parseRetryAfter(response.headers['retry-after']) ?? options.retryDelay?.(response);
        } else if (response.status >= 200 && response.status < 300 && options.inspect) {
          const inspection = options.inspect(response);
          if (inspection.retry) {
            if (inspection.throttled) this.stats.throttled += 1;
            // A 2xx to a non-idempotent request means the server acted (a refund may exist now),
            // even if its answer is unreadable: sending it again could refund twice. The caller
            // reads back instead. A throttled answer says it did not act, so that one may repeat.
            const mayHaveActed = !idempotent && !inspection.throttled;
            if (mayHaveActed || attempt >= this.#maxAttempts) {
              this.#write(options, logUrl, attempt, response.status, started, 'error', inspection.reason);
              throw new HttpRetryExhaustedError(inspection.reason, logUrl, attempt, this.#scrubbed(response));
            }
            retryReason = inspection.reason;
            delayMs = inspection.delayMs;
          }
        } else if (response.status >= 300 || response.status < 200) {
          // 3xx included: redirects are never followed (credentials would go to wherever the
          // Location says) and a redirect is no API answer — a login page, a proxy, a wrong host.
          this.#write(options, logUrl, attempt, response.status, started, 'error', `HTTP ${response.status}`);
          throw new HttpStatusError(response.status, response.headers, this.scrub(response.text), logUrl, attempt);
        }
        if (retryReason === undefined) {
          this.#write(options, logUrl, attempt, response.status, started, 'ok');
          return response;
        }
      }
      this.stats.retries += 1;
      this.#write(
        options,
        logUrl,
        attempt,
        outcome.kind === 'response' ? outcome.response.status : null,
        started,
        'retry',
        retryReason,
      );
      const wait = delayMs !== undefined ? delayMs + this.#random() * 0.1 * delayMs : this.backoffMs(attempt);
      await this.clock.sleep(Math.min(wait, this.#maxDelayMs * 4), signal);
    }
  }

  async #attempt(method: string, options: SendOptions, auth: Record<string, string>): Promise<RawResponse> {
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const response = await request(options.url, {
      method: method as Dispatcher.HttpMethod,
      headers: { ...options.headers, ...auth },
      body: options.body,
      signal,
      dispatcher: this.#dispatcher,
      headersTimeout: this.#timeoutMs,
      bodyTimeout: this.#timeoutMs,
    });
    const headers = flattenHeaders(response.headers);
    if (options.binary && response.statusCode >= 200 && response.statusCode < 300) {
      const bytes = new Uint8Array(await response.body.arrayBuffer());
      return { status: response.statusCode, headers, text: '', bytes };
    }
    const text = await response.body.text();
    return { status: response.statusCode, headers, text };
  }

  #count(key: string): void {
    this.stats.byStatus[key] = (this.stats.byStatus[key] ?? 0) + 1;
  }

  #write(
    options: SendOptions,
    url: string,
    attempt: number,
    status: number | null,
    started: number,
    outcome: 'ok' | 'retry' | 'error',
    reason?: string,
  ): void {
    this.#log.write({
      at: new Date().toISOString(),
      account: this.account,
      method: options.method.toUpperCase(),
      url,
      attempt,
      status,
      durationMs: Math.round(this.clock.now() - started),
      outcome,
      ...(reason ? { reason: this.scrub(reason) } : {}),
      ...(options.label ? { label: options.label } : {}),
    });
  }
}

/** Parses a JSON body; a truncated or malformed body becomes a retry request, not a crash. */
export function jsonInspection(response: RawResponse): Inspection {
  if (response.status === 204 || response.text === '') return { retry: false };
  try {
    JSON.parse(response.text);
    return { retry: false };
  } catch {
    return { retry: true, reason: `malformed JSON (${response.text.length} bytes)` };
  }
}

export function parseJson(text: string): unknown {
  return text === '' ? null : JSON.parse(text);
}
