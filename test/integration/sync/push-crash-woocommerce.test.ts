import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWooEmulator, type WooEmulator } from '../../emulators/woocommerce/server';
import { keyIn, woocommercePushSet } from '../../fixtures/sync/storefront-push';
import { bundleCli, tempDir } from './crash-harness';
import { crashLoop, writeFigures } from './storefront-crash';

/**
 * Crash test, NetSuite → WooCommerce: NetSuite refunds pushed (`refund_total` per line, `amount`,
 * `api_refund: false`) while the pushing CLI is SIGKILLed at random moments. WooCommerce has no
 * idempotency key: a write in flight at a kill is found by reading the order's refunds back (the
 * `[key]` in the reason; `meta_data` too on a real store) after the in-flight settle, and sent
 * again only when it is not there. At the end every NetSuite refund is on its order exactly once.
 * REFUND_RECON_CRASH_REFUNDS / REFUND_RECON_CRASH_KILLS tune it (default 1,000 / 30).
 */
const REFUNDS = Number(process.env.REFUND_RECON_CRASH_REFUNDS ?? 1000);
const KILLS = Number(process.env.REFUND_RECON_CRASH_KILLS ?? 30);

describe('push to WooCommerce survives SIGKILL at random moments', () => {
  let emu: WooEmulator;
  let dir: string;
  let script: string;
  const set = woocommercePushSet(REFUNDS, 47);
  beforeAll(async () => {
    dir = tempDir('rr-sync-crash-woocommerce-');
    [emu, script] = await Promise.all([startWooEmulator({ data: set.data }), bundleCli(dir)]);
  });
  afterAll(async () => {
    await emu?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`pushes ${REFUNDS} NetSuite refunds with ${KILLS} kills; each on WooCommerce exactly once`, async () => {
    const started = Date.now();
    const run = await crashLoop({
      platform: 'woocommerce',
      dir,
      script,
      records: set.records,
      contexts: set.contexts,
      apiSettings: { baseUrl: emu.url, inFlightSettleMs: 150 },
      env: {
        REFUND_RECON_WOOCOMMERCE_CONSUMERKEY: emu.consumerKey,
        REFUND_RECON_WOOCOMMERCE_CONSUMERSECRET: emu.consumerSecret,
        REFUND_RECON_WOOCOMMERCE_STOREURL: emu.url,
      },
      requests: emu.requests,
      requestsPerRefund: 2,
      kills: KILLS,
      onStore: (key) => [...set.data.refunds.values()].some((list) => list.some((r) => keyIn(r.reason) === key)),
      seed: 13,
    });
    expect(run.journal).toHaveLength(REFUNDS);
    expect(run.journal.filter((j) => j.state !== 'confirmed')).toEqual([]);
    const all = [...set.data.refunds.values()].flat();
    const perKey = new Map<string, number>();
    for (const r of all) {
      const key = keyIn(r.reason);
      if (key) perKey.set(key, (perKey.get(key) ?? 0) + 1);
    }
    expect(all).toHaveLength(REFUNDS);
    expect(perKey.size).toBe(REFUNDS);
    expect([...perKey.values()].filter((n) => n !== 1)).toEqual([]);
    expect(all.every((r) => r.refunded_payment === false)).toBe(true);
    const creates = emu.requests.filter((q) => q.method === 'POST');
    const figures = {
      refunds: REFUNDS,
      kills: run.kills,
      childRuns: run.childRuns,
      refundsOnWoocommerce: all.length,
      duplicates: [...perKey.values()].filter((n) => n > 1).length,
      sendAttemptsJournaled: run.sendAttemptsJournaled,
      killedInFlightLandedFoundByReadBack: run.inFlightLanded,
      killedInFlightNotLandedResent: run.inFlightLost,
      refundPostsSeenByEmulator: creates.length,
      refundPostsAnswered201: creates.filter((q) => q.status === 201).length,
      readBacks: emu.requests.filter((q) => q.method === 'GET').length,
      requests: emu.requests.length,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
    writeFigures('sync-crash-woocommerce', figures);
    expect(figures.refundPostsAnswered201).toBe(REFUNDS);
    expect(run.kills).toBe(KILLS);
  }, 120_000);
});
