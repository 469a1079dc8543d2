import { constants, createHmac, createPublicKey, randomBytes, verify as verifySignature } from 'node:crypto';
import type http from 'node:http';
import Database from 'better-sqlite3';
import { applyTransportFault, FaultInjector } from '../common/faults';
import {
  type LoggedRequest,
  type Reply,
  type RunningServer,
  readBody,
  sendReply,
  sleep,
  startHttpServer,
} from '../common/server';
import { generateNetsuiteData, type NetsuiteData, NS_PAYMENT_METHODS } from './dataset';

/**
 * NetSuite SuiteTalk REST emulator (apis.md §1): TBA (HMAC-SHA256, checked byte for byte, nonces
 * not reusable) and OAuth 2.0 client credentials (JWT verified with the mapped certificate's
 * public key), SuiteQL over a real SQL engine (SQLite with Oracle-ish shims) with NetSuite's paging
 * envelope, limit ≤ 1000, offset a multiple of limit and the 100,000-row cap, record GET with
 * expandSubResources, create (204 + Location), upsert by External ID, NetSuite error bodies, a
 * per-account concurrency limit answered with 429 CONCURRENCY_LIMIT_EXCEEDED, latency and faults.
 */

export interface TbaCredential {
  consumerKey: string;
  consumerSecret: string;
  token: string;
  tokenSecret: string;
}

export interface OAuth2Client {
  clientId: string;
  certificateId: string;
  /** PEM public key of the uploaded certificate. */
  publicKey: string;
}

export interface NetsuiteEmulatorOptions {
  accountId?: string;
  data?: NetsuiteData;
  concurrencyLimit?: number;
  latencyMs?: number;
  tba?: TbaCredential[];
  oauth2?: OAuth2Client[];
  port?: number;
  /** Rows SuiteQL pages through at most. Default 100,000 (NetSuite's cap). */
  maxRows?: number;
  /** SuiteQL results kept computed (query text → rendered rows). Default 16. */
  cacheSize?: number;
  /**
   * Columns this account's SuiteQL does not have (e.g. `['paymentmethod']`: tenders.md §1.4 marks
   * `BUILTIN.DF(t.paymentmethod)` [unconfirmed]). A query naming one is refused as an unknown field.
   */
  missingColumns?: string[];
}

/**
 * Test hooks for what a real account can do to a record as it is saved. NetSuite runs SuiteScript
 * user event scripts and workflows on every create and edit; a `beforeSubmit` entry point may
 * change the record before it is written ("Any changes you make to the record in this script stick
 * after the write operation": beforeSubmit(context), docs.oracle.com/en/cloud/saas/netsuite/
 * ns-online-help/section_4407992070.html). The round-trip tests use it to drop a tax line and see
 * the read-back catch it.
 */
export interface NetsuiteWriteHooks {
  beforeSubmit?: (recordType: string, body: Record<string, unknown>) => Record<string, unknown>;
}

export interface NetsuiteEmulator {
  url: string;
  /** See NetsuiteWriteHooks; set and clear per test. */
  hooks: NetsuiteWriteHooks;
  accountId: string;
  credentials: TbaCredential;
  data: NetsuiteData;
  faults: FaultInjector;
  requests: LoggedRequest[];
  stats: { inFlight: number; maxInFlight: number; concurrencyRejections: number; authFailures: number };
  db: Database.Database;
  /**
   * When each request arrived and when its answer was written (performance.now(), this process's
   * clock), in arrival order: benchmarks read slot occupancy from it.
   */
  timings: RequestTiming[];
  /**
   * Runs a SuiteQL query in-process (no HTTP, no auth) and keeps its rows cached, as a request would:
   * benchmarks precompute their windows with it so no page waits for a 100,000-row window.
   */
  suiteql(query: string, limit?: number, offset?: number): { status: number; body: unknown };
  close(): Promise<void>;
}

export interface RequestTiming {
  arrived: number;
  /** When the answer began to be written (0 for an answer written by a fault or at once: a 429). */
  replied: number;
  /** When the answer was written (the connection handed it over). 0 until then. */
  answered: number;
  status: number;
  /** The request log's note (`suiteql offset=… rows=…`). */
  note?: string;
}

export const DEFAULT_TBA: TbaCredential = {
  consumerKey: 'emu-consumer-key-7f3a9c2e51d84b60a1c7e9d2f4b8a6c3',
  consumerSecret: 'emu-consumer-secret-2b8e4d6f0a1c3e5g7i9k1m3o5q7s9u1w',
  token: 'emu-token-id-c4e6a8b0d2f4h6j8l0n2p4r6t8v0x2z4b6',
  tokenSecret: 'emu-token-secret-9d1f3h5j7l9n1p3r5t7v9x1z3b5d7f9h',
};

type ErrorCode =
  | 'INVALID_LOGIN'
  | 'INVALID_PARAMETER'
  | 'INVALID_CONTENT'
  | 'USER_ERROR'
  | 'NONEXISTENT_ID'
  | 'CONCURRENCY_LIMIT_EXCEEDED'
  | 'UNEXPECTED_ERROR'
  | 'INVALID_HEADER';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export function nsError(
  status: number,
  code: ErrorCode,
  detail: string,
  extra: { path?: string; queryParam?: string } = {},
): Reply {
  return {
    status,
    headers: { 'content-type': 'application/vnd.oracle.resource+json; type=error; charset=UTF-8' },
    json: {
      type: 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html#sec10.4.1',
      title: TITLES[status] ?? 'Error',
      status,
      'o:errorDetails': [
        {
          detail,
          'o:errorCode': code,
          ...(extra.path ? { 'o:errorPath': extra.path } : {}),
          ...(extra.queryParam ? { 'o:errorQueryParam': extra.queryParam } : {}),
        },
      ],
    },
  };
}

