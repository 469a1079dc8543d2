import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../src/main/store/open';
import { setDirection } from '../../../src/main/sync/direction-policy';
import { listJournal } from '../../../src/main/sync/journal';
import { previewPush } from '../../../src/main/sync/push';
import type { StorefrontOrderContext } from '../../../src/main/sync/types';
import { CanonicalRefund } from '../../../src/shared/model';
import { generateShopifyData } from '../../emulators/shopify/dataset';
import { type ShopifyEmulator, startShopifyEmulator } from '../../emulators/shopify/server';
import { meetReadiness } from '../../fixtures/sync/readiness';
import { OPTIONS } from '../../fixtures/sync/refunds';
import { makeSyncWorkspace } from '../../fixtures/sync/workspace';
import { bundleCli, killAfterRequests, mulberry, runCli, tempDir } from './crash-harness';

/**
 * Crash test, NetSuite → Shopify: 1,000 NetSuite refunds pushed with `refundCreate` and its
 * `@idempotent` key while the pushing CLI is SIGKILLed at random moments; at the end every NetSuite
 * refund is on its Shopify order exactly once. The emulator has no `order(id:)` read, so the target
 * runs with readBack "none": after a crash, the resend of an in-flight write is answered from the
 * idempotency key (counted below as replays) instead of being found by a read.
 */
const REFUNDS = Number(process.env.REFUND_RECON_CRASH_REFUNDS ?? 1000);
const KILLS = Number(process.env.REFUND_RECON_CRASH_KILLS ?? 30);

type Order = { id: string; name: string; refunds: { id: string; note?: string | null }[] };

