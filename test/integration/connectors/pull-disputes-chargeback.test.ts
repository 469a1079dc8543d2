import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLoopbackApisAllowed } from '../../../src/main/connectors/destination-policy';
import type { AppContext } from '../../../src/main/context';
import { dispatch } from '../../../src/main/dispatch';
import type { ReconcileResult } from '../../../src/main/reconcile/engine';
import { MemorySecretStore, setSecretStore } from '../../../src/main/secrets';
import { readDisputes } from '../../../src/main/store/disputes';
import { openWorkspace } from '../../../src/main/store/open';
import { compareAndStore } from '../../../src/main/use-cases/compare-snapshots';
import { DEFAULT_TBA, type NetsuiteEmulator, startNetsuiteEmulator } from '../../emulators/netsuite/server';
import { sevenCasesNetsuite } from '../../emulators/netsuite/tender-cases';
import { type ShopifyEmulator, startShopifyEmulator } from '../../emulators/shopify/server';
import { sevenCasesShopify } from '../../emulators/shopify/tender-cases';

/**
 * Issue 18 (tenders.md §3.1): the disputes a Shopify pull reads are stored beside its refunds, so a
 * compare after the pull tells a chargeback from a missing refund. Both ways the app pulls: the
 * `pull` job (connection:pull, in a worker running the built code) and an account's pull
 * (connection:pull-account). Case 26 of §7: order #1026 has no refund and a LOST chargeback of
 * 80.00; NetSuite booked it as CM 80.00 + CR 80.00 → `chargeback`.
 */

const SHOP = 'emulator.myshopify.com';
const SCOPES = ['read_orders', 'write_orders', 'read_returns', 'read_shopify_payments_disputes'];
let shop: ShopifyEmulator;
let ns: NetsuiteEmulator;
let dir: string;

beforeAll(async () => {
  setLoopbackApisAllowed(true);
  [shop, ns] = await Promise.all([
    startShopifyEmulator({ data: sevenCasesShopify(), scopes: SCOPES }),
    startNetsuiteEmulator({ data: sevenCasesNetsuite() }),
  ]);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-pull-disputes-'));
  const store = new MemorySecretStore();
  await store.set('shopify.accessToken', shop.accessToken);
  await store.set('netsuite.consumerKey', DEFAULT_TBA.consumerKey);
  await store.set('netsuite.consumerSecret', DEFAULT_TBA.consumerSecret);
  await store.set('netsuite.tokenId', DEFAULT_TBA.token);
  await store.set('netsuite.tokenSecret', DEFAULT_TBA.tokenSecret);
  setSecretStore(store);
});
afterAll(async () => {
  setLoopbackApisAllowed(undefined);
  await Promise.all([shop?.close(), ns?.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

function appContext(file: string): AppContext {
  return { db: openWorkspace(file), workspacePath: file, isDemo: false, appVersion: 'test', emit: () => {} };
}

async function call<T>(ctx: AppContext, channel: string, payload: unknown): Promise<T> {
  const result = await dispatch(channel, payload, ctx);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

/** Compares the two snapshots as of §7's date; the results by order. */
async function compare(ctx: AppContext, storefront: number, netsuite: number): Promise<Map<string, ReconcileResult>> {
  const byOrder = new Map<string, ReconcileResult>();
  await compareAndStore(ctx, {
    storefront: [storefront],
    netsuite: [netsuite],
    rules: { asOf: '2026-03-20' },
    onResult: (r) => byOrder.set(r.orderRef, r),
  });
  return byOrder;
}

const chargebacks = (ctx: AppContext, snapshotId: number) =>
  readDisputes(ctx.db, [snapshotId]).map((d) => [d.id, d.orderRef, d.type, d.status, d.amount]);

describe('a Shopify pull stores its disputes; the compare after it reports the chargeback', { timeout: 60_000 }, () => {
  it('the pull job (connection:pull, in a worker)', async () => {
    const ctx = appContext(path.join(dir, 'job.sqlite'));
    try {
      const pulled = await call<{ snapshotId: number; disputes?: number }>(ctx, 'connection:pull', {
        platform: 'shopify',
        shop: SHOP,
        baseUrl: shop.url,
      });
      expect(chargebacks(ctx, pulled.snapshotId)).toEqual([
        ['2601', '#1026', 'chargeback', 'lost', 8000],
        ['2901', '#1029', 'inquiry', 'needs_response', 8000],
      ]);
      const nsPulled = await call<{ snapshotId: number }>(ctx, 'connection:pull', {
        platform: 'netsuite',
        accountId: ns.accountId,
        host: ns.url,
      });
      const results = await compare(ctx, pulled.snapshotId, nsPulled.snapshotId);
      expect(results.get('#1026')?.code).toBe('chargeback');
    } finally {
      ctx.db.close();
    }
  });

  it("an account's pull (connection:pull-account)", async () => {
    const ctx = appContext(path.join(dir, 'account.sqlite'));
    try {
      await call(ctx, 'account:add', { type: 'netsuite', name: 'NS', accountId: ns.accountId, actor: 'ann' });
      await call(ctx, 'account:add', {
        type: 'storefront',
        name: 'Shop',
        platform: 'shopify',
        netsuite: 'NS',
        shop: SHOP,
        actor: 'ann',
      });
      await call(ctx, 'connection:set', {
        type: 'netsuite',
        id: 1,
        host: ns.url,
        authMethod: 'tba',
        secrets: {
          consumerKey: DEFAULT_TBA.consumerKey,
          consumerSecret: DEFAULT_TBA.consumerSecret,
          tokenId: DEFAULT_TBA.token,
          tokenSecret: DEFAULT_TBA.tokenSecret,
        },
        actor: 'ann',
      });
      await call(ctx, 'connection:set', {
        type: 'storefront',
        id: 1,
        host: shop.url,
        secrets: { accessToken: shop.accessToken },
        actor: 'ann',
      });
      const storefront = await call<{ snapshotId: number }>(ctx, 'connection:pull-account', {
        type: 'storefront',
        id: 1,
      });
      expect(chargebacks(ctx, storefront.snapshotId).map((d) => d[1])).toEqual(['#1026', '#1029']);
      const netsuite = await call<{ snapshotId: number }>(ctx, 'connection:pull-account', { type: 'netsuite', id: 1 });
      const results = await compare(ctx, storefront.snapshotId, netsuite.snapshotId);
      expect(results.get('#1026')?.code).toBe('chargeback');
    } finally {
      ctx.db.close();
    }
  });
});