const LOGIN_FAILED =
  'Invalid login attempt. For more details, see the Login Audit Trail in the NetSuite UI at Setup > Users/Roles > User Management > View Login Audit Trail.';

// --- TBA verification, written independently of the client's signer -----------------------------

function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function expectedSignature(method: string, url: URL, oauth: Record<string, string>, cred: TbaCredential): string {
  const params: string[] = [];
  for (const [k, v] of Object.entries(oauth)) {
    if (k === 'oauth_signature' || k === 'realm') continue;
    params.push(`${rfc3986(k)}=${rfc3986(v)}`);
  }
  for (const [k, v] of url.searchParams) params.push(`${rfc3986(k)}=${rfc3986(v)}`);
  params.sort();
  const base = `${url.protocol}//${url.host.toLowerCase()}${url.pathname}`;
  const text = `${method.toUpperCase()}&${rfc3986(base)}&${rfc3986(params.join('&'))}`;
  return createHmac('sha256', `${rfc3986(cred.consumerSecret)}&${rfc3986(cred.tokenSecret)}`)
    .update(text)
    .digest('base64');
}

function parseOAuth(header: string): Record<string, string> | undefined {
  const m = /^OAuth\s+(.+)$/s.exec(header);
  if (!m) return undefined;
  const out: Record<string, string> = {};
  for (const part of m[1]!.split(',')) {
    const kv = /^\s*([A-Za-z0-9_]+)="([^"]*)"\s*$/.exec(part);
    if (!kv) return undefined;
    out[kv[1]!] = decodeURIComponent(kv[2]!);
  }
  return out;
}

// --- SuiteQL over SQLite ---------------------------------------------------------------------

function buildDatabase(data: NetsuiteData): Database.Database {
  const db = new Database(':memory:');
  db.exec(`
    CREATE TABLE currency (id INTEGER PRIMARY KEY, symbol TEXT, name TEXT);
    CREATE TABLE item (id INTEGER PRIMARY KEY, itemid TEXT, displayname TEXT, itemtype TEXT);
    CREATE TABLE "transaction" (id INTEGER PRIMARY KEY, tranid TEXT, type TEXT, recordtype TEXT, trandate TEXT,
      entity INTEGER, currency INTEGER, exchangerate TEXT, foreigntotal TEXT, externalid TEXT, memo TEXT,
      otherrefnum TEXT, voided TEXT, createddate TEXT, lastmodifieddate TEXT, status TEXT, paymentmethod INTEGER);
    CREATE TABLE paymentmethod (id INTEGER PRIMARY KEY, name TEXT);
    CREATE INDEX transaction_eid ON "transaction"(externalid);
    CREATE TABLE transactionline (id INTEGER PRIMARY KEY, "transaction" INTEGER, linesequencenumber INTEGER,
      mainline TEXT, taxline TEXT, item INTEGER, itemtype TEXT, quantity TEXT, rate TEXT, foreignamount TEXT,
      memo TEXT, createdfrom INTEGER);
    CREATE INDEX transactionline_tx ON transactionline("transaction", id);
    CREATE TABLE previoustransactionlink (previousdoc INTEGER, nextdoc INTEGER, linktype TEXT, foreignamount TEXT);
    CREATE INDEX ptl_next ON previoustransactionlink(nextdoc);
    CREATE INDEX ptl_previous ON previoustransactionlink(previousdoc);
  `);
  const insert = (table: string, rows: object[]) => {
    const first = rows[0];
    if (!first) return;
    const cols = Object.keys(first);
    const stmt = db.prepare(
      `INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(',')}) VALUES (${cols.map((c) => `@${c}`).join(',')})`,
    );
    for (const row of rows) stmt.run(row);
  };
  db.transaction(() => {
    insert(
      'currency',
      data.currencies.map(({ id, symbol, name }) => ({ id, symbol, name })),
    );
    insert('item', data.items);
    // Every row gets every column (the insert takes its columns from the first row).
    insert(
      'transaction',
      data.transactions.map((t) => ({ ...t, status: t.status ?? null, paymentmethod: t.paymentmethod ?? null })),
    );
    insert('transactionline', data.lines);
    insert(
      'previoustransactionlink',
      data.links.map((l) => ({ ...l, foreignamount: l.foreignamount ?? null })),
    );
    insert('paymentmethod', data.paymentMethods ?? NS_PAYMENT_METHODS);
  })();
  db.function('TO_DATE', { deterministic: true }, (value: unknown, format: unknown) => {
    if (format !== 'YYYY-MM-DD' || typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
      throw new Error(`TO_DATE supports 'YYYY-MM-DD' here, found ${String(format)}`);
    }
    return value;
  });
  db.function('TO_CHAR', { deterministic: true }, (value: unknown, format: unknown) => {
    if (value === null) return null;
    if (format === 'YYYY-MM-DD') return String(value).slice(0, 10);
    return String(value);
  });
  db.function('BUILTIN_DF', { deterministic: true }, (value: unknown) => value);
  return db;
}

