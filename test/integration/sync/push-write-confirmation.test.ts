import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BigcommerceClient } from '../../../src/main/connectors/bigcommerce/client';
import { setLoopbackApisAllowed } from '../../../src/main/connectors/destination-policy';
import { NetsuiteClient } from '../../../src/main/connectors/netsuite/client';
import { WoocommerceClient } from '../../../src/main/connectors/woocommerce/client';
import { openWorkspace } from '../../../src/main/store/open';
import { setDirection } from '../../../src/main/sync/direction-policy';
import { listJournal } from '../../../src/main/sync/journal';
import { previewPush, retryFailed, startPush } from '../../../src/main/sync/push';
import { BigcommerceTarget } from '../../../src/main/sync/targets/bigcommerce-target';
import { NetsuiteTarget } from '../../../src/main/sync/targets/netsuite-target';
import type { TargetEntry } from '../../../src/main/sync/targets/target';
import { WoocommerceTarget } from '../../../src/main/sync/targets/woocommerce-target';
import type { StorefrontOrderContext } from '../../../src/main/sync/types';
import { CanonicalRefund } from '../../../src/shared/model';
import { startBigcommerceEmulator } from '../../emulators/bigcommerce/server';
import { generateNetsuiteData } from '../../emulators/netsuite/dataset';
import { DEFAULT_TBA, startNetsuiteEmulator } from '../../emulators/netsuite/server';
import { generateShopifyData } from '../../emulators/shopify/dataset';
import { type ShopifyEmulator, startShopifyEmulator } from '../../emulators/shopify/server';
import { startWooEmulator } from '../../emulators/woocommerce/server';
import { meetReadiness } from '../../fixtures/sync/readiness';
import { OPTIONS } from '../../fixtures/sync/refunds';
import { bigcommercePushSet, keyIn, woocommercePushSet } from '../../fixtures/sync/storefront-push';
import { makeSyncWorkspace } from '../../fixtures/sync/workspace';
import { runCli } from '../../support/run-cli';

/**
 * Issue 17 Y3 and its siblings: a write is confirmed only by an id read from the answer or read
 * back. A 200 `{}` (no `data.refundCreate`, no refund id, no Location) is `unknown`: the row is not
 * confirmed, it waits on the exception list, and a retry reads the target back before any send —
 * so each refund lands exactly once. Shopify through the CLI; BigCommerce, WooCommerce and NetSuite
 * through their targets in process.
 */

beforeAll(() => setLoopbackApisAllowed(true));
afterAll(() => setLoopbackApisAllowed(undefined));
const closers: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

