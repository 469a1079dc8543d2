import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLoopbackApisAllowed } from '../../../src/main/connectors/destination-policy';
import { ConcurrencyLimiter } from '../../../src/main/connectors/limiter';
import { MemoryRequestLog } from '../../../src/main/connectors/request-log';
import {
  parseLinkHeader,
  WoocommerceClient,
  woocommerceApiRoot,
} from '../../../src/main/connectors/woocommerce/client';
import { woocommerceCreateRefund } from '../../../src/main/connectors/woocommerce/refunds';
import { woocommerceRefundToRefund } from '../../../src/main/mapping/woocommerce';
import { pullWoocommerceSnapshot } from '../../../src/main/pull/woocommerce';
import { openWorkspace } from '../../../src/main/store/open';
import { readSnapshotRefunds } from '../../../src/main/store/refunds';
import { UserError } from '../../../src/shared/errors';
import { CanonicalRefund } from '../../../src/shared/model';
import { generateWooData, type Obj, type WooData } from '../../emulators/woocommerce/dataset';
import { startWooEmulator, type WooEmulator } from '../../emulators/woocommerce/server';

const data = generateWooData({ refunds: 260, seed: 31 });
const clone = (d: WooData): WooData => ({ ...structuredClone(d) });

/** Ground truth: every order's refunds (by id) mapped directly, no HTTP in between. */
function truth(d: WooData, orders: Obj[] = d.orders) {
  return JSON.parse(
    JSON.stringify(
      orders.flatMap((o) =>
        [...(d.refunds.get(Number(o.id)) ?? [])]
          .sort((a, b) => Number(a.id) - Number(b.id))
          .map((r) =>
            CanonicalRefund.parse(
              woocommerceRefundToRefund(r, {
                number: String(o.number),
                currency: String(o.currency),
                date: o.date_modified,
                paymentMethod: String(o.payment_method ?? ''),
              }),
            ),
          ),
      ),
    ),
  );
}
const expected = truth(data);

let emu: WooEmulator;
// The emulators listen on 127.0.0.1: loopback API destinations are allowed in this process, as
// REFUND_RECON_ALLOW_LOOPBACK_APIS=1 does for a process started with it (CLI children get the variable).
beforeAll(() => setLoopbackApisAllowed(true));
afterAll(() => setLoopbackApisAllowed(undefined));

beforeAll(async () => {
  emu = await startWooEmulator({ data: clone(data) });
});
afterAll(async () => {
  await emu?.close();
});

function client(e: WooEmulator, overrides: Partial<ConstructorParameters<typeof WoocommerceClient>[0]> = {}) {
  return new WoocommerceClient({
    url: e.url,
    consumerKey: e.consumerKey,
    consumerSecret: e.consumerSecret,
    limiter: new ConcurrencyLimiter(4),
    timeoutMs: 800,
    baseDelayMs: 5,
    maxDelayMs: 100,
    maxAttempts: 12,
    ...overrides,
  });
}

