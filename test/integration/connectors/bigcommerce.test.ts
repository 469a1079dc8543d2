import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BigcommerceClient } from '../../../src/main/connectors/bigcommerce/client';
import { bigcommerceCreateRefund, bigcommerceRefundQuote } from '../../../src/main/connectors/bigcommerce/refunds';
import { setLoopbackApisAllowed } from '../../../src/main/connectors/destination-policy';
import { ConcurrencyLimiter } from '../../../src/main/connectors/limiter';
import { MemoryRequestLog } from '../../../src/main/connectors/request-log';
import { bigcommerceRefundToRefund } from '../../../src/main/mapping/bigcommerce';
import { pullBigcommerceSnapshot } from '../../../src/main/pull/bigcommerce';
import { openWorkspace } from '../../../src/main/store/open';
import { readSnapshotRefunds } from '../../../src/main/store/refunds';
import { UserError } from '../../../src/shared/errors';
import { CanonicalRefund } from '../../../src/shared/model';
import { generateBigcommerceData, orderProductIndex } from '../../emulators/bigcommerce/dataset';
import { type BigcommerceEmulator, startBigcommerceEmulator } from '../../emulators/bigcommerce/server';

const data = generateBigcommerceData({ refunds: 230, seed: 21 });
// Ground truth: the emulator's refunds mapped directly, no HTTP in between (JSON round trip: -0 → 0),
// their product lines priced by the orders' products (issue 14 defect 6).
const products = orderProductIndex(data);
const truth = (refunds = data.refunds) =>
  JSON.parse(
    JSON.stringify(
      refunds.map((r) =>
        CanonicalRefund.parse(bigcommerceRefundToRefund(r, { currency: 'USD', orderProducts: products })),
      ),
    ),
  );
const expected = truth();

/** Order-product requests of a pull: one per order with product refunds, per page of refunds. */
function productRequests(pageSize: number, refunds = data.refunds): number {
  let n = 0;
  for (let start = 0; start < refunds.length; start += pageSize) {
    const orders = new Set<unknown>();
    for (const r of refunds.slice(start, start + pageSize)) {
      if ((r.items as Array<{ item_type: string }>).some((i) => i.item_type === 'PRODUCT')) orders.add(r.order_id);
    }
    n += orders.size;
  }
  return n;
}

let emu: BigcommerceEmulator;
// The emulators listen on 127.0.0.1: loopback API destinations are allowed in this process, as
// REFUND_RECON_ALLOW_LOOPBACK_APIS=1 does for a process started with it (CLI children get the variable).
beforeAll(() => setLoopbackApisAllowed(true));
afterAll(() => setLoopbackApisAllowed(undefined));

beforeAll(async () => {
  emu = await startBigcommerceEmulator({ data: structuredClone(data), quota: 1000, windowMs: 1000 });
});
afterAll(async () => {
  await emu?.close();
});

function client(e: BigcommerceEmulator, overrides: Partial<ConstructorParameters<typeof BigcommerceClient>[0]> = {}) {
  return new BigcommerceClient({
    storeHash: e.storeHash,
    baseUrl: e.apiUrl,
    accessToken: e.accessToken,
    limiter: new ConcurrencyLimiter(3),
    timeoutMs: 800,
    baseDelayMs: 5,
    maxDelayMs: 100,
    maxAttempts: 12,
    ...overrides,
  });
}