/** Oracle-flavoured SuiteQL → SQLite: `transaction` is a keyword there, BUILTIN.DF a dotted name. */
export function translateSuiteql(query: string): string {
  return (
    query
      // BUILTIN.DF of a payment-method reference is the method's name (its display value).
      .replace(
        /\bBUILTIN\.DF\s*\(\s*([a-z_][a-z0-9_]*)\.paymentmethod\s*\)/gi,
        '(SELECT pm.name FROM paymentmethod pm WHERE pm.id = $1.paymentmethod)',
      )
      .replace(/\b(FROM|JOIN)\s+transaction\b/gi, '$1 "transaction"')
      .replace(/\.transaction\b/gi, '."transaction"')
      .replace(/\bTO_CHAR\s*\(\s*([a-z_][a-z0-9_.]*)\s*,\s*'YYYY-MM-DD'\s*\)/gi, 'substr($1, 1, 10)')
      .replace(/\bBUILTIN\.DF\s*\(/gi, 'BUILTIN_DF(')
  );
}

/**
 * NetSuite's words for a query it cannot run: a 400 whose detail begins "Invalid search query" and,
 * for a column the record does not have, "Search error occurred: Field 'x' for record 'y' was not
 * found." (the text public SuiteQL clients match to drop unsearchable fields; error body shape:
 * apis.md §1.6). SQLite's "no such column: alias.x" is reworded so; other errors pass through.
 */
export function searchError(query: string, message: string): string {
  const prefix = 'Invalid search query. Detailed unprocessed description follows. Search error occurred:';
  const m = /no such column: (?:([a-z_][a-z0-9_]*)\.)?([a-z_][a-z0-9_]*)/i.exec(message);
  if (!m) return `${prefix} ${message}`;
  const alias = m[1];
  const table = alias
    ? (new RegExp(`\\b(?:FROM|JOIN)\\s+"?([a-z_]+)"?\\s+${alias}\\b`, 'i').exec(query)?.[1] ?? alias)
    : 'transaction';
  return `${prefix} Field '${m[2]}' for record '${table}' was not found.`;
}

function bodyText(reply: Reply): string {
  return reply.text ?? JSON.stringify(reply.json ?? {});
}

/**
 * Resolves at `deadline` (performance.now() time) or just after, never before. A timer alone can
 * fire up to a millisecond early: it counts from the event loop's cached time, which lags behind
 * while the loop is busy. So: sleep while at least a millisecond is left, then yield to the loop
 * (answering other sockets meanwhile) until the deadline has passed.
 */
async function waitUntil(deadline: number): Promise<void> {
  for (let left = deadline - performance.now(); left > 0; left = deadline - performance.now()) {
    if (left >= 1) await sleep(left);
    else await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** A reply rendered to bytes (as sendReply would send it), ready to be written at once. */
function prepareReply(reply: Reply): { status: number; headers: Record<string, string>; body: Buffer } {
  const body = Buffer.from(reply.text ?? (reply.json === undefined ? '' : JSON.stringify(reply.json)));
  const headers: Record<string, string> = { ...reply.headers };
  if (body.length > 0 && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) {
    headers['content-type'] = 'application/json; charset=utf-8';
  }
  headers['content-length'] = String(body.length);
  return { status: reply.status, headers, body };
}

// --- the server ----------------------------------------------------------------------------

const RECORD_TYPES: Record<string, { code: string; name: string }> = {
  cashrefund: { code: 'CashRfnd', name: 'cashRefund' },
  creditmemo: { code: 'CustCred', name: 'creditMemo' },
  customerrefund: { code: 'CustRfnd', name: 'customerRefund' },
  cashsale: { code: 'CashSale', name: 'cashSale' },
  invoice: { code: 'CustInvc', name: 'invoice' },
};

export async function startNetsuiteEmulator(options: NetsuiteEmulatorOptions = {}): Promise<NetsuiteEmulator> {
  const accountId = options.accountId ?? '1234567_SB1';
  const realm = accountId.toUpperCase().replace(/-/g, '_');
  const data = options.data ?? generateNetsuiteData({ refunds: 60, seed: 7 });
  const db = buildDatabase(data);
  const tba = options.tba ?? [DEFAULT_TBA];
  const oauth2 = options.oauth2 ?? [];
  const limit = options.concurrencyLimit ?? 5;
  const latencyMs = options.latencyMs ?? 0;
  const maxRows = options.maxRows ?? 100_000;
  const faults = new FaultInjector();
  const hooks: NetsuiteWriteHooks = {};
  const requests: LoggedRequest[] = [];
  const timings: RequestTiming[] = [];
  const stats = { inFlight: 0, maxInFlight: 0, concurrencyRejections: 0, authFailures: 0 };
  const seenNonces = new Map<string, number>();
  const bearerTokens = new Map<string, number>();
  const idempotency = new Map<string, string>();
  const queryCache = new Map<string, string[]>();
  let baseUrl = '';

  const recordUrl = (type: string, id: number | string) => `${baseUrl}/services/rest/record/v1/${type}/${id}`;

  function authenticate(method: string, url: URL, header: string | undefined, body: string): Reply | undefined {
    const fail = () => {
      stats.authFailures += 1;
      return nsError(401, 'INVALID_LOGIN', LOGIN_FAILED);
    };
    if (!header) return fail();
    if (header.startsWith('Bearer ')) {
      const expires = bearerTokens.get(header.slice(7));
      return expires && expires > Date.now() ? undefined : fail();
    }
    const oauth = parseOAuth(header);
    if (!oauth) return fail();
    const cred = tba.find((c) => c.consumerKey === oauth.oauth_consumer_key && c.token === oauth.oauth_token);
    if (!cred || oauth.realm !== realm || oauth.oauth_signature_method !== 'HMAC-SHA256') return fail();
    if (oauth.oauth_version !== undefined && oauth.oauth_version !== '1.0') return fail();
    const nonce = oauth.oauth_nonce ?? '';
    if (!/^[A-Za-z0-9]{6,64}$/.test(nonce)) return fail();
    const ts = Number(oauth.oauth_timestamp);
    if (!Number.isInteger(ts) || Math.abs(ts - Date.now() / 1000) > 300) return fail();
    const nonceKey = `${cred.token}:${nonce}:${ts}`;
    if (seenNonces.has(nonceKey)) return fail();
    void body; // JSON bodies are not signed
    if (oauth.oauth_signature !== expectedSignature(method, url, oauth, cred)) return fail();
    seenNonces.set(nonceKey, Date.now());
    if (seenNonces.size > 200_000) seenNonces.clear();
    return undefined;
  }

  function tokenEndpoint(body: string): Reply {
    const form = new URLSearchParams(body);
    const invalid = (detail: string) => ({
      status: 400,
      json: { error: 'invalid_request', error_description: detail },
    });
    if (form.get('grant_type') !== 'client_credentials') return invalid('grant_type must be client_credentials');
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') {
      return invalid('client_assertion_type must be jwt-bearer');
    }
    const parts = (form.get('client_assertion') ?? '').split('.');
    if (parts.length !== 3) return invalid('client_assertion is not a JWT');
    let header: { alg?: string; kid?: string; typ?: string };
    let payload: { iss?: string; aud?: string; iat?: number; exp?: number; scope?: unknown };
    try {
      header = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'));
      payload = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8'));
    } catch {
      return invalid('client_assertion is not a JWT');
    }
    const client = oauth2.find((c) => c.certificateId === header.kid && c.clientId === payload.iss);
    const denied = { status: 401, json: { error: 'invalid_client' } } satisfies Reply;
    if (!client || header.typ !== 'JWT') return denied;
    if (payload.aud !== `${baseUrl}/services/rest/auth/oauth2/v1/token`) return denied;
    const now = Date.now() / 1000;
    if (
      !payload.iat ||
      !payload.exp ||
      payload.exp - payload.iat > 3600 ||
      payload.exp < now ||
      payload.iat > now + 300
    ) {
      return denied;
    }
    const key = createPublicKey(client.publicKey);
    const data = Buffer.from(`${parts[0]}.${parts[1]}`);
    const sig = Buffer.from(parts[2]!, 'base64url');
    let ok = false;
    if (header.alg === 'PS256') {
      ok = verifySignature('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, sig);
    } else if (header.alg === 'RS256') {
      ok = verifySignature('sha256', data, { key, padding: constants.RSA_PKCS1_PADDING }, sig);
    } else if (header.alg === 'ES256') {
      ok = verifySignature('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, sig);
    }
    if (!ok) return denied;
    const token = randomBytes(24).toString('base64url');
    bearerTokens.set(token, Date.now() + 3600_000);
    return { status: 200, json: { access_token: token, expires_in: '3600', token_type: 'Bearer' } };
  }

  function suiteql(url: URL, headers: http.IncomingHttpHeaders, body: string): Reply {
    const limitParam = url.searchParams.get('limit') ?? '1000';
    const offsetParam = url.searchParams.get('offset') ?? '0';
    const pageLimit = Number(limitParam);
    const offset = Number(offsetParam);
    if (!/^\d+$/.test(limitParam) || pageLimit < 1 || pageLimit > 1000) {
      return nsError(
        400,
        'INVALID_PARAMETER',
        `Invalid value for the limit parameter: ${limitParam}. It must be 1..1000.`,
        {
          queryParam: 'limit',
        },
      );
    }
    if (!/^\d+$/.test(offsetParam) || offset % pageLimit !== 0) {
      return nsError(
        400,
        'INVALID_PARAMETER',
        `The offset ${offsetParam} must be a multiple of the limit ${pageLimit}.`,
        {
          queryParam: 'offset',
        },
      );
    }
    if (String(headers.prefer ?? '').toLowerCase() !== 'transient') {
      return nsError(400, 'INVALID_HEADER', 'SuiteQL requests need the header Prefer: transient.');
    }
    let q: unknown;
    try {
      q = (JSON.parse(body) as { q?: unknown }).q;
    } catch {
      return nsError(400, 'INVALID_CONTENT', 'The request body is not valid JSON.');
    }
    if (typeof q !== 'string' || !/^\s*SELECT\b/i.test(q)) {
      return nsError(400, 'INVALID_PARAMETER', 'Invalid search query. Provide a SELECT statement in "q".');
    }
    // Rows are rendered to JSON inside SQLite (json_patch drops NULL columns, as SuiteQL omits
    // them), so a 100,000-row window costs a fraction of a second and pages are string joins.
    // A column the account does not have is an unknown field, whatever the query does with it.
    const missing = (options.missingColumns ?? []).find((c) => new RegExp(`\\.${c}\\b`, 'i').test(q));
    if (missing) return nsError(400, 'INVALID_PARAMETER', searchError(q, `no such column: t.${missing}`));
    let rows = queryCache.get(q);
    if (!rows) {
      try {
        const sql = translateSuiteql(q);
        const stmt = db.prepare(sql);
        if (!stmt.reader) throw new Error('not a query');
        const names = stmt.columns().map((c) => c.name);
        const pairs = names
          .map((name, i) => `'${name.toLowerCase().replace(/'/g, '')}', CAST(c${i} AS TEXT)`)
          .join(', ');
        const inner = `SELECT ${names.map((_, i) => `q.${JSON.stringify(names[i])} AS c${i}`).join(', ')} FROM (${sql}) q`;
        rows = db
          .prepare(`SELECT json_patch('{"links":[]}', json_object(${pairs})) FROM (${inner})`)
          .pluck(true)
          .all() as string[];
      } catch (error) {
        return nsError(400, 'INVALID_PARAMETER', searchError(q, (error as Error).message));
      }
      queryCache.set(q, rows);
      if (queryCache.size > (options.cacheSize ?? 16)) queryCache.delete(queryCache.keys().next().value as string);
    }
    // "A query can return at most 100,000 rows" (Oracle, SuiteQL paging: apis.md §1.5): an offset
    // at or past the cap is refused whatever the query returns.
    if (offset >= maxRows) {
      return nsError(
        400,
        'INVALID_PARAMETER',
        `The offset ${offset} is past the ${maxRows} rows SuiteQL pages through. Narrow the query.`,
        { queryParam: 'offset' },
      );
    }
    const reachable = Math.min(rows.length, maxRows);
    const items = rows.slice(offset, Math.min(offset + pageLimit, reachable));
    const link = (o: number) => `${baseUrl}/services/rest/query/v1/suiteql?limit=${pageLimit}&offset=${o}`;
    const lastOffset = Math.max(0, Math.floor((reachable - 1) / pageLimit) * pageLimit);
    const hasMore = offset + pageLimit < reachable;
    const links = [
      ...(offset > 0
        ? [
            { rel: 'previous', href: link(Math.max(0, offset - pageLimit)) },
            { rel: 'first', href: link(0) },
          ]
        : []),
      ...(hasMore ? [{ rel: 'next', href: link(offset + pageLimit) }] : []),
      { rel: 'last', href: link(lastOffset) },
      { rel: 'self', href: link(offset) },
    ];
    const head = JSON.stringify({ links, count: items.length, hasMore, offset, totalResults: rows.length });
    return {
      status: 200,
      text: `${head.slice(0, -1)},"items":[${items.join(',')}]}`,
      note: `suiteql offset=${offset} rows=${items.length}`,
    };
  }

  function findTransaction(typeCode: string, idOrEid: string): Record<string, unknown> | undefined {
    if (idOrEid.startsWith('eid:')) {
      return db
        .prepare('SELECT * FROM "transaction" WHERE type = ? AND externalid = ?')
        .get(typeCode, decodeURIComponent(idOrEid.slice(4))) as Record<string, unknown> | undefined;
    }
    if (!/^\d+$/.test(idOrEid)) return undefined;
    return db.prepare('SELECT * FROM "transaction" WHERE type = ? AND id = ?').get(typeCode, Number(idOrEid)) as
      | Record<string, unknown>
      | undefined;
  }

  function recordJson(typeName: string, tx: Record<string, unknown>, expand: boolean): Record<string, unknown> {
    const cur = db.prepare('SELECT * FROM currency WHERE id = ?').get(tx.currency) as { id: number; name: string };
    const self = recordUrl(typeName, tx.id as number);
    const lines = db
      .prepare(
        `SELECT tl.*, i.itemid, i.displayname FROM transactionline tl LEFT JOIN item i ON i.id = tl.item
         WHERE tl."transaction" = ? ORDER BY tl.id`,
      )
      .all(tx.id) as Record<string, unknown>[];
    const main = lines.find((l) => l.mainline === 'T');
    const src = main?.createdfrom
      ? (db.prepare('SELECT id, tranid, recordtype FROM "transaction" WHERE id = ?').get(main.createdfrom) as
          | { id: number; tranid: string; recordtype: string }
          | undefined)
      : undefined;
    // Shipping-item lines (SuiteQL itemtype 'ShipItem') are the record's body `shippingCost`, not an
    // item of the `item` sublist (REST record schema of cashRefund / creditMemo: apis.md §1.4).
    const itemLines = lines.filter((l) => l.mainline === 'F' && l.taxline === 'F' && l.itemtype !== 'ShipItem');
    const shipLines = lines.filter((l) => l.mainline === 'F' && l.taxline === 'F' && l.itemtype === 'ShipItem');
    const shippingCost = shipLines.reduce((n, l) => n + Math.abs(Number(l.foreignamount)), 0);
    // Credit memo: its applications (previoustransactionlink, both directions: Customer Refunds paying
    // it out, Invoices it is applied to) and what they leave — the `apply` sublist and
    // `amountRemaining` of the REST credit memo (Oracle's example record carries both:
    // test/fixtures/vendor-docs/netsuite/creditmemo-1819.json; apis.md §1.4).
    const applications =
      tx.type === 'CustCred'
        ? (db
            .prepare(
              `SELECT o.id, o.type, o.tranid, o.trandate, o.foreigntotal, p.foreignamount
               FROM previoustransactionlink p JOIN "transaction" o
                 ON o.id = (CASE WHEN p.previousdoc = ? THEN p.nextdoc ELSE p.previousdoc END)
               WHERE (p.previousdoc = ? OR p.nextdoc = ?) AND o.voided = 'F' AND o.type IN ('CustRfnd', 'CustInvc')
               ORDER BY o.id`,
            )
            .all(tx.id, tx.id, tx.id) as {
            id: number;
            type: string;
            tranid: string;
            trandate: string;
            foreigntotal: string;
            foreignamount: string | null;
          }[])
        : [];
    const applied = applications.map((a) =>
      Math.abs(Number(a.foreignamount ?? (a.type === 'CustRfnd' ? a.foreigntotal : 0))),
    );
    const amountRemaining =
      tx.type === 'CustCred'
        ? tx.status === 'CustCred:B' || tx.voided === 'T'
          ? 0
          : Math.max(0, Math.abs(Number(tx.foreigntotal)) - applied.reduce((n, a) => n + a, 0))
        : undefined;
    const method = tx.paymentmethod
      ? (db.prepare('SELECT id, name FROM paymentmethod WHERE id = ?').get(tx.paymentmethod) as
          | { id: number; name: string }
          | undefined)
      : undefined;
    const STATUS_NAMES: Record<string, string> = {
      'CustCred:A': 'Open',
      'CustCred:B': 'Fully Applied',
      'CustCred:V': 'Voided',
    };
    const statusName = typeof tx.status === 'string' ? STATUS_NAMES[tx.status] : undefined;
    const taxTotal = lines.filter((l) => l.taxline === 'T').reduce((n, l) => n + Math.abs(Number(l.foreignamount)), 0);
    const ref = (type: string, id: unknown, refName: string) => ({
      id: String(id),
      refName,
      links: [{ rel: 'self', href: `${baseUrl}/services/rest/record/v1/${type}/${id}` }],
    });
    return {
      links: [{ rel: 'self', href: self }],
      id: String(tx.id),
      tranId: tx.tranid,
      ...(tx.externalid ? { externalId: tx.externalid } : {}),
      tranDate: tx.trandate,
      entity: ref('customer', tx.entity, `Customer ${tx.entity}`),
      currency: ref('currency', cur.id, cur.name),
      exchangeRate: 1,
      ...(tx.memo ? { memo: tx.memo } : {}),
      ...(tx.otherrefnum ? { otherRefNum: tx.otherrefnum } : {}),
      ...(src ? { createdFrom: ref(src.recordtype, src.id, src.tranid) } : {}),
      total: Math.abs(Number(tx.foreigntotal)),
      taxTotal,
      ...(shipLines.length > 0 ? { shippingCost: Number(shippingCost.toFixed(6)) } : {}),
      ...(amountRemaining !== undefined ? { amountRemaining: Number(amountRemaining.toFixed(6)) } : {}),
      // Enum-like fields are `{id, refName}` (apis.md §1.4 JSON conventions).
      ...(statusName ? { status: { id: statusName, refName: statusName } } : {}),
      // `paymentMethod`: a record ref (SuiteTalk's name [code S15]; REST [unconfirmed]).
      ...(method ? { paymentMethod: ref('paymentMethod', method.id, method.name) } : {}),
      ...(tx.type === 'CustCred'
        ? {
            apply: expand
              ? {
                  links: [{ rel: 'self', href: `${self}/apply` }],
                  items: applications.map((a, i) => ({
                    links: [{ rel: 'self', href: `${self}/apply/${i + 1}` }],
                    apply: true,
                    doc: ref(a.type === 'CustRfnd' ? 'customerRefund' : 'invoice', a.id, a.tranid),
                    type: a.type === 'CustRfnd' ? 'Customer Refund' : 'Invoice',
                    refNum: a.tranid,
                    applyDate: String(a.trandate).slice(0, 10),
                    amount: applied[i],
                  })),
                  totalResults: applications.length,
                }
              : { links: [{ rel: 'self', href: `${self}/apply` }] },
          }
        : {}),
      voided: tx.voided === 'T',
      createdDate: `${String(tx.createddate).replace(' ', 'T')}Z`,
      lastModifiedDate: `${String(tx.lastmodifieddate).replace(' ', 'T')}Z`,
      item: expand
        ? {
            links: [{ rel: 'self', href: `${self}/item` }],
            items: itemLines.map((l, i) => ({
              links: [{ rel: 'self', href: `${self}/item/${i + 1}` }],
              line: i + 1,
              item: ref('inventoryItem', l.item, String(l.itemid)),
              ...(l.itemtype ? { itemType: { id: l.itemtype, refName: l.itemtype } } : {}),
              quantity: Math.abs(Number(l.quantity)),
              // A Discount item line reduces the refund: negative on the record, as in NetSuite's UI.
              rate: (l.itemtype === 'Discount' ? -1 : 1) * Math.abs(Number(l.rate)),
              amount: (l.itemtype === 'Discount' ? -1 : 1) * Math.abs(Number(l.foreignamount)),
              ...(l.memo ? { description: l.memo } : {}),
            })),
            totalResults: itemLines.length,
          }
        : { links: [{ rel: 'self', href: `${self}/item` }] },
    };
  }

  /** Writes a record from a create/upsert body; returns the internal id or an error reply. */
  function writeRecord(
    typeName: string,
    code: string,
    body: Record<string, unknown>,
    existing: Record<string, unknown> | undefined,
    externalId: string | undefined,
  ): number | Reply {
    // A Customer Refund names its customer in `customer`, not `entity` (apis.md §1 record fields:
    // "customerRefund: `customer`, `total`, `apply.items[]`"; Oracle help article_0830082954).
    const entityField = code === 'CustRfnd' ? 'customer' : 'entity';
    const entity = body[entityField] as { id?: unknown } | undefined;
    if (!existing && (!entity || typeof entity.id !== 'string')) {
      return nsError(400, 'USER_ERROR', 'Please enter value(s) for: Customer', { path: entityField });
    }
    const currencyId = Number((body.currency as { id?: unknown } | undefined)?.id ?? existing?.currency ?? 1);
    const cur = db.prepare('SELECT id FROM currency WHERE id = ?').get(currencyId) as { id: number } | undefined;
    if (!cur) {
      return nsError(
        400,
        'INVALID_CONTENT',
        `Error while accessing resource: You have entered an Invalid Field Value ${currencyId} for the following field: currency`,
        {
          path: 'currency',
        },
      );
    }
    const rawItems = ((body.item as { items?: unknown } | undefined)?.items ?? []) as Record<string, unknown>[];
    if (!Array.isArray(rawItems))
      return nsError(400, 'INVALID_CONTENT', 'item.items must be an array', { path: 'item.items' });
    const parsed: { item: number; quantity: number; amount: number; memo: string | null }[] = [];
    for (const [i, line] of rawItems.entries()) {
      const itemId = Number((line.item as { id?: unknown } | undefined)?.id);
      if (!db.prepare('SELECT 1 FROM item WHERE id = ?').get(itemId)) {
        return nsError(
          400,
          'INVALID_CONTENT',
          `Error while accessing resource: You have entered an Invalid Field Value ${String((line.item as { id?: unknown })?.id)} for the following field: item`,
          { path: `item.items[${i}].item` },
        );
      }
      const quantity = Number(line.quantity ?? 1);
      const amount = Number(line.amount ?? Number(line.rate ?? 0) * quantity);
      if (!Number.isFinite(amount) || !Number.isFinite(quantity)) {
        return nsError(400, 'INVALID_CONTENT', 'Invalid number for amount', { path: `item.items[${i}].amount` });
      }
      parsed.push({
        item: itemId,
        quantity,
        amount,
        memo: typeof line.description === 'string' ? line.description : null,
      });
    }
    if (!existing && parsed.length === 0 && code !== 'CustRfnd') {
      return nsError(400, 'USER_ERROR', 'You must enter at least one line item for this transaction.', {
        path: 'item',
      });
    }
    // A Customer Refund has no item lines: its total is the amount it pays out (`total`).
    const total =
      code === 'CustRfnd' && parsed.length === 0 && Number.isFinite(Number(body.total))
        ? Number(body.total)
        : parsed.reduce((n, l) => n + l.amount, 0);
    const id = existing
      ? (existing.id as number)
      : ((db.prepare('SELECT MAX(id) AS m FROM "transaction"').get() as { m: number }).m ?? 0) + 1;
    const date = typeof body.tranDate === 'string' ? body.tranDate : new Date().toISOString().slice(0, 10);
    const now = new Date().toISOString().slice(0, 19).replace('T', ' ');
    db.transaction(() => {
      if (existing) {
        db.prepare(
          `UPDATE "transaction" SET memo = COALESCE(?, memo), trandate = ?, otherrefnum = COALESCE(?, otherrefnum),
           foreigntotal = ?, lastmodifieddate = ? WHERE id = ?`,
        ).run(body.memo ?? null, date, body.otherRefNum ?? null, String(-total), now, id);
        if (parsed.length > 0)
          db.prepare('DELETE FROM transactionline WHERE "transaction" = ? AND mainline = ?').run(id, 'F');
      } else {
        db.prepare(
          `INSERT INTO "transaction" (id, tranid, type, recordtype, trandate, entity, currency, exchangerate, foreigntotal,
           externalid, memo, otherrefnum, voided, createddate, lastmodifieddate) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
        ).run(
          id,
          `${code === 'CashRfnd' ? 'CR' : code === 'CustCred' ? 'CM' : 'RF'}${id}`,
          code,
          typeName.toLowerCase(),
          date,
          Number(entity?.id),
          cur.id,
          '1',
          String(-total),
          externalId ?? (typeof body.externalId === 'string' ? body.externalId : null),
          typeof body.memo === 'string' ? body.memo : null,
          typeof body.otherRefNum === 'string' ? body.otherRefNum : null,
          'F',
          now,
          now,
        );
        db.prepare(
          `INSERT INTO transactionline ("transaction", linesequencenumber, mainline, taxline, foreignamount) VALUES (?, 0, 'T', 'F', ?)`,
        ).run(id, String(-total));
      }
      const insert = db.prepare(
        `INSERT INTO transactionline ("transaction", linesequencenumber, mainline, taxline, item, quantity, rate, foreignamount, memo)
         VALUES (?, ?, 'F', 'F', ?, ?, ?, ?, ?)`,
      );
      parsed.forEach((l, i) => {
        insert.run(
          id,
          i + 1,
          l.item,
          String(l.quantity),
          String(l.amount / (l.quantity || 1)),
          String(l.amount),
          l.memo,
        );
      });
      // A Customer Refund's applied `apply.items[]` pay out the Credit Memos they name, which
      // NetSuite records as transaction links (memo = previousdoc, refund = nextdoc; apis.md §1.4,
      // the same shape the dataset serves), so a pull after a push sees the memo paid out.
      if (code === 'CustRfnd' && !existing) {
        const applyItems = ((body.apply as { items?: unknown } | undefined)?.items ?? []) as Record<string, unknown>[];
        for (const a of Array.isArray(applyItems) ? applyItems : []) {
          if (a.apply !== true) continue;
          const doc = (a.doc ?? {}) as { id?: unknown; externalId?: unknown };
          const memo = (
            typeof doc.id === 'string' || typeof doc.id === 'number'
              ? db.prepare('SELECT id FROM "transaction" WHERE id = ?').get(Number(doc.id))
              : typeof doc.externalId === 'string'
                ? db.prepare('SELECT id FROM "transaction" WHERE externalid = ?').get(doc.externalId)
                : undefined
          ) as { id: number } | undefined;
          if (!memo) continue;
          db.prepare(
            'INSERT INTO previoustransactionlink (previousdoc, nextdoc, linktype, foreignamount) VALUES (?, ?, ?, ?)',
          ).run(memo.id, id, 'Payment', String(a.amount ?? total));
        }
      }
    })();
    queryCache.clear();
    return id;
  }

  function records(method: string, url: URL, headers: http.IncomingHttpHeaders, body: string): Reply {
    const m = /^\/services\/rest\/record\/v1\/([A-Za-z]+)(?:\/([^/]+))?$/.exec(url.pathname);
    if (!m) return nsError(404, 'NONEXISTENT_ID', `The record type or path ${url.pathname} does not exist.`);
    const type = RECORD_TYPES[m[1]!.toLowerCase()];
    if (!type) return nsError(404, 'NONEXISTENT_ID', `Record type '${m[1]}' does not exist.`);
    const idPart = m[2] ? decodeURIComponent(m[2]) : undefined;
    if (method === 'GET' && idPart) {
      const tx = findTransaction(type.code, idPart);
      if (!tx)
        return nsError(
          404,
          'NONEXISTENT_ID',
          `The record instance does not exist. Provide a valid record instance ID.`,
        );
      return { status: 200, json: recordJson(type.name, tx, url.searchParams.get('expandSubResources') === 'true') };
    }
    if ((method === 'POST' && !idPart) || (method === 'PUT' && idPart?.startsWith('eid:'))) {
      let payload: Record<string, unknown>;
      try {
        payload = JSON.parse(body) as Record<string, unknown>;
        if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw new Error('not an object');
      } catch {
        return nsError(400, 'INVALID_CONTENT', 'The request body is not a valid JSON object.');
      }
      const key = headers['x-netsuite-idempotency-key'];
      if (method === 'POST' && typeof key === 'string' && idempotency.has(key)) {
        return { status: 204, headers: { location: idempotency.get(key)! } };
      }
      let existing: Record<string, unknown> | undefined;
      let externalId: string | undefined;
      if (method === 'PUT') {
        externalId = idPart!.slice(4);
        existing = findTransaction(type.code, idPart!);
      } else if (typeof payload.externalId === 'string' && findTransaction(type.code, `eid:${payload.externalId}`)) {
        return nsError(400, 'USER_ERROR', 'This entity already exists.', { path: 'externalId' });
      }
      const submitted = hooks.beforeSubmit ? hooks.beforeSubmit(type.name, payload) : payload;
      const result = writeRecord(type.name, type.code, submitted, existing, externalId);
      if (typeof result !== 'number') return result;
      const location = recordUrl(type.name.toLowerCase(), result);
      if (typeof key === 'string') idempotency.set(key, location);
      return { status: 204, headers: { location } };
    }
    return nsError(405, 'INVALID_PARAMETER', `${method} is not supported on ${url.pathname}.`);
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? '127.0.0.1'}`);
    const method = req.method ?? 'GET';
    const entry: LoggedRequest = { at: Date.now(), method, path: url.pathname, query: url.search, status: 0 };
    requests.push(entry);
    const timing: RequestTiming = { arrived: performance.now(), replied: 0, answered: 0, status: 0 };
    timings.push(timing);
    stats.inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    res.on('close', () => {
      stats.inFlight -= 1;
      timing.answered = performance.now();
      timing.status = entry.status;
      if (entry.note) timing.note = entry.note;
    });
    const body = await readBody(req);
    // `latencyMs` is the server's whole time per request, its own processing included: an answer
    // goes out `latencyMs` after the request arrived (or later, if the work itself took longer).
    // Rendering the body to bytes is part of that processing, so it happens before the wait.
    const arrived = performance.now();
    const reply = async (r: Reply) => {
      const prepared = prepareReply(r);
      await waitUntil(arrived + latencyMs);
      entry.status = r.status;
      if (r.note) entry.note = r.note;
      timing.replied = performance.now();
      res.writeHead(prepared.status, prepared.headers);
      res.end(prepared.body);
    };
    if (stats.inFlight > limit) {
      stats.concurrencyRejections += 1;
      entry.status = 429;
      sendReply(res, nsError(429, 'CONCURRENCY_LIMIT_EXCEEDED', 'Concurrent request limit exceeded. Request blocked.'));
      return;
    }
    const fault = faults.take(url.pathname + url.search);
    if (fault) {
      if (latencyMs > 0) await sleep(latencyMs);
      entry.fault = fault.kind;
      if (fault.kind === 'rate-limit') {
        stats.concurrencyRejections += 1;
        await reply(nsError(429, 'CONCURRENCY_LIMIT_EXCEEDED', 'Concurrent request limit exceeded. Request blocked.'));
        return;
      }
      if (fault.kind === 'server-error') {
        await reply(nsError(fault.status ?? 503, 'UNEXPECTED_ERROR', 'An unexpected error occurred. Error ID: emu'));
        return;
      }
      const done = await applyTransportFault(fault, res, () => bodyText(route(method, url, req.headers, body)));
      if (done) {
        entry.status = -1;
        return;
      }
      if (res.destroyed) return;
    }
    if (url.pathname === '/services/rest/auth/oauth2/v1/token' && method === 'POST') {
      await reply(tokenEndpoint(body));
      return;
    }
    const denied = authenticate(method, url, req.headers.authorization, body);
    if (denied) {
      await reply(denied);
      return;
    }
    await reply(route(method, url, req.headers, body));
  }

  function route(method: string, url: URL, headers: http.IncomingHttpHeaders, body: string): Reply {
    if (url.pathname === '/services/rest/query/v1/suiteql') {
      if (method !== 'POST') return nsError(405, 'INVALID_PARAMETER', 'SuiteQL takes POST.');
      return suiteql(url, headers, body);
    }
    if (url.pathname.startsWith('/services/rest/record/v1/')) return records(method, url, headers, body);
    return nsError(404, 'NONEXISTENT_ID', `No service at ${url.pathname}.`);
  }

  const server: RunningServer = await startHttpServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendReply(res, nsError(500, 'UNEXPECTED_ERROR', String(error)));
    });
  }, options.port ?? 0);
  baseUrl = server.url;
  return {
    url: server.url,
    accountId,
    hooks,
    credentials: tba[0]!,
    data,
    faults,
    requests,
    timings,
    stats,
    db,
    suiteql: (query, limit = 1000, offset = 0) => {
      const url = new URL(`${baseUrl}/services/rest/query/v1/suiteql?limit=${limit}&offset=${offset}`);
      const r = suiteql(url, { prefer: 'transient' }, JSON.stringify({ q: query }));
      return { status: r.status, body: JSON.parse(bodyText(r)) };
    },
    close: async () => {
      await server.close();
      db.close();
    },
  };
}
