import { UserError } from '../../../shared/errors';
import { isObject, parseAnswer, wrongShape } from '../answer-shape';
import type { Clock } from '../clock';
import { assertApiDestination, loopbackApisAllowed } from '../destination-policy';
import { HttpPolicy, HttpStatusError, type Inspection, jsonInspection, type RawResponse } from '../http-policy';
import { type ConcurrencyLimiter, limiterForAccount } from '../limiter';
import type { RequestLog } from '../request-log';
import { realmOf } from './account';
import { netsuiteUserError } from './errors';
import { type OAuth2Credentials, OAuth2TokenSource } from './oauth2';
import { signTba } from './tba';

export type NetsuiteAuth =
  | { kind: 'tba'; consumerKey: string; consumerSecret: string; token: string; tokenSecret: string }
  | ({ kind: 'oauth2' } & OAuth2Credentials);

export interface NetsuiteClientOptions {
  accountId: string;
  /**
   * REST host override (Company URLs); default derived from the account ID. Checked by the
   * destination policy: an https host under `.netsuite.com`, or 127.0.0.1 behind the switch.
   */
  baseUrl?: string;
  /**
   * Whether a 127.0.0.1 address may receive the credentials. Main-process decision (never from a
   * request payload); default the process switch `loopbackApisAllowed()`.
   */
  allowLoopback?: boolean;
  auth: NetsuiteAuth;
  /** The account's concurrency limit for this integration. Default 5 (standard tier). */
  concurrency?: number;
  limiter?: ConcurrencyLimiter;
  log?: RequestLog;
  clock?: Clock;
  timeoutMs?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/** Serialisable client settings for a fetch worker thread (see NetsuiteClient.workerConfig). */
export interface NetsuiteWorkerConfig {
  accountId: string;
  baseUrl: string;
  /** The parent's loopback decision (the fetch thread's own environment copy is not consulted). */
  allowLoopback: boolean;
  auth: NetsuiteAuth;
  concurrency: number;
  /** Whether the parent keeps a request log (if not, the thread does not send its lines over). */
  logRequests: boolean;
  timeoutMs?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/** A SuiteQL row: lower-case column names, values usually strings, NULL columns omitted. */
export type SuiteqlRow = Record<string, string | number | boolean | null | undefined | unknown[]>;

export interface SuiteqlPage {
  items: SuiteqlRow[];
  count: number;
  hasMore: boolean;
  offset: number;
  totalResults: number;
}

export const SUITEQL_MAX_LIMIT = 1000;
export const SUITEQL_MAX_ROWS = 100_000;

const RECORD_TYPE = /^[A-Za-z][A-Za-z0-9_]*$/;

function assertRecordType(type: string): void {
  if (!RECORD_TYPE.test(type)) throw new UserError('netsuite_record_type', `"${type}" is not a record type name.`);
}

function encodeId(id: string): string {
  return encodeURIComponent(id);
}

export class NetsuiteClient {
  readonly accountId: string;
  readonly realm: string;
  readonly baseUrl: string;
  readonly http: HttpPolicy;
  readonly #auth: NetsuiteAuth;
  readonly #tokens: OAuth2TokenSource | undefined;
  readonly #options: NetsuiteClientOptions;
  readonly #allowLoopback: boolean;