const count = (db: ReturnType<typeof openWorkspace>, table: string) =>
  (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('BigCommerce client against the emulator', () => {
  it('pulls every refund through meta.pagination, with provenance', async () => {
    const db = openWorkspace(':memory:');
    const result = await pullBigcommerceSnapshot(db, client(emu), { currency: 'USD', pageSize: 50 });
    expect(readSnapshotRefunds(db, result.snapshotId)).toEqual(expected);
    const snap = db.prepare('SELECT * FROM snapshots').get() as Record<string, unknown>;
    expect(snap.source).toBe('api');
    expect(snap.format).toBe('bigcommerce-v3');
    expect(snap.query_window).toBe('all');
    expect(snap.request_count).toBe(5 + productRequests(50));
    const provenance = JSON.parse(String(snap.provenance));
    expect(provenance.account).toBe(emu.storeHash);
    expect(provenance.requests).toBe(5 + productRequests(50));
    // Product refunds carry SKU and price from the order products: no invented `item:<id>` line.
    const lines = readSnapshotRefunds(db, result.snapshotId).flatMap((r) => r.lines);
    expect(lines.some((l) => l.role === 'item')).toBe(true);
    expect(lines.every((l) => !l.sku.startsWith('item:') && (l.role !== 'item' || l.amount > 0))).toBe(true);
    expect(provenance.refundsListed).toBe(230);
  });

  it('a created:min/max window selects the same refunds as the data set', async () => {
    const db = openWorkspace(':memory:');
    const from = '2025-10-20';
    const to = '2025-11-10';
    const result = await pullBigcommerceSnapshot(db, client(emu), { currency: 'USD', from, to, pageSize: 25 });
    const inWindow = data.refunds.filter((r) => {
      const t = Date.parse(String(r.created));
      return t >= Date.parse(`${from}T00:00:00Z`) && t <= Date.parse(`${to}T23:59:59Z`);
    });
    expect(inWindow.length).toBeGreaterThan(10);
    expect(readSnapshotRefunds(db, result.snapshotId)).toEqual(truth(inWindow));
    const snap = db.prepare('SELECT query_window FROM snapshots').get() as { query_window: string };
    expect(snap.query_window).toBe(`${from}..${to}`);
  });

  it('honours the quota headers: waits for the window instead of getting 429s', async () => {
    const tight = await startBigcommerceEmulator({ data: structuredClone(data), quota: 6, windowMs: 300 });
    try {
      const c = client(tight);
      const db = openWorkspace(':memory:');
      const result = await pullBigcommerceSnapshot(db, c, { currency: 'USD', pageSize: 10 });
      expect(readSnapshotRefunds(db, result.snapshotId)).toEqual(expected);
      expect(result.requests).toBe(23 + productRequests(10));
      expect(tight.stats.quotaRejections).toBe(0);
      expect(tight.stats.maxInWindow).toBeLessThanOrEqual(6);
      expect(c.quota.waits).toBeGreaterThan(0);
    } finally {
      await tight.close();
    }
  });

  it('gets the same snapshot under 429 bursts, 5xx, slow, dropped, truncated and malformed answers', async () => {
    const faulty = await startBigcommerceEmulator({ data: structuredClone(data), quota: 150, windowMs: 250 });
    try {
      faulty.faults.add(
        { kind: 'rate-limit', times: 2, after: 1 },
        { kind: 'server-error', status: 503, times: 2, after: 2 },
        { kind: 'server-error', status: 500, times: 1, after: 4 },
        { kind: 'slow', delayMs: 1500, times: 1, after: 5 },
        { kind: 'drop', times: 2, after: 6 },
        { kind: 'truncate', times: 2, after: 8 },
        { kind: 'malformed', times: 2, after: 10 },
        { kind: 'drop', times: 1, match: /page=4\b/ },
        { kind: 'malformed', times: 1, match: /page=9\b/ },
      );
      const log = new MemoryRequestLog();
      const db = openWorkspace(':memory:');
      const result = await pullBigcommerceSnapshot(db, client(faulty, { log }), { currency: 'USD', pageSize: 20 });
      expect(faulty.faults.pending).toBe(0);
      expect(readSnapshotRefunds(db, result.snapshotId)).toEqual(expected);
      expect(result.retries).toBeGreaterThanOrEqual(14);
      expect(log.entries.filter((e) => e.outcome === 'retry').length).toBe(result.retries);
      expect(JSON.stringify(log.entries)).not.toContain(faulty.accessToken);
    } finally {
      await faulty.close();
    }
  }, 20_000);

  it('a wrong token is refused in words and leaves no snapshot', async () => {
    const db = openWorkspace(':memory:');
    const error = await pullBigcommerceSnapshot(db, client(emu, { accessToken: 'wrong-token-value' }), {
      currency: 'USD',
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('bigcommerce_auth');
    expect((error as UserError).message).toMatch(
      /refused the access token while listing refunds \(HTTP 401: The X-Auth-Token/,
    );
    expect(count(db, 'snapshots')).toBe(0);
  });

  it('a cancelled pull leaves no snapshot', async () => {
    const slow = await startBigcommerceEmulator({ data: structuredClone(data), latencyMs: 60 });
    try {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 150);
      const db = openWorkspace(':memory:');
      await expect(
        pullBigcommerceSnapshot(db, client(slow, { limiter: new ConcurrencyLimiter(1) }), {
          currency: 'USD',
          pageSize: 10,
          signal: controller.signal,
        }),
      ).rejects.toThrow();
      expect(count(db, 'snapshots')).toBe(0);
      expect(count(db, 'refunds')).toBe(0);
    } finally {
      await slow.close();
    }
  });

  it('refund quote, then refund create with the quoted amount; its 422 rules worded', async () => {
    const own = await startBigcommerceEmulator({ data: structuredClone(data) });
    try {
      const c = client(own);
      const order = own.data.orders.find(
        (o) => o.customer_id === 0 && o.products.some((p) => p.refunded < p.quantity),
      )!;
      const product = order.products.find((p) => p.refunded < p.quantity)!;
      const items = [{ item_type: 'PRODUCT' as const, item_id: product.id, quantity: 1 }];
      const quote = await bigcommerceRefundQuote(c, order.id, items);
      expect(quote.order_id).toBe(order.id);
      const method = quote.refund_methods[0]![0]!;
      expect(method.amount).toBe(quote.total_refund_amount);

      const mismatch = await bigcommerceCreateRefund(c, order.id, {
        items,
        payments: [{ provider_id: method.provider_id, amount: method.amount + 1, offline: false }],
      }).catch((e: unknown) => e);
      expect((mismatch as UserError).code).toBe('bigcommerce_http');
      expect((mismatch as UserError).message).toMatch(
        /refused creating a refund on order \d+ \(HTTP 422: The payment amount .* does not equal the refund method amount/,
      );

      const guest = await bigcommerceCreateRefund(c, order.id, {
        items,
        payments: [{ provider_id: 'storecredit', amount: method.amount, offline: false }],
      }).catch((e: unknown) => e);
      expect((guest as UserError).message).toMatch(/HTTP 422: Unable to provide store credit for a guest customer\./);

      const invalid = await bigcommerceCreateRefund(c, order.id, { items: [], payments: [] }).catch((e: unknown) => e);
      expect((invalid as UserError).message).toMatch(
        /HTTP 422: JSON data is missing or invalid; items: items must be a non-empty array/,
      );

      const before = own.data.refunds.length;
      const refund = await bigcommerceCreateRefund(c, order.id, {
        items,
        payments: [{ provider_id: method.provider_id, amount: method.amount, offline: method.offline }],
      });
      expect(refund.order_id).toBe(order.id);
      expect(own.data.refunds.length).toBe(before + 1);
      // Sent once: a create is not retried on an ambiguous failure.
      expect(own.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/refunds')).length).toBe(4);
    } finally {
      await own.close();
    }
  });

  it('503 with the wrapped body is worded after retries run out', async () => {
    const own = await startBigcommerceEmulator({ data: structuredClone(data) });
    try {
      own.faults.add({ kind: 'server-error', status: 503, times: 3 });
      const error = await pullBigcommerceSnapshot(openWorkspace(':memory:'), client(own, { maxAttempts: 3 }), {
        currency: 'USD',
      }).catch((e: unknown) => e);
      expect((error as UserError).message).toMatch(/HTTP 503: Tax service gone away \(order 0\)/);
    } finally {
      await own.close();
    }
  });
});