const count = (db: ReturnType<typeof openWorkspace>, table: string) =>
  (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('WooCommerce client against the emulator', () => {
  it('pulls every order refund (X-WP-TotalPages + Link paging), positive amounts, with provenance', async () => {
    emu.requests.length = 0;
    const db = openWorkspace(':memory:');
    const result = await pullWoocommerceSnapshot(db, client(emu), { perPage: 50 });
    const got = readSnapshotRefunds(db, result.snapshotId);
    expect(got).toEqual(expected);
    expect(got.every((r) => r.total >= 0 && r.lines.every((l) => l.amount >= 0 && l.quantity >= 0))).toBe(true);
    const ordersWithRefunds = data.orders.filter((o) => (o.refunds as unknown[]).length > 0).length;
    const orderPages = Math.ceil(data.orders.length / 50);
    expect(result.requests).toBe(orderPages + ordersWithRefunds);
    const snap = db.prepare('SELECT * FROM snapshots').get() as Record<string, unknown>;
    expect(snap.format).toBe('woocommerce-v3');
    expect(snap.request_count).toBe(result.requests);
    const provenance = JSON.parse(String(snap.provenance));
    expect(provenance.account).toBe(new URL(emu.url).host);
    expect(provenance.ordersListed).toBe(data.orders.length);
  });

  it('a date window lists only the orders created in it', async () => {
    const db = openWorkspace(':memory:');
    const result = await pullWoocommerceSnapshot(db, client(emu), {
      from: '2025-10-15',
      to: '2025-11-05',
      perPage: 20,
    });
    const inWindow = data.orders.filter((o) => {
      const d = String(o.date_created);
      return d > '2025-10-15T00:00:00' && d < '2025-11-06T00:00:00';
    });
    expect(inWindow.length).toBeGreaterThan(20);
    expect(readSnapshotRefunds(db, result.snapshotId)).toEqual(truth(data, inWindow));
    expect((db.prepare('SELECT query_window FROM snapshots').get() as { query_window: string }).query_window).toBe(
      '2025-10-15..2025-11-05',
    );
  });

  it('gets the same snapshot under 429 bursts, 5xx, slow, dropped, truncated and malformed answers', async () => {
    const faulty = await startWooEmulator({ data: clone(data), retryAfterS: 0.05 });
    try {
      faulty.faults.add(
        { kind: 'rate-limit', times: 3, after: 1 },
        { kind: 'server-error', status: 500, times: 1, after: 2 },
        { kind: 'server-error', status: 503, times: 2, after: 4 },
        { kind: 'slow', delayMs: 1500, times: 1, after: 5 },
        { kind: 'drop', times: 2, after: 7 },
        { kind: 'truncate', times: 2, after: 9 },
        { kind: 'malformed', times: 2, after: 11 },
        { kind: 'drop', times: 1, match: /\/orders\?.*page=3\b/ },
        { kind: 'malformed', times: 1, match: /\/orders\?.*page=5\b/ },
        { kind: 'truncate', times: 1, after: 3, match: /\/refunds\?/ },
      );
      const log = new MemoryRequestLog();
      const db = openWorkspace(':memory:');
      const result = await pullWoocommerceSnapshot(db, client(faulty, { log }), { perPage: 25 });
      expect(faulty.faults.pending).toBe(0);
      expect(readSnapshotRefunds(db, result.snapshotId)).toEqual(expected);
      expect(result.retries).toBeGreaterThanOrEqual(16);
      expect(log.entries.filter((e) => e.outcome === 'retry').length).toBe(result.retries);
      const logged = JSON.stringify(log.entries);
      expect(logged).not.toContain(faulty.consumerSecret);
      expect(logged).not.toContain(faulty.consumerKey);
    } finally {
      await faulty.close();
    }
  }, 20_000);

  it('refuses Basic auth over plain HTTP except to 127.0.0.1, and says why', () => {
    const make = (url: string) => () => new WoocommerceClient({ url, consumerKey: 'ck_x', consumerSecret: 'cs_y' });
    // 127.0.0.1 only with the loopback switch (on in this file; see beforeAll).
    expect(make('http://shop.example.com')).toThrow(/over plain HTTP: Basic authentication would expose them/);
    expect(make('http://localhost:8080')).toThrow(UserError);
    expect(make('https://shop.example.com/store/')).not.toThrow();
    expect(woocommerceApiRoot('https://shop.example.com/store/')).toBe('https://shop.example.com/store/wp-json/wc/v3');
    expect(woocommerceApiRoot('http://127.0.0.1:9999')).toBe('http://127.0.0.1:9999/wp-json/wc/v3');
    expect(make('https://ck:cs@shop.example.com')).toThrow(/user name or password/);
    expect(
      () =>
        new WoocommerceClient({
          url: 'http://127.0.0.1:9999',
          allowLoopback: false,
          consumerKey: 'k',
          consumerSecret: 's',
        }),
    ).toThrow(/REFUND_RECON_ALLOW_LOOPBACK_APIS=1/);
    expect(parseLinkHeader('<https://s/x?page=2>; rel="next", <https://s/x?page=9>; rel="last"')).toEqual({
      next: 'https://s/x?page=2',
      last: 'https://s/x?page=9',
    });
  });

  it('a wrong secret is refused in words (WordPress error body) and leaves no snapshot', async () => {
    const db = openWorkspace(':memory:');
    const error = await pullWoocommerceSnapshot(db, client(emu, { consumerSecret: 'cs_wrong_secret_value' })).catch(
      (e: unknown) => e,
    );
    expect((error as UserError).code).toBe('woocommerce_auth');
    expect((error as UserError).message).toMatch(
      /refused the consumer key and secret while listing orders \(HTTP 401 woocommerce_rest_authentication_error: Consumer secret is invalid\.\)/,
    );
    expect((error as UserError).message).not.toContain('cs_wrong_secret_value');
    expect(count(db, 'snapshots')).toBe(0);
  });

  it('a refund added to an order mid-pull stops the pull; a cancelled pull leaves no snapshot', async () => {
    const own = await startWooEmulator({ data: clone(data), latencyMs: 30 });
    try {
      const order = own.data.orders.find((o) => (o.refunds as unknown[]).length > 0)!;
      // The order summary says one more refund than its refunds list will hold.
      (order.refunds as Obj[]).push({ id: 1, reason: '', total: '-1.00' });
      const db = openWorkspace(':memory:');
      await expect(pullWoocommerceSnapshot(db, client(own))).rejects.toThrow(/changed while they were being pulled/);
      expect(count(db, 'snapshots')).toBe(0);
      (order.refunds as Obj[]).pop();

      const controller = new AbortController();
      setTimeout(() => controller.abort(), 100);
      await expect(
        pullWoocommerceSnapshot(db, client(own, { limiter: new ConcurrencyLimiter(1) }), {
          perPage: 10,
          signal: controller.signal,
        }),
      ).rejects.toThrow();
      expect(count(db, 'snapshots')).toBe(0);
      expect(count(db, 'refunds')).toBe(0);
    } finally {
      await own.close();
    }
  });

  it('refund create with refund_total per line; refusals worded; answered values negative', async () => {
    const own = await startWooEmulator({
      data: clone(data),
      keys: [
        { consumerKey: 'ck_rw', consumerSecret: 'cs_rw', permissions: 'read_write' },
        { consumerKey: 'ck_ro', consumerSecret: 'cs_ro', permissions: 'read' },
      ],
    });
    try {
      const rw = client(own, { consumerKey: 'ck_rw', consumerSecret: 'cs_rw' });
      const order = own.data.orders.find((o) => (o.refunds as unknown[]).length === 0)!;
      const line = (order.line_items as Obj[])[0]!;
      const refund = await woocommerceCreateRefund(rw, Number(order.id), {
        reason: 'sync test',
        api_refund: false,
        line_items: [
          {
            id: Number(line.id),
            quantity: 1,
            refund_total: Number(line.price),
            refund_tax: [{ id: 1, refund_total: 0.5 }],
          },
        ],
      });
      const l = (refund.line_items as Obj[])[0]!;
      expect(Number(l.total)).toBeLessThan(0);
      expect(l.quantity).toBe(-1);
      const mapped = woocommerceRefundToRefund(refund, { number: String(order.number), currency: 'USD' });
      expect(mapped.lines?.[0]?.amount).toBe(Math.round(Number(line.price) * 100));
      expect(mapped.lines?.[0]?.quantity).toBe(1);

      const tooMuch = await woocommerceCreateRefund(rw, Number(order.id), { amount: '99999.00' }).catch(
        (e: unknown) => e,
      );
      expect((tooMuch as UserError).code).toBe('woocommerce_refund_refused');
      expect((tooMuch as UserError).message).toMatch(
        /woocommerce_rest_cannot_create_order_refund: Invalid refund amount\./,
      );

      const ro = client(own, { consumerKey: 'ck_ro', consumerSecret: 'cs_ro' });
      const denied = await woocommerceCreateRefund(ro, Number(order.id), { amount: '1.00' }).catch((e: unknown) => e);
      expect((denied as UserError).code).toBe('woocommerce_permission');
      expect((denied as UserError).message).toMatch(/needs Read permission to pull, Read\/Write to create refunds/);

      const missing = await woocommerceCreateRefund(rw, 1, { amount: '1.00' }).catch((e: unknown) => e);
      expect((missing as UserError).message).toMatch(/HTTP 404 woocommerce_rest_shop_order_invalid_id: Invalid ID\./);
      expect(own.stats.refundsCreated).toBe(1);
    } finally {
      await own.close();
    }
  });
});
