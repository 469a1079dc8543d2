import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLoopbackApisAllowed } from '../../../src/main/connectors/destination-policy';
import { ConcurrencyLimiter } from '../../../src/main/connectors/limiter';
import { ShopifyClient } from '../../../src/main/connectors/shopify/client';
import { ORDERS_WITH_REFUNDS } from '../../../src/main/connectors/shopify/queries';
import { shopifyRefundCreate } from '../../../src/main/connectors/shopify/refunds';
import { shopifyGraphqlOrderToRefunds } from '../../../src/main/importers/shopify-jsonl';
import { shopifyOrderToRefunds } from '../../../src/main/mapping/shopify';
import { pullShopifyRefunds } from '../../../src/main/pull/shopify';
import { openWorkspace } from '../../../src/main/store/open';
import { readSnapshotRefunds } from '../../../src/main/store/refunds';
import { CanonicalRefund } from '../../../src/shared/model';
import { rng } from '../../emulators/common/random';
import { generateShopifyData, makeRefund } from '../../emulators/shopify/dataset';
import { demoShopifyData, demoShopifyOrdersFile } from '../../emulators/shopify/from-rest';
import { type ShopifyEmulator, startShopifyEmulator } from '../../emulators/shopify/server';

const data = generateShopifyData({ refunds: 150, seed: 9 });
// Ground truth: the whole data set mapped directly, with no HTTP in between.
// (JSON round trip: the importer's mapper can produce -0 for a zero shipping tax; SQLite stores 0.)
const expected = JSON.parse(
  JSON.stringify(data.orders.flatMap((o) => shopifyGraphqlOrderToRefunds(o)).map((r) => CanonicalRefund.parse(r))),
);

let emu: ShopifyEmulator;
// The emulators listen on 127.0.0.1: loopback API destinations are allowed in this process, as
// REFUND_RECON_ALLOW_LOOPBACK_APIS=1 does for a process started with it (CLI children get the variable).
beforeAll(() => setLoopbackApisAllowed(true));
afterAll(() => setLoopbackApisAllowed(undefined));

beforeAll(async () => {
  emu = await startShopifyEmulator({ data, bucketSize: 1000, restoreRate: 2000 });
});
afterAll(async () => {
  await emu?.close();
});

function client(overrides: Partial<ConstructorParameters<typeof ShopifyClient>[0]> = {}) {
  return new ShopifyClient({
    baseUrl: emu.url,
    accessToken: emu.accessToken,
    limiter: new ConcurrencyLimiter(2),
    baseDelayMs: 5,
    maxDelayMs: 100,
    maxAttempts: 20,
    timeoutMs: 1000,
    ...overrides,
  });
}