  constructor(options: NetsuiteClientOptions) {
    this.#options = options;
    this.accountId = options.accountId;
    this.realm = realmOf(options.accountId);
    // Where the credentials may go is decided before anything else is set up.
    this.#allowLoopback = options.allowLoopback ?? loopbackApisAllowed();
    const destination = assertApiDestination({
      platform: 'netsuite',
      accountId: options.accountId,
      url: options.baseUrl,
      allowLoopback: this.#allowLoopback,
    });
    this.baseUrl = destination.baseUrl;
    this.#auth = options.auth;
    const secrets =
      options.auth.kind === 'tba'
        ? [options.auth.consumerSecret, options.auth.tokenSecret, options.auth.token, options.auth.consumerKey]
        : [options.auth.privateKey, options.auth.clientId];
    this.http = new HttpPolicy({
      account: `netsuite:${this.realm}`,
      limiter: options.limiter ?? limiterForAccount(`netsuite:${this.realm}`, options.concurrency ?? 5),
      secrets,
      credentialOrigin: destination.origin,
      ...(options.log ? { log: options.log } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
      ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
      ...(options.baseDelayMs !== undefined ? { baseDelayMs: options.baseDelayMs } : {}),
      ...(options.maxDelayMs !== undefined ? { maxDelayMs: options.maxDelayMs } : {}),
    });
    this.#tokens =
      options.auth.kind === 'oauth2'
        ? new OAuth2TokenSource(options.auth, `${this.baseUrl}/services/rest/auth/oauth2/v1/token`, this.http)
        : undefined;
  }

  /**
   * What a fetch worker needs to build the same client in its own thread (credentials included:
   * handed over in memory through workerData, never written anywhere). The limiter is rebuilt there
   * with the same limit; a clock or log object cannot cross threads (the log is forwarded).
   */
  workerConfig(): NetsuiteWorkerConfig {
    const o = this.#options;
    return {
      accountId: o.accountId,
      baseUrl: this.baseUrl,
      allowLoopback: this.#allowLoopback,
      auth: this.#auth,
      concurrency: this.http.limiter.limit,
      logRequests: o.log !== undefined,
      ...(o.timeoutMs ? { timeoutMs: o.timeoutMs } : {}),
      ...(o.maxAttempts ? { maxAttempts: o.maxAttempts } : {}),
      ...(o.baseDelayMs !== undefined ? { baseDelayMs: o.baseDelayMs } : {}),
      ...(o.maxDelayMs !== undefined ? { maxDelayMs: o.maxDelayMs } : {}),
    };
  }

  /** True when the client runs on the real clock (a scaled test clock cannot cross threads). */
  get canUseWorker(): boolean {
    return this.#options.clock === undefined;
  }

  #authorize = async (method: string, url: string): Promise<Record<string, string>> => {
    if (this.#auth.kind === 'tba') {
      return { authorization: signTba({ ...this.#auth, realm: this.realm, method, url }).header };
    }
    return { authorization: `Bearer ${await this.#tokens!.token()}` };
  };

  async #send(
    what: string,
    options: {
      method: string;
      url: string;
      body?: unknown;
      headers?: Record<string, string>;
      idempotent?: boolean;
      signal?: AbortSignal;
      label?: string;
      inspect?: (response: RawResponse) => Inspection;
      binary?: boolean;
    },
  ): Promise<RawResponse> {
    const run = () =>
      this.http.send({
        method: options.method,
        url: options.url,
        headers: {
          accept: 'application/json',
          ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...options.headers,
        },
        ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
        authorize: this.#authorize,
        inspect: options.inspect ?? jsonInspection,
        ...(options.idempotent !== undefined ? { idempotent: options.idempotent } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(options.label ? { label: options.label } : {}),
        ...(options.binary ? { binary: true } : {}),
      });
    try {
      try {
        return await run();
      } catch (error) {
        // An OAuth 2.0 token can be revoked before it expires: get a new one once.
        if (this.#tokens && error instanceof HttpStatusError && error.status === 401) {
          this.#tokens.invalidate();
          return await run();
        }
        throw error;
      }
    } catch (error) {
      throw netsuiteUserError(error, what);
    }
  }

  url(path: string, query?: Record<string, string | number | boolean | undefined>): string {
    const url = new URL(`${this.baseUrl}${path}`);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  /** One SuiteQL page. `limit` 1..1000; `offset` a multiple of `limit`. */
  async suiteql(
    query: string,
    options: { limit?: number; offset?: number; signal?: AbortSignal; label?: string } = {},
  ): Promise<SuiteqlPage> {
    const limit = options.limit ?? SUITEQL_MAX_LIMIT;
    const offset = options.offset ?? 0;
    if (!Number.isInteger(limit) || limit < 1 || limit > SUITEQL_MAX_LIMIT) {
      throw new RangeError(`SuiteQL limit must be 1..${SUITEQL_MAX_LIMIT}, got ${limit}`);
    }
    // Parsed once: the inspection that checks the JSON keeps it (a malformed body is retried).
    let parsed: unknown;
    await this.#send('the SuiteQL query', {
      method: 'POST',
      url: this.url('/services/rest/query/v1/suiteql', { limit, offset }),
      headers: { prefer: 'transient' },
      body: { q: query },
      idempotent: true,
      ...(options.signal ? { signal: options.signal } : {}),
      label: options.label ?? `suiteql offset ${offset}`,
      inspect: (response) => {
        try {
          parsed = response.text === '' ? null : JSON.parse(response.text);
          return { retry: false };
        } catch {
          return { retry: true, reason: `malformed JSON (${response.text.length} bytes)` };
        }
      },
    });
    return suiteqlPage(parsed, offset, options.label ? `the SuiteQL query (${options.label})` : undefined);
  }

  /**
   * One SuiteQL page as text, not parsed: the consumer parses it (in order), and asks again if it
   * is malformed.
   */
  async suiteqlText(
    query: string,
    options: { limit: number; offset: number; signal?: AbortSignal; label?: string },
  ): Promise<string> {
    return (await this.#suiteqlRaw(query, options, false)).text;
  }

  /**
   * One SuiteQL page as UTF-8 bytes, not decoded: for a fetch thread, which transfers them to the
   * consumer's thread without a copy (decoding and parsing happen there).
   */
  async suiteqlBytes(
    query: string,
    options: { limit: number; offset: number; signal?: AbortSignal; label?: string },
  ): Promise<Uint8Array> {
    const response = await this.#suiteqlRaw(query, options, true);
    return response.bytes ?? Buffer.from(response.text);
  }

  #suiteqlRaw(
    query: string,
    options: { limit: number; offset: number; signal?: AbortSignal; label?: string },
    binary: boolean,
  ): Promise<RawResponse> {
    return this.#send('the SuiteQL query', {
      method: 'POST',
      url: this.url('/services/rest/query/v1/suiteql', { limit: options.limit, offset: options.offset }),
      headers: { prefer: 'transient' },
      body: { q: query },
      idempotent: true,
      ...(options.signal ? { signal: options.signal } : {}),
      label: options.label ?? `suiteql offset ${options.offset}`,
      inspect: () => ({ retry: false }),
      binary,
    });
  }