describe('push to Shopify survives SIGKILL at random moments', () => {
  let emu: ShopifyEmulator;
  let dir: string;
  let script: string;
  beforeAll(async () => {
    dir = tempDir('rr-sync-crash-shopify-');
    [emu, script] = await Promise.all([
      startShopifyEmulator({ data: generateShopifyData({ refunds: REFUNDS, seed: 9 }), restoreRate: 1_000_000 }),
      bundleCli(dir),
    ]);
  });
  afterAll(async () => {
    await emu?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`pushes ${REFUNDS} NetSuite refunds with ${KILLS} kills; each on Shopify exactly once`, async () => {
    const started = Date.now();
    const orders = (emu.data.orders as unknown as Order[]).slice(0, REFUNDS);
    expect(orders.length).toBeGreaterThanOrEqual(Math.min(REFUNDS, 500));
    const random = mulberry(5);
    const records: CanonicalRefund[] = [];
    const contexts: StorefrontOrderContext[] = [];
    for (let i = 0; i < REFUNDS; i++) {
      const order = orders[i % orders.length]!;
      const amount = 500 + Math.floor(random() * 5000);
      const withLine = i % 2 === 0;
      records.push(
        CanonicalRefund.parse({
          side: 'netsuite',
          id: String(80000 + i),
          documentNumber: `CM${80000 + i}`,
          recordType: 'creditMemo',
          orderRef: order.name,
          createdFrom: { type: 'invoice', ref: `INV${i}` },
          date: '2026-02-01',
          currency: 'USD',
          total: amount,
          kind: withLine ? 'line_item' : 'general',
          lines: withLine
            ? [{ sku: 'TEE-M', quantity: 1, amount }]
            : [{ sku: 'Refund Adjustment', quantity: 1, amount, role: 'generic' }],
        }),
      );
      if (i < orders.length) {
        contexts.push({
          orderRef: order.name,
          orderId: order.id,
          currency: 'USD',
          presentmentCurrency: null,
          orderTotal: null,
          lines: [{ sku: 'TEE-M', lineItemId: `gid://shopify/LineItem/${7000 + i}`, quantity: 9, taxRateId: '' }],
          shippingLineId: '',
          payment: {
            parentId: `gid://shopify/OrderTransaction/${9000 + i}`,
            gateway: 'shopify_payments',
            providerId: '',
          },
          payments: [],
          customerId: '',
          storeCurrency: null,
          disputes: [],
          locationId: '',
        });
      }
    }
    const before = new Map(orders.map((o) => [o.id, o.refunds.length]));
    const file = path.join(dir, 'workspace.sqlite');
    const w = await makeSyncWorkspace({
      file,
      storefront: [],
      netsuite: records,
      storefrontOrders: contexts,
      options: OPTIONS,
      storefrontBaseUrl: emu.graphqlUrl.replace(/\/graphql\.json$/, ''),
      storefrontApiSettings: { readBack: 'none' },
    });
    expect(
      setDirection(w.db, { accountId: w.accountId, direction: 'netsuite_to_storefront', actor: 'crash-test' }).status,
    ).toBe('changed');
    // A live store: the push needs the readiness checklist met (checked again by every CLI run).
    await meetReadiness(w.db, w.accountId);
    const preview = previewPush(w.db, w.accountId);
    expect(preview.notPushable).toEqual([]);
    expect(preview.count).toBe(REFUNDS);
    w.db.close();

    // The emulator is on 127.0.0.1: credentials go there only with the loopback switch.
    const env = {
      REFUND_RECON_SHOPIFY_TOKEN: emu.accessToken,
      REFUND_RECON_HTTP_BASE_DELAY_MS: '20',
      REFUND_RECON_ALLOW_LOOPBACK_APIS: '1',
    };
    const base = ['push', '--workspace', file, '--account', String(w.accountId), '--format', 'json'];
    const journaled = () => {
      const db = openWorkspace(file);
      try {
        return listJournal(db, w.accountId);
      } finally {
        db.close();
      }
    };
    const requestCount = () => emu.requests.length;
    let kills = 0;
    let runs = 0;
    const perKill = Math.max(2, Math.floor(REFUNDS / (KILLS + 1)));
    while (kills < KILLS) {
      const args = journaled().length === 0 ? [...base, '--confirm', preview.confirmationCode] : [...base, '--resume'];
      const run = runCli(script, args, env);
      runs += 1;
      if (await killAfterRequests(run, requestCount, 1 + Math.floor(random() * perKill * 1.5), random)) kills += 1;
      else if (journaled().every((j) => j.state === 'confirmed')) break;
    }
    const last = await runCli(
      script,
      journaled().length === 0 ? [...base, '--confirm', preview.confirmationCode] : [...base, '--resume'],
      env,
    ).done;
    runs += 1;
    expect(last.stderr).toBe('');
    expect(last.code).toBe(0);

    const journal = journaled();
    expect(journal).toHaveLength(REFUNDS);
    expect(journal.filter((j) => j.state !== 'confirmed')).toEqual([]);
    const perKey = new Map<string, number>();
    let created = 0;
    for (const o of emu.data.orders as unknown as Order[]) {
      for (const r of o.refunds.slice(before.get(o.id) ?? 0)) {
        created += 1;
        const key = /\[(netsuite-[^\]]+)\]/.exec(r.note ?? '')?.[1];
        if (key) perKey.set(key, (perKey.get(key) ?? 0) + 1);
      }
    }
    expect(created).toBe(REFUNDS);
    expect(perKey.size).toBe(REFUNDS);
    expect([...perKey.values()].filter((n) => n !== 1)).toEqual([]);
    const createRequests = journal.reduce((n, j) => n + j.attempts, 0);
    const figures = {
      refunds: REFUNDS,
      kills,
      childRuns: runs,
      refundsOnShopify: created,
      sendAttemptsJournaled: createRequests,
      resendsAnsweredByIdempotencyKey: createRequests - REFUNDS,
      requests: emu.requests.length,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
    fs.mkdirSync(path.resolve(__dirname, '../../../test-results'), { recursive: true });
    fs.writeFileSync(
      path.resolve(__dirname, '../../../test-results/sync-crash-shopify.json'),
      `${JSON.stringify(figures, null, 2)}\n`,
    );
    console.log('shopify crash test', JSON.stringify(figures));
    expect(kills).toBe(KILLS);
  }, 120_000);
});