describe('Shopify client against the emulator', () => {
  it('pulls every refund by cursor paging, within the cost limits', async () => {
    const db = openWorkspace(':memory:');
    const c = client();
    const result = await pullShopifyRefunds(db, c);
    expect(readSnapshotRefunds(db, result.snapshotId)).toEqual(expected);
    const snap = db.prepare('SELECT * FROM snapshots').get() as Record<string, unknown>;
    expect(snap.request_count).toBe(result.requests);
    expect(JSON.parse(String(snap.provenance)).pointsUsed).toBe(c.pointsUsed);
  });

  it('gets the same snapshot under THROTTLED (200 and 429), 5xx, slow, dropped, truncated and malformed answers', async () => {
    const small = await startShopifyEmulator({ data, bucketSize: 1000, restoreRate: 4000 });
    try {
      small.faults.add(
        { kind: 'rate-limit', times: 2, after: 1 },
        { kind: 'server-error', status: 502, times: 1, after: 3 },
        { kind: 'server-error', status: 503, times: 1, after: 5 },
        { kind: 'slow', delayMs: 1500, times: 1, after: 6 },
        { kind: 'drop', times: 1, after: 8 },
        { kind: 'truncate', times: 1, after: 9 },
        { kind: 'malformed', times: 1, after: 10 },
      );
      const c = new ShopifyClient({
        baseUrl: small.url,
        accessToken: small.accessToken,
        limiter: new ConcurrencyLimiter(2),
        baseDelayMs: 5,
        maxDelayMs: 50,
        maxAttempts: 20,
        timeoutMs: 1000,
      });
      const db = openWorkspace(':memory:');
      // Spend the bucket first so the server also answers THROTTLED with HTTP 200.
      const result = await pullShopifyRefunds(db, c, { pageSize: 7 });
      expect(small.faults.pending).toBe(0);
      expect(readSnapshotRefunds(db, result.snapshotId)).toEqual(expected);
      expect(result.retries).toBeGreaterThanOrEqual(8);
    } finally {
      await small.close();
    }
  });

  it('waits for the bucket instead of being throttled (cost-based throttling)', async () => {
    const tight = await startShopifyEmulator({ data, bucketSize: 1000, restoreRate: 5000 });
    try {
      const c = new ShopifyClient({ baseUrl: tight.url, accessToken: tight.accessToken, baseDelayMs: 5 });
      const db = openWorkspace(':memory:');
      await pullShopifyRefunds(db, c);
      const throttledAnswers = tight.requests.filter((r) => r.note === 'THROTTLED').length;
      expect(throttledAnswers).toBeLessThanOrEqual(1);
    } finally {
      await tight.close();
    }
  });

  it('bulk operation: start, poll, download JSONL, import it', async () => {
    const db = openWorkspace(':memory:');
    const result = await pullShopifyRefunds(db, client(), { bulk: true });
    expect(readSnapshotRefunds(db, result.snapshotId)).toEqual(expected);
    expect(emu.stats.bulkRuns).toBe(1);
  });

  it('a wrong token is refused in words and leaves no snapshot', async () => {
    const db = openWorkspace(':memory:');
    await expect(pullShopifyRefunds(db, client({ accessToken: 'shpat_wrong' }))).rejects.toThrow(
      /Shopify refused the access token \(HTTP 401\)/,
    );
    expect(db.prepare('SELECT COUNT(*) AS n FROM snapshots').get()).toEqual({ n: 0 });
  });

  it('refundCreate with an idempotency key creates one refund however often it is sent', async () => {
    const c = client();
    const order = data.orders[0]!;
    const input = {
      orderId: order.id,
      note: 'sync test',
      transactions: [{ orderId: order.id, amount: '5.00', kind: 'REFUND', gateway: 'bogus' }],
    };
    const before = (order.refunds as unknown[]).length;
    const a = await shopifyRefundCreate(c, input, 'ns-cashrefund-4711');
    const b = await shopifyRefundCreate(c, input, 'ns-cashrefund-4711');
    expect(a.userErrors).toEqual([]);
    expect(b.refundId).toBe(a.refundId);
    expect((order.refunds as unknown[]).length).toBe(before + 1);
    const bad = await shopifyRefundCreate(c, { ...input, orderId: 'gid://shopify/Order/1' }, 'k2');
    expect(bad.refundId).toBeNull();
    expect(bad.userErrors[0]?.message).toBe('Order does not exist');
  });
});

