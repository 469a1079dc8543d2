import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConcurrencyLimiter } from '../../../src/main/connectors/limiter';
import { ShopifyClient } from '../../../src/main/connectors/shopify/client';
import { shopifyRefundCreate } from '../../../src/main/connectors/shopify/refunds';
import { shopifyGraphqlOrderToRefunds } from '../../../src/main/importers/shopify-jsonl';
import { pullShopifyRefunds } from '../../../src/main/pull/shopify';
import { openWorkspace } from '../../../src/main/store/open';
import { readSnapshotRefunds } from '../../../src/main/store/snapshot-writer';
import { CanonicalRefund } from '../../../src/shared/model';
import { generateShopifyData } from '../../emulators/shopify/dataset';
import { type ShopifyEmulator, startShopifyEmulator } from '../../emulators/shopify/server';

const data = generateShopifyData({ refunds: 150, seed: 9 });
// Ground truth: the whole data set mapped directly, with no HTTP in between.
// (JSON round trip: the importer's mapper can produce -0 for a zero shipping tax; SQLite stores 0.)
const expected = JSON.parse(
  JSON.stringify(data.orders.flatMap((o) => shopifyGraphqlOrderToRefunds(o)).map((r) => CanonicalRefund.parse(r))),
);

let emu: ShopifyEmulator;
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
