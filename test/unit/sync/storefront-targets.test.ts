import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BigcommerceClient } from '../../../src/main/connectors/bigcommerce/client';
import { bigcommerceCreateRefund } from '../../../src/main/connectors/bigcommerce/refunds';
import type { Clock } from '../../../src/main/connectors/clock';
import { setLoopbackApisAllowed } from '../../../src/main/connectors/destination-policy';
import { buildStorefrontRequest } from '../../../src/main/sync/builders/storefront-request';
import type { JournalEntry } from '../../../src/main/sync/journal';
import { journalRowsFor } from '../../../src/main/sync/plan';
import { BigcommerceTarget } from '../../../src/main/sync/targets/bigcommerce-target';
import { classify, settleInFlight } from '../../../src/main/sync/targets/read-back';
import { storefrontTargetFor } from '../../../src/main/sync/targets/storefront-connections';
import { PushSendError } from '../../../src/main/sync/targets/target';
import { UserError } from '../../../src/shared/errors';
import { startBigcommerceEmulator } from '../../emulators/bigcommerce/server';
import { OPTIONS } from '../../fixtures/sync/refunds';
import { bigcommercePushSet } from '../../fixtures/sync/storefront-push';

beforeAll(() => {
  process.env.REFUND_RECON_ALLOW_LOOPBACK_APIS = '1';
  setLoopbackApisAllowed(undefined);
});
afterAll(() => setLoopbackApisAllowed(undefined));

function entryFor(set: ReturnType<typeof bigcommercePushSet>, index: number, extra: Partial<JournalEntry> = {}) {
  const record = set.records[index]!;
  const ctx = set.contexts.find((c) => c.orderRef === record.orderRef)!;
  const build = buildStorefrontRequest(record, ctx, {
    platform: 'bigcommerce',
    lineItemRefunds: 'yes',
    options: OPTIONS,
  });
  const row = journalRowsFor(1, build)[0]!;
  return {
    ...row,
    id: 1,
    accountId: 1,
    direction: 'netsuite_to_storefront',
    batchId: 1,
    state: 'pending',
    attempts: 0,
    lastError: null,
    remoteId: null,
    createdAt: '',
    updatedAt: '',
    ...extra,
  } as JournalEntry;
}

describe('storefront push targets without an idempotency key', () => {
  it('sorts client errors: refusals are never resent, ambiguous ones are read back first', () => {
    const http = (status: number) => new UserError('bigcommerce_http', 'x', undefined, { status });
    expect(classify(http(422))).toBe('refused');
    expect(classify(http(400))).toBe('refused');
    expect(classify(http(500))).toBe('ambiguous');
    expect(classify(http(504))).toBe('ambiguous');
    expect(classify(new UserError('woocommerce_unreachable', 'x'))).toBe('ambiguous');
    expect(classify(new UserError('bigcommerce_unreadable', 'x'))).toBe('ambiguous');
    expect(classify(new UserError('bigcommerce_rate_limit', 'x'))).toBe('not_processed');
    expect(classify(new UserError('woocommerce_auth', 'x'))).toBe('refused');
    expect(classify(new Error('socket hang up'))).toBe('ambiguous');
  });

  it('a write left `sending` by a dead process is read back only after the settle time', async () => {
    const slept: number[] = [];
    const clock = { now: () => 0, sleep: async (ms: number) => void slept.push(ms) } as unknown as Clock;
    const base = { state: 'sending', updatedAt: new Date(Date.now() - 200).toISOString() } as JournalEntry;
    await settleInFlight(base, 1000, clock);
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeGreaterThan(700);
    expect(slept[0]).toBeLessThanOrEqual(1000);
    await settleInFlight({ ...base, updatedAt: new Date(Date.now() - 5000).toISOString() }, 1000, clock);
    await settleInFlight({ ...base, state: 'pending' }, 1000, clock);
    await settleInFlight({ ...base, updatedAt: '' }, 1000, clock); // a dry-run lookup
    expect(slept).toHaveLength(1);
  });

  it('the factory checks the address before any secret is read, and needs an address', () => {
    expect(storefrontTargetFor('bigcommerce', {})).toBeNull();
    expect(storefrontTargetFor('woocommerce', {})).toBeNull();
    expect(storefrontTargetFor('shopify', { baseUrl: 'https://x.myshopify.com' })).toBeUndefined();
    expect(() =>
      storefrontTargetFor('bigcommerce', { storeHash: 'abc', baseUrl: 'https://evil.example/stores/abc/v3' }),
    ).toThrow(UserError);
    expect(() => storefrontTargetFor('woocommerce', { baseUrl: 'http://shop.example.com' })).toThrow(UserError);
  });

  it('BigCommerce: a provider the quote does not offer (store credit for a guest) is refused, nothing created', async () => {
    const set = bigcommercePushSet(5, 51);
    const order = set.data.orders[0]!;
    order.customer_id = 0;
    set.contexts[0]!.payment.providerId = 'storecredit';
    const emu = await startBigcommerceEmulator({ data: set.data, quota: 1000 });
    try {
      const target = new BigcommerceTarget({
        client: new BigcommerceClient({ storeHash: emu.storeHash, baseUrl: emu.apiUrl, accessToken: emu.accessToken }),
        settleMs: 10,
      });
      const error = await target.send(entryFor(set, 0)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PushSendError);
      expect((error as PushSendError).retryable).toBe(false);
      expect((error as Error).message).toMatch(
        /^BigCommerce offers no store credit on this order: \w+, custom\. Order .*nothing was sent\./,
      );
      expect(set.data.refunds).toEqual([]);
      expect(emu.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/refunds'))).toEqual([]);
    } finally {
      await emu.close();
    }
  });

  it('BigCommerce: refunds on one order are sequential — a refund still being created is waited out, then read back', async () => {
    const set = bigcommercePushSet(5, 53);
    const emu = await startBigcommerceEmulator({ data: set.data, quota: 1000, createMs: 300 });
    try {
      const client = new BigcommerceClient({
        storeHash: emu.storeHash,
        baseUrl: emu.apiUrl,
        accessToken: emu.accessToken,
      });
      const target = new BigcommerceTarget({ client, settleMs: 10 });
      const ours = entryFor(set, 1);
      const orderId = Number(set.records[1]!.orderRef);
      // Another app makes a goodwill refund on the same order at the same moment (it holds the order 300 ms).
      const other = bigcommerceCreateRefund(client, orderId, {
        items: [{ item_type: 'ORDER', item_id: orderId, amount: 1 }],
        payments: [{ provider_id: 'custom', amount: 1, offline: true }],
      });
      await new Promise((r) => setTimeout(r, 50));
      const id = await target.send(ours);
      await other;
      expect(id).not.toBeNull();
      expect(
        emu.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/refunds')).map((r) => r.status),
      ).toEqual([201, 422, 201]);
      expect(set.data.refunds).toHaveLength(2);
    } finally {
      await emu.close();
    }
  });
});