  /** Every row of a query (≤ 100,000), one page after another. For large pulls see suiteql-windows.ts. */
  async *suiteqlAll(query: string, options: { signal?: AbortSignal; limit?: number } = {}): AsyncGenerator<SuiteqlRow> {
    const limit = options.limit ?? SUITEQL_MAX_LIMIT;
    for (let offset = 0; ; offset += limit) {
      const page = await this.suiteql(query, { limit, offset, ...(options.signal ? { signal: options.signal } : {}) });
      yield* page.items;
      const reached = offset + page.items.length;
      if (!page.hasMore || page.items.length === 0) {
        if (reached < page.totalResults) throw capError(page.totalResults);
        return;
      }
      if (offset + limit >= SUITEQL_MAX_ROWS) throw capError(page.totalResults);
    }
  }

  /** `GET /record/v1/<type>/<id>`; `id` may be `eid:<externalId>`. */
  async getRecord(
    type: string,
    id: string,
    options: { expandSubResources?: boolean; fields?: readonly string[]; signal?: AbortSignal } = {},
  ): Promise<Record<string, unknown>> {
    assertRecordType(type);
    const response = await this.#send(`reading ${type} ${id}`, {
      method: 'GET',
      url: this.url(`/services/rest/record/v1/${type}/${encodeId(id)}`, {
        expandSubResources: options.expandSubResources ? 'true' : undefined,
        fields: options.fields?.join(','),
      }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const record = parseAnswer('netsuite', 'NetSuite', `reading ${type} ${id}`, 'a record object', response.text);
    if (!isObject(record)) {
      throw wrongShape('netsuite', 'NetSuite', `reading ${type} ${id}`, 'a record object', record);
    }
    return record;
  }

  /**
   * `POST /record/v1/<type>` → 204 + Location. With an idempotency key the request is sent async-safe
   * (`X-NetSuite-Idempotency-Key`) and may be retried; without one it is sent once.
   */
  async createRecord(
    type: string,
    body: Record<string, unknown>,
    options: { idempotencyKey?: string; signal?: AbortSignal } = {},
  ): Promise<{ id: string; location: string }> {
    assertRecordType(type);
    const response = await this.#send(`creating a ${type}`, {
      method: 'POST',
      url: this.url(`/services/rest/record/v1/${type}`),
      body,
      ...(options.idempotencyKey
        ? { headers: { 'x-netsuite-idempotency-key': options.idempotencyKey }, idempotent: true }
        : { idempotent: false }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    return locationResult(response, type);
  }

  /** `PUT /record/v1/<type>/eid:<externalId>`: creates or updates; safe to retry. */
  async upsertByExternalId(
    type: string,
    externalId: string,
    body: Record<string, unknown>,
    options: { signal?: AbortSignal } = {},
  ): Promise<{ id: string | null; location: string | null }> {
    assertRecordType(type);
    if (!externalId) throw new UserError('netsuite_external_id', 'An upsert needs a non-empty External ID.');
    const response = await this.#send(`upserting ${type} eid:${externalId}`, {
      method: 'PUT',
      url: this.url(`/services/rest/record/v1/${type}/eid:${encodeId(externalId)}`),
      body,
      idempotent: true,
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const location = response.headers.location ?? null;
    return { id: location ? (location.split('/').pop() ?? null) : null, location };
  }
}

/**
 * A parsed SuiteQL envelope → SuiteqlPage. The envelope must be the documented one (apis.md §1:
 * an object with an `items` list and `hasMore`): a `{}` or an empty body from a proxy is an error
 * naming what was expected, never an empty page that a pull would take for "no refunds".
 */
export function suiteqlPage(parsed: unknown, offset: number, what = 'the SuiteQL query'): SuiteqlPage {
  if (!isObject(parsed) || !Array.isArray(parsed.items) || typeof parsed.hasMore !== 'boolean') {
    throw wrongShape('netsuite', 'NetSuite', what, 'a SuiteQL page ({"items": [...], "hasMore": …})', parsed);
  }
  const items = parsed.items as SuiteqlRow[];
  if (!items.every(isObject)) {
    throw wrongShape('netsuite', 'NetSuite', what, 'a SuiteQL page whose items are rows (objects)', items[0]);
  }
  return {
    items,
    count: typeof parsed.count === 'number' ? parsed.count : items.length,
    hasMore: parsed.hasMore,
    offset: typeof parsed.offset === 'number' ? parsed.offset : offset,
    totalResults: typeof parsed.totalResults === 'number' ? parsed.totalResults : items.length,
  };
}

function locationResult(response: RawResponse, type: string): { id: string; location: string } {
  const location = response.headers.location;
  const id = location?.split('/').pop();
  if (!location || !id) {
    throw new UserError(
      'netsuite_no_location',
      `NetSuite accepted the ${type} (HTTP ${response.status}) but sent no Location header with its internal ID.`,
    );
  }
  return { id, location };
}

function capError(total: number): UserError {
  return new UserError(
    'netsuite_suiteql_cap',
    `The SuiteQL query returns ${total} rows, more than the 100,000 NetSuite pages through; narrow it (date range) or use the windowed pull.`,
  );
}
