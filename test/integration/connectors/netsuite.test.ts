import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLoopbackApisAllowed } from '../../../src/main/connectors/destination-policy';
import { ConcurrencyLimiter } from '../../../src/main/connectors/limiter';
import { NetsuiteClient } from '../../../src/main/connectors/netsuite/client';
import { MemoryRequestLog } from '../../../src/main/connectors/request-log';
import { pullNetsuiteRefunds } from '../../../src/main/pull/netsuite';
import { openWorkspace } from '../../../src/main/store/open';
import { readSnapshotRefunds } from '../../../src/main/store/refunds';
import { UserError } from '../../../src/shared/errors';
import { CanonicalRefund } from '../../../src/shared/model';
import { generateNetsuiteData } from '../../emulators/netsuite/dataset';
import { demoNetsuiteData } from '../../emulators/netsuite/from-refunds';
import { DEFAULT_TBA, type NetsuiteEmulator, startNetsuiteEmulator } from '../../emulators/netsuite/server';

const data = generateNetsuiteData({ refunds: 400, seed: 11 });
const expected = data.expected.map((r) => CanonicalRefund.parse(r));
const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PRIVATE_PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const PUBLIC_PEM = publicKey.export({ type: 'spki', format: 'pem' }).toString();

let emu: NetsuiteEmulator;

// The emulators listen on 127.0.0.1: loopback API destinations are allowed in this process, as
// REFUND_RECON_ALLOW_LOOPBACK_APIS=1 does for a process started with it (CLI children get the variable).
beforeAll(() => setLoopbackApisAllowed(true));
afterAll(() => setLoopbackApisAllowed(undefined));

beforeAll(async () => {
  emu = await startNetsuiteEmulator({
    data,
    concurrencyLimit: 5,
    oauth2: [{ clientId: 'emu-client', certificateId: 'cert-1', publicKey: PUBLIC_PEM }],
  });
});
afterAll(async () => {
  await emu?.close();
});

function client(overrides: Partial<ConstructorParameters<typeof NetsuiteClient>[0]> = {}) {
  return new NetsuiteClient({
    accountId: emu.accountId,
    baseUrl: emu.url,
    auth: { kind: 'tba', ...DEFAULT_TBA },
    limiter: new ConcurrencyLimiter(5),
    timeoutMs: 1500,
    baseDelayMs: 5,
    maxDelayMs: 100,
    maxAttempts: 10,
    ...overrides,
  });
}

async function pull(c: NetsuiteClient, signal?: AbortSignal) {
  const db = openWorkspace(':memory:');
  const result = await pullNetsuiteRefunds(db, c, {
    maxWindowRows: 300,
    pageSize: 50,
    ...(signal ? { signal } : {}),
  });
  return { db, result };
}