function perKey(texts: unknown[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of texts) {
    const k = keyIn(t);
    if (k) m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

describe('Shopify push: a 200 without data.refundCreate is never "confirmed" (CLI)', () => {
  let emu: ShopifyEmulator;
  let dir: string;
  beforeAll(async () => {
    emu = await startShopifyEmulator({ data: generateShopifyData({ refunds: 20, seed: 11 }) });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-confirm-'));
  });
  afterAll(async () => {
    await emu?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('marks the rows unknown, then a retry sends each refund once', { timeout: 120_000 }, async () => {
    type Order = { id: string; name: string; refunds: { id: string; note?: string | null }[] };
    const orders = (emu.data.orders as unknown as Order[]).slice(0, 4);
    const records = orders.map((order, i) =>
      CanonicalRefund.parse({
        side: 'netsuite',
        id: String(70000 + i),
        documentNumber: `CM${70000 + i}`,
        recordType: 'creditMemo',
        orderRef: order.name,
        createdFrom: { type: 'invoice', ref: `INV${i}` },
        date: '2026-02-01',
        currency: 'USD',
        total: 1000 + i,
        kind: 'general',
        lines: [{ sku: 'Refund Adjustment', quantity: 1, amount: 1000 + i, role: 'generic' }],
      }),
    );
    const contexts: StorefrontOrderContext[] = orders.map((order, i) => ({
      orderRef: order.name,
      orderId: order.id,
      currency: 'USD',
      presentmentCurrency: null,
      orderTotal: null,
      lines: [],
      shippingLineId: '',
      payment: { parentId: `gid://shopify/OrderTransaction/${9000 + i}`, gateway: 'shopify_payments', providerId: '' },
      payments: [],
      customerId: '',
      storeCurrency: null,
      disputes: [],
      locationId: '',
    }));
    const before = new Map(orders.map((o) => [o.id, o.refunds.length]));
    const file = path.join(dir, 'ws.sqlite');
    const w = await makeSyncWorkspace({
      file,
      storefront: [],
      netsuite: records,
      storefrontOrders: contexts,
      options: OPTIONS,
      storefrontBaseUrl: emu.graphqlUrl.replace(/\/graphql\.json$/, ''),
      storefrontApiSettings: { readBack: 'none' },
    });
    setDirection(w.db, { accountId: w.accountId, direction: 'netsuite_to_storefront', actor: 't' });
    // A store is production unless proven otherwise: the push needs the readiness checklist met.
    await meetReadiness(w.db, w.accountId);
    const preview = previewPush(w.db, w.accountId);
    expect(preview.count).toBe(4);
    w.db.close();
    const env = {
      REFUND_RECON_SHOPIFY_TOKEN: emu.accessToken,
      REFUND_RECON_HTTP_BASE_DELAY_MS: '1',
      REFUND_RECON_ALLOW_LOOPBACK_APIS: '1',
    };
    const base = ['push', '--workspace', file, '--account', String(w.accountId), '--format', 'json'];
    // The first request is the readiness gate's read of the shop plan (a live store); then the four refundCreates.
    emu.faults.add({ kind: 'reply', status: 200, body: '{}', times: 4, after: 1, match: /graphql\.json/ });
    const first = await runCli([...base, '--confirm', preview.confirmationCode], env);
    expect(first.status).toBe(1);
    expect(JSON.parse(first.stdout)).toMatchObject({ sent: 0, unknown: 4, failed: 4 });
    const db = openWorkspace(file);
    closers.push(() => {
      db.close();
    });
    const rows = listJournal(db, w.accountId);
    expect(rows.map((r) => r.state)).toEqual(['failed', 'failed', 'failed', 'failed']);
    expect(rows.every((r) => /^unknown: shopify answered/.test(r.lastError ?? ''))).toBe(true);
    expect(rows.every((r) => r.remoteId === null)).toBe(true);

    const retry = await runCli([...base, '--retry-failed'], env);
    expect(retry.status).toBe(0);
    expect(JSON.parse(retry.stdout)).toMatchObject({ sent: 4, failed: 0, unknown: 0 });
    const after = listJournal(db, w.accountId);
    expect(after.every((r) => r.state === 'confirmed' && /^gid:\/\/shopify\/Refund\//.test(r.remoteId ?? ''))).toBe(
      true,
    );
    for (const o of orders) expect(o.refunds.length).toBe(before.get(o.id)! + 1);
  });
});

describe('siblings: BigCommerce, WooCommerce and NetSuite targets', () => {
  it('BigCommerce: a 200 {} or {"data":{}} to the refund create is read back, never confirmed blind', async () => {
    const set = bigcommercePushSet(3);
    const emu = await startBigcommerceEmulator({ data: set.data });
    closers.push(() => emu.close());
    const create = /\/orders\/\d+\/payment_actions\/refunds$/;
    emu.faults.add(
      { kind: 'reply', status: 200, body: '{}', match: create },
      { kind: 'reply', status: 200, body: '{"data":{}}', match: create },
      { kind: 'reply', status: 200, body: '{"data":{"id":null}}', match: create },
    );
    const w = await makeSyncWorkspace({
      platform: 'bigcommerce',
      storefront: [],
      netsuite: set.records,
      storefrontOrders: set.contexts,
      options: OPTIONS,
      storefrontApiSettings: { storeHash: emu.storeHash, baseUrl: emu.apiUrl },
    });
    closers.push(() => {
      w.db.close();
    });
    setDirection(w.db, { accountId: w.accountId, direction: 'netsuite_to_storefront', actor: 't' });
    // A store is production unless proven otherwise: the push needs the readiness checklist met.
    await meetReadiness(w.db, w.accountId);
    const client = new BigcommerceClient({
      storeHash: emu.storeHash,
      baseUrl: emu.apiUrl,
      accessToken: emu.accessToken,
      baseDelayMs: 1,
    });
    const target = new BigcommerceTarget({ client, settleMs: 1 });
    const preview = previewPush(w.db, w.accountId);
    const out = await startPush(
      w.db,
      { accountId: w.accountId, confirmationCode: preview.confirmationCode, actor: 't' },
      target,
    );
    expect(out).toMatchObject({ sent: 0, failed: 3 });
    const rows = listJournal(w.db, w.accountId);
    expect(rows.every((r) => r.state === 'failed' && /^unknown: BigCommerce accepted/.test(r.lastError ?? ''))).toBe(
      true,
    );
    const retried = await retryFailed(w.db, w.accountId, target, undefined, 't');
    expect(retried).toMatchObject({ sent: 3, failed: 0 });
    const keys = perKey(set.data.refunds.map((r) => r.reason));
    expect([...keys.values()]).toEqual([1, 1, 1]);
  });

  it('WooCommerce: a 200 {} to the refund create is read back, never confirmed blind', async () => {
    const set = woocommercePushSet(3);
    const emu = await startWooEmulator({ data: set.data });
    closers.push(() => emu.close());
    emu.faults.add({ kind: 'reply', status: 200, body: '{}', times: 3, match: /\/orders\/\d+\/refunds$/ });
    const w = await makeSyncWorkspace({
      platform: 'woocommerce',
      storefront: [],
      netsuite: set.records,
      storefrontOrders: set.contexts,
      options: OPTIONS,
      storefrontApiSettings: { baseUrl: emu.url },
    });
    closers.push(() => {
      w.db.close();
    });
    setDirection(w.db, { accountId: w.accountId, direction: 'netsuite_to_storefront', actor: 't' });
    // A store is production unless proven otherwise: the push needs the readiness checklist met.
    await meetReadiness(w.db, w.accountId);
    const target = new WoocommerceTarget({
      client: new WoocommerceClient({ url: emu.url, consumerKey: emu.consumerKey, consumerSecret: emu.consumerSecret }),
      settleMs: 1,
    });
    const preview = previewPush(w.db, w.accountId);
    const out = await startPush(
      w.db,
      { accountId: w.accountId, confirmationCode: preview.confirmationCode, actor: 't' },
      target,
    );
    expect(out).toMatchObject({ sent: 0, failed: 3 });
    expect(listJournal(w.db, w.accountId).every((r) => /^unknown: WooCommerce accepted/.test(r.lastError ?? ''))).toBe(
      true,
    );
    const retried = await retryFailed(w.db, w.accountId, target, undefined, 't');
    expect(retried).toMatchObject({ sent: 3, failed: 0 });
    const all = [...set.data.refunds.values()].flat();
    const keys = perKey(all.map((r) => r.reason));
    expect([...keys.values()]).toEqual([1, 1, 1]);
  });

  it('NetSuite: a read-back answered {} is unknown (not "found"); an upsert without Location returns no id', async () => {
    const emu = await startNetsuiteEmulator({ data: generateNetsuiteData({ refunds: 5, seed: 2 }) });
    closers.push(() => emu.close());
    const client = new NetsuiteClient({
      accountId: emu.accountId,
      baseUrl: emu.url,
      auth: { kind: 'tba', ...DEFAULT_TBA },
      baseDelayMs: 1,
    });
    const target = new NetsuiteTarget(client);
    const entry = {
      id: 1,
      payload: { recordType: 'cashRefund', externalId: 'shopify-refund-424242', body: {} },
    } as unknown as TargetEntry;
    expect(await target.find(entry)).toBeNull(); // 404: not there
    emu.faults.add({ kind: 'reply', status: 200, body: '{}', match: /shopify-refund-424242/ });
    await expect(target.find(entry)).rejects.toThrow(/without the record's internal id; whether it exists is unknown/);
    emu.faults.add({ kind: 'reply', status: 200, body: '{}', match: /shopify-refund-424242/ });
    expect(await target.send(entry)).toBeNull(); // the engine then reads back before confirming
  });
});
