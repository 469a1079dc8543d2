import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BigcommerceEmulator, startBigcommerceEmulator } from '../../emulators/bigcommerce/server';
import { bigcommercePushSet, keyIn } from '../../fixtures/sync/storefront-push';
import { bundleCli, tempDir } from './crash-harness';
import { crashLoop, writeFigures } from './storefront-crash';

/**
 * Crash test, NetSuite → BigCommerce: NetSuite refunds pushed (quote, then refund with the quote's
 * refund-method amount) while the pushing CLI is SIGKILLed at random moments. BigCommerce has no
 * idempotency key: a write in flight at a kill is found by reading the order's refunds back (the
 * `[key]` in the refund reason) after the in-flight settle, and sent again only when it is not
 * there. At the end every NetSuite refund is on its BigCommerce order exactly once.
 * REFUND_RECON_CRASH_REFUNDS / REFUND_RECON_CRASH_KILLS tune it (default 1,000 / 30).
 */
const REFUNDS = Number(process.env.REFUND_RECON_CRASH_REFUNDS ?? 1000);
const KILLS = Number(process.env.REFUND_RECON_CRASH_KILLS ?? 30);

describe('push to BigCommerce survives SIGKILL at random moments', () => {
  let emu: BigcommerceEmulator;
  let dir: string;
  let script: string;
  const set = bigcommercePushSet(REFUNDS, 43);
  beforeAll(async () => {
    dir = tempDir('rr-sync-crash-bigcommerce-');
    [emu, script] = await Promise.all([
      startBigcommerceEmulator({ data: set.data, quota: 1_000_000_000 }),
      bundleCli(dir),
    ]);
  });
  afterAll(async () => {
    await emu?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`pushes ${REFUNDS} NetSuite refunds with ${KILLS} kills; each on BigCommerce exactly once`, async () => {
    const started = Date.now();
    const run = await crashLoop({
      platform: 'bigcommerce',
      dir,
      script,
      records: set.records,
      contexts: set.contexts,
      apiSettings: { storeHash: emu.storeHash, baseUrl: emu.apiUrl, inFlightSettleMs: 150 },
      env: { REFUND_RECON_BIGCOMMERCE_ACCESSTOKEN: emu.accessToken },
      requests: emu.requests,
      requestsPerRefund: 3,
      kills: KILLS,
      onStore: (key) => set.data.refunds.some((r) => keyIn(r.reason) === key),
      seed: 11,
    });
    expect(run.journal).toHaveLength(REFUNDS);
    expect(run.journal.filter((j) => j.state !== 'confirmed')).toEqual([]);
    const perKey = new Map<string, number>();
    for (const r of set.data.refunds) {
      const key = keyIn(r.reason);
      if (key) perKey.set(key, (perKey.get(key) ?? 0) + 1);
    }
    expect(set.data.refunds).toHaveLength(REFUNDS);
    expect(perKey.size).toBe(REFUNDS);
    expect([...perKey.values()].filter((n) => n !== 1)).toEqual([]);
    const creates = emu.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/payment_actions/refunds'));
    const figures = {
      refunds: REFUNDS,
      kills: run.kills,
      childRuns: run.childRuns,
      refundsOnBigcommerce: set.data.refunds.length,
      duplicates: [...perKey.values()].filter((n) => n > 1).length,
      sendAttemptsJournaled: run.sendAttemptsJournaled,
      killedInFlightLandedFoundByReadBack: run.inFlightLanded,
      killedInFlightNotLandedResent: run.inFlightLost,
      refundPostsSeenByEmulator: creates.length,
      refundPostsAnswered201: creates.filter((q) => q.status === 201).length,
      quotes: emu.requests.filter((q) => q.path.endsWith('/refund_quotes')).length,
      readBacks: emu.requests.filter((q) => q.method === 'GET').length,
      requests: emu.requests.length,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
    writeFigures('sync-crash-bigcommerce', figures);
    expect(figures.refundPostsAnswered201).toBe(REFUNDS);
    expect(run.kills).toBe(KILLS);
  }, 120_000);
});