describe('NetSuite client against the emulator', () => {
  it('pulls every refund record exactly, over several id windows', async () => {
    emu.requests.length = 0;
    const { db, result } = await pull(client());
    const got = readSnapshotRefunds(db, result.snapshotId);
    expect(got).toEqual(expected);
    const snap = db.prepare('SELECT * FROM snapshots WHERE id = ?').get(result.snapshotId) as Record<string, unknown>;
    expect(snap.source).toBe('api');
    expect(snap.query_window).toBe('all');
    expect(snap.request_count).toBe(result.requests);
    const provenance = JSON.parse(String(snap.provenance));
    expect(provenance.account).toBe('1234567_SB1');
    expect(provenance.requests).toBe(result.requests);
    expect(emu.requests.filter((r) => r.note?.startsWith('histogram') || r.path.endsWith('suiteql')).length).toBe(
      result.requests,
    );
    expect(emu.stats.concurrencyRejections).toBe(0);
  });

  it('gets the same snapshot whatever faults are injected', async () => {
    emu.faults.add(
      { kind: 'rate-limit', times: 6, after: 2 },
      { kind: 'server-error', status: 503, times: 2, after: 5 },
      { kind: 'server-error', status: 500, times: 1, after: 9 },
      { kind: 'slow', delayMs: 2500, times: 1, after: 4 },
      { kind: 'drop', times: 2, after: 7 },
      { kind: 'truncate', times: 2, after: 3 },
      { kind: 'malformed', times: 2, after: 1 },
      // And in the middle of the page fetches.
      { kind: 'drop', times: 1, after: 4, match: /offset=100\b/ },
      { kind: 'malformed', times: 1, after: 2, match: /offset=150\b/ },
      { kind: 'rate-limit', times: 3, after: 1, match: /offset=200\b/ },
    );
    const log = new MemoryRequestLog();
    const { db, result } = await pull(client({ log, maxAttempts: 30 }));
    expect(emu.faults.pending).toBe(0);
    expect(readSnapshotRefunds(db, result.snapshotId)).toEqual(expected);
    expect(result.retries).toBeGreaterThanOrEqual(16);
    expect(log.entries.filter((e) => e.outcome === 'retry').length).toBe(result.retries);
  }, 30_000);

  it('threaded fetch (HTTP in a worker, parsing here): same snapshot under every fault, stats and log merged', async () => {
    emu.faults.add(
      { kind: 'rate-limit', times: 4, after: 2 },
      { kind: 'server-error', status: 503, times: 2, after: 5 },
      { kind: 'slow', delayMs: 2500, times: 1, after: 4 },
      { kind: 'drop', times: 2, after: 7 },
      { kind: 'truncate', times: 2, after: 3 },
      { kind: 'malformed', times: 1, after: 1 },
      { kind: 'malformed', times: 2, after: 2, match: /offset=150\b/ },
      { kind: 'drop', times: 1, after: 4, match: /offset=100\b/ },
    );
    const log = new MemoryRequestLog();
    const before = emu.requests.length;
    const db = openWorkspace(':memory:');
    const result = await pullNetsuiteRefunds(db, client({ log, maxAttempts: 30 }), {
      maxWindowRows: 300,
      pageSize: 50,
      thread: true,
      threadFetchesAll: true,
    });
    expect(emu.faults.pending).toBe(0);
    expect(readSnapshotRefunds(db, result.snapshotId)).toEqual(expected);
    expect(result.retries).toBeGreaterThanOrEqual(15);
    expect(log.entries.filter((e) => e.outcome === 'retry').length).toBe(result.retries);
    expect(result.requests).toBe(emu.requests.length - before);
    expect(JSON.stringify(log.entries)).not.toContain(DEFAULT_TBA.tokenSecret);
  }, 30_000);

  it('threaded fetch: a cancelled pull leaves no snapshot; the error of the worker comes back worded', async () => {
    const controller = new AbortController();
    emu.faults.add({ kind: 'slow', delayMs: 400, times: 3, after: 3 });
    setTimeout(() => controller.abort(), 150);
    const db = openWorkspace(':memory:');
    await expect(
      pullNetsuiteRefunds(db, client(), {
        signal: controller.signal,
        pageSize: 50,
        maxWindowRows: 300,
        thread: true,
        threadFetchesAll: true,
      }),
    ).rejects.toThrow();
    expect(db.prepare('SELECT COUNT(*) AS n FROM snapshots').get()).toEqual({ n: 0 });
    emu.faults.clear();
    // The plan is made in this thread; the worker's error comes back as the same UserError.
    emu.faults.add({ kind: 'server-error', status: 500, times: 40, after: 2 });
    const error = await pullNetsuiteRefunds(db, client({ maxAttempts: 2 }), {
      pageSize: 50,
      maxWindowRows: 300,
      thread: true,
      threadFetchesAll: true,
    }).catch((e: unknown) => e);
    emu.faults.clear();
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toMatch(/UNEXPECTED_ERROR/);
    expect(db.prepare('SELECT COUNT(*) AS n FROM snapshots').get()).toEqual({ n: 0 });
  }, 30_000);

  it('answers a concurrency limit lower than the client limit with backoff, not failure', async () => {
    const slow = await startNetsuiteEmulator({ data, concurrencyLimit: 3, latencyMs: 20 });
    try {
      const c = new NetsuiteClient({
        accountId: slow.accountId,
        baseUrl: slow.url,
        auth: { kind: 'tba', ...DEFAULT_TBA },
        limiter: new ConcurrencyLimiter(8),
        baseDelayMs: 5,
        maxAttempts: 20,
      });
      const db = openWorkspace(':memory:');
      const result = await pullNetsuiteRefunds(db, c, { maxWindowRows: 300, pageSize: 50 });
      expect(readSnapshotRefunds(db, result.snapshotId)).toEqual(expected);
      expect(slow.stats.concurrencyRejections).toBeGreaterThan(0);
      expect(result.throttled).toBe(slow.stats.concurrencyRejections);
    } finally {
      await slow.close();
    }
  });

  it('a wrong TBA signature is 401 INVALID_LOGIN, reported in words, and leaves no snapshot', async () => {
    const bad = client({ auth: { kind: 'tba', ...DEFAULT_TBA, tokenSecret: 'wrong-secret-value' } });
    const db = openWorkspace(':memory:');
    const error = await pullNetsuiteRefunds(db, bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('netsuite_invalid_login');
    expect((error as UserError).message).toMatch(/Invalid login attempt.*INVALID_LOGIN, HTTP 401/);
    expect((error as UserError).message).not.toContain('wrong-secret-value');
    expect(db.prepare('SELECT COUNT(*) AS n FROM snapshots').get()).toEqual({ n: 0 });
  });

  it('a cancelled pull leaves no snapshot', async () => {
    const controller = new AbortController();
    emu.faults.add({ kind: 'slow', delayMs: 400, times: 3, after: 3 });
    setTimeout(() => controller.abort(), 150);
    const db = openWorkspace(':memory:');
    await expect(
      pullNetsuiteRefunds(db, client(), { signal: controller.signal, pageSize: 50, maxWindowRows: 300 }),
    ).rejects.toThrow();
    expect(db.prepare('SELECT COUNT(*) AS n FROM snapshots').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM refunds').get()).toEqual({ n: 0 });
    emu.faults.clear();
  });

  it('OAuth 2.0 client credentials: PS256 assertion, token cached', async () => {
    const c = client({
      auth: { kind: 'oauth2', clientId: 'emu-client', certificateId: 'cert-1', privateKey: PRIVATE_PEM },
    });
    const { db, result } = await pull(c);
    expect(readSnapshotRefunds(db, result.snapshotId)).toEqual(expected);
    expect(emu.requests.filter((r) => r.path.endsWith('/oauth2/v1/token')).length).toBeGreaterThanOrEqual(1);
    const tokenCalls = emu.requests.filter((r) => r.path.endsWith('/oauth2/v1/token')).length;
    await c.getRecord('cashRefund', expected.find((r) => r.recordType === 'cashRefund')!.id);
    expect(emu.requests.filter((r) => r.path.endsWith('/oauth2/v1/token')).length).toBe(tokenCalls);
  });

  it('OAuth 2.0 with a key that does not match the certificate is refused in words', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
    const c = client({
      auth: { kind: 'oauth2', clientId: 'emu-client', certificateId: 'cert-1', privateKey: other.toString() },
    });
    await expect(c.getRecord('cashRefund', '1')).rejects.toThrow(/refused the OAuth 2.0 client credentials/);
  });

  it('reads a record with expandSubResources, creates (204 + Location) and upserts by External ID', async () => {
    const c = client();
    const first = expected.find((r) => r.recordType === 'cashRefund' && r.lines.length > 0)!;
    const record = await c.getRecord('cashRefund', first.id, { expandSubResources: true });
    expect(record.tranId).toBe(first.documentNumber);
    expect((record.item as { items: unknown[] }).items).toHaveLength(first.lines.length);
    const body = {
      externalId: 'shopify-refund-test-1',
      entity: { id: '107' },
      tranDate: '2026-01-15',
      currency: { id: '1' },
      memo: 'Refund for #1001',
      item: { items: [{ item: { id: '100' }, quantity: 1, rate: 19.99, amount: 19.99 }] },
    };
    const created = await c.createRecord('cashRefund', body);
    expect(created.location).toBe(`${emu.url}/services/rest/record/v1/cashrefund/${created.id}`);
    const upserted = await c.upsertByExternalId('cashRefund', 'shopify-refund-test-1', { ...body, memo: 'changed' });
    expect(upserted.id).toBe(created.id);
    const again = await c.getRecord('cashRefund', 'eid:shopify-refund-test-1');
    expect(again.memo).toBe('changed');
    const fresh = await c.upsertByExternalId('cashRefund', 'shopify-refund-test-2', body);
    expect(fresh.id).not.toBe(created.id);
    const dup = await c.createRecord('cashRefund', body).catch((e: unknown) => e);
    expect((dup as UserError).message).toMatch(
      /This entity already exists\. \(field externalId\) \[USER_ERROR, HTTP 400\]/,
    );
    const invalid = await c
      .createRecord('cashRefund', {
        ...body,
        externalId: 'x3',
        item: { items: [{ item: { id: '9999' }, quantity: 1, amount: 1 }] },
      })
      .catch((e: unknown) => e);
    expect((invalid as UserError).message).toMatch(
      /Invalid Field Value 9999 for the following field: item \(field item.items\[0\].item\)/,
    );
    expect((invalid as UserError).location).toEqual({ field: 'item.items[0].item' });
  });

  it('the emulator enforces limit ≤ 1000, offset multiples and Prefer: transient', async () => {
    const c = client();
    await expect(c.suiteql('SELECT id FROM transaction', { limit: 10, offset: 15 })).rejects.toThrow(
      /offset 15 must be a multiple of the limit 10/,
    );
    const page = await c.suiteql("SELECT t.id, t.tranid FROM transaction t WHERE t.type = 'CashRfnd' ORDER BY t.id", {
      limit: 5,
    });
    expect(page.items).toHaveLength(5);
    expect(page.hasMore).toBe(true);
    expect(page.items[0]).toHaveProperty('links');
  });

  it('pages through at most 100,000 rows: the emulator cap answers with an error the client words', async () => {
    const small = await startNetsuiteEmulator({ data, maxRows: 100 });
    try {
      const c = new NetsuiteClient({
        accountId: small.accountId,
        baseUrl: small.url,
        auth: { kind: 'tba', ...DEFAULT_TBA },
        limiter: new ConcurrencyLimiter(5),
        baseDelayMs: 5,
      });
      const rows: unknown[] = [];
      const all = async () => {
        for await (const row of c.suiteqlAll('SELECT t.id FROM transaction t ORDER BY t.id', { limit: 50 }))
          rows.push(row);
      };
      await expect(all()).rejects.toThrow(/returns 755 rows, more than the 100,000 NetSuite pages through/);
      // The windowed pull stays under the cap.
      const db = openWorkspace(':memory:');
      const result = await pullNetsuiteRefunds(db, c, { maxWindowRows: 100, pageSize: 50 });
      expect(readSnapshotRefunds(db, result.snapshotId)).toEqual(expected);
    } finally {
      await small.close();
    }
  });
});

describe('NetSuite emulator serving the demo workspace', () => {
  it('a pull reproduces the demo saved search (header fields, lines, tax; line tax as tax lines)', async () => {
    const { data: demo, imported } = await demoNetsuiteData();
    const demoEmu = await startNetsuiteEmulator({ data: demo });
    try {
      const db = openWorkspace(':memory:');
      const c = new NetsuiteClient({
        accountId: demoEmu.accountId,
        baseUrl: demoEmu.url,
        auth: { kind: 'tba', ...DEFAULT_TBA },
        limiter: new ConcurrencyLimiter(5),
      });
      const result = await pullNetsuiteRefunds(db, c);
      const pulled = readSnapshotRefunds(db, result.snapshotId);
      // Tenders too: the saved search's Status column (Fully Applied memos → an unexplained
      // `applied` part, tenders.md §1.4) is the pull's `t.status` (CustCred:B).
      expect(pulled).toEqual(demo.expected.map((r) => CanonicalRefund.parse(r)));
      const shared = (r: CanonicalRefund) => ({
        ...r,
        adjustment: 0,
        kind: null,
        lines: r.lines.map((l) => ({ ...l, tax: 0 })),
        // The saved search has no balance column; the pull derives it from the status.
        amountRemaining: null,
      });
      expect(pulled.map(shared)).toEqual(imported.map(shared));
      expect(pulled.length).toBe(imported.length);
    } finally {
      await demoEmu.close();
    }
  });
});