describe('Shopify emulator serving the demo workspace', () => {
  it('a pull from the emulator reproduces the demo import (resources/demo/shopify-orders.json)', async () => {
    const demo = demoShopifyData();
    const demoEmu = await startShopifyEmulator({ data: demo, restoreRate: 5000 });
    try {
      const db = openWorkspace(':memory:');
      const c = new ShopifyClient({ baseUrl: demoEmu.url, accessToken: demoEmu.accessToken, baseDelayMs: 5 });
      const result = await pullShopifyRefunds(db, c);
      const rest = JSON.parse(fs.readFileSync(demoShopifyOrdersFile(), 'utf8')) as {
        orders: Record<string, unknown>[];
      };
      const imported = rest.orders.flatMap((o) => shopifyOrderToRefunds(o)).map((r) => CanonicalRefund.parse(r));
      const byId = (list: { id: string }[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
      expect(byId(readSnapshotRefunds(db, result.snapshotId))).toEqual(byId(JSON.parse(JSON.stringify(imported))));
      expect(result.refunds).toBe(demo.refundCount);
    } finally {
      await demoEmu.close();
    }
  });

  it('THROTTLED as HTTP 200 (bucket short) is waited out and retried by the client', async () => {
    const own = await startShopifyEmulator({ data, bucketSize: 1000, restoreRate: 400 });
    try {
      const a = new ShopifyClient({ baseUrl: own.url, accessToken: own.accessToken, baseDelayMs: 5 });
      const b = new ShopifyClient({ baseUrl: own.url, accessToken: own.accessToken, baseDelayMs: 5 });
      const variables = { first: 7, after: null, query: null };
      await a.graphql(ORDERS_WITH_REFUNDS, variables, { costKey: 'orders' });
      // b has not learned the query's cost, so it sends at once: the bucket is short → THROTTLED 200.
      const result = await b.graphql<{ orders: { nodes: unknown[] } }>(ORDERS_WITH_REFUNDS, variables, {
        costKey: 'orders',
      });
      expect(result.data.orders.nodes).toHaveLength(7);
      const throttled = own.requests.filter((r) => r.note === 'THROTTLED');
      expect(throttled.length).toBeGreaterThanOrEqual(1);
      expect(throttled.every((r) => r.status === 200)).toBe(true);
      expect(b.http.stats.throttled).toBe(throttled.length);
      expect(b.http.stats.retries).toBe(throttled.length);
      expect(b.http.stats.byStatus['200']).toBe(throttled.length + 1);
    } finally {
      await own.close();
    }
  });
});

describe('Shopify refunds larger than one orders page', () => {
  it('fetches the extra refunds of an order and the extra pages of nested lists, nothing refused', async () => {
    const big = generateShopifyData({ refunds: 40, seed: 12 });
    const random = rng(99);
    const order = big.orders[2]!;
    const refunds = order.refunds as Record<string, unknown>[];
    for (let i = 0; i < 8; i++) {
      refunds.push(makeRefund(random, 990_100 + i, `2025-10-0${(i % 9) + 1}T09:00:00Z`, 'USD', undefined));
    }
    // One refund with 270 line items (two pages after the first), 9 transactions and 7 adjustments.
    const target = refunds[6]!;
    const grow = (key: string, count: number) => {
      const list = (target[key] as { nodes: Record<string, unknown>[] }).nodes;
      const model = list[0] ?? (refunds[0]![key] as { nodes: Record<string, unknown>[] }).nodes[0]!;
      for (let i = list.length; i < count; i++)
        list.push({ ...model, id: `gid://shopify/${key}/${i}-${String(target.id)}` });
    };
    grow('refundLineItems', 270);
    grow('transactions', 9);
    grow('orderAdjustments', 7);
    const truth = JSON.parse(
      JSON.stringify(big.orders.flatMap((o) => shopifyGraphqlOrderToRefunds(o)).map((r) => CanonicalRefund.parse(r))),
    );
    const own = await startShopifyEmulator({ data: big, restoreRate: 20_000 });
    try {
      const db = openWorkspace(':memory:');
      const c = new ShopifyClient({ baseUrl: own.url, accessToken: own.accessToken, baseDelayMs: 5 });
      const result = await pullShopifyRefunds(db, c);
      expect(readSnapshotRefunds(db, result.snapshotId)).toEqual(truth);
      const ops = own.requests.map((r) => r.note ?? '');
      expect(ops.filter((n) => n.startsWith('cost')).length).toBe(result.requests);
      const pulled = readSnapshotRefunds(db, result.snapshotId).find((r) => r.id === String(target.legacyResourceId));
      expect(pulled?.lines.filter((l) => l.role === 'item')).toHaveLength(270);
      expect(result.refunds).toBe(48);
    } finally {
      await own.close();
    }
  });
});
