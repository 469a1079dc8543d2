import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../src/main/store/open';
import { setDirection } from '../../../src/main/sync/direction-policy';
import { listJournal } from '../../../src/main/sync/journal';
import { previewPush } from '../../../src/main/sync/push';
import type { NetsuiteOrderContext } from '../../../src/main/sync/types';
import { CanonicalRefund } from '../../../src/shared/model';
import { SKUS } from '../../emulators/common/random';
import { DEFAULT_TBA, type NetsuiteEmulator, startNetsuiteEmulator } from '../../emulators/netsuite/server';
import { OPTIONS } from '../../fixtures/sync/refunds';
import { makeSyncWorkspace } from '../../fixtures/sync/workspace';
import { bundleCli, killAfterRequests, mulberry, runCli, tempDir } from './crash-harness';

/**
 * Crash test (issue 6 "Done when"): push 1,000 refunds to the NetSuite emulator, SIGKILL the
 * pushing CLI at random moments, resume after each kill; at the end NetSuite holds every refund
 * exactly once and no record was PUT twice. REFUND_RECON_CRASH_KILLS sets the number of kills
 * (default 30); REFUND_RECON_CRASH_REFUNDS the number of refunds (default 1,000).
 */
const REFUNDS = Number(process.env.REFUND_RECON_CRASH_REFUNDS ?? 1000);
const KILLS = Number(process.env.REFUND_RECON_CRASH_KILLS ?? 30);

function refunds(n: number): { refunds: CanonicalRefund[]; orders: NetsuiteOrderContext[] } {
  const random = mulberry(11);
  const out: CanonicalRefund[] = [];
  const orders: NetsuiteOrderContext[] = [];
  for (let i = 0; i < n; i++) {
    const ref = `#${50000 + i}`;
    const [sku, , price] = SKUS[Math.floor(random() * SKUS.length)]!;
    const qty = 1 + Math.floor(random() * 2);
    const amount = price * qty;
    const tax = Math.round(amount * 0.08);
    const shipping = random() < 0.3 ? 500 : 0;
    out.push(
      CanonicalRefund.parse({
        side: 'storefront',
        recordType: 'refund',
        id: String(700000 + i),
        orderRef: ref,
        date: '2026-01-15',
        currency: 'USD',
        total: amount + tax + shipping,
        shipping,
        tax,
        kind: 'line_item',
        lines: [{ sku, quantity: qty, amount, tax }],
      }),
    );
    const skuIndex = SKUS.findIndex((s) => s[0] === sku);
    orders.push({
      orderRef: ref,
      customerId: String(500 + (i % 97)),
      currency: 'USD',
      billing: { type: 'cashSale', id: String(90000 + i), tranId: `CS${90000 + i}` },
      deposit: null,
      items: [{ sku, itemId: String(100 + skuIndex) }],
      orderTotal: null,
      subsidiaryId: '',
      locationId: '',
    });
  }
  return { refunds: out, orders };
}

describe('push to NetSuite survives SIGKILL at random moments', () => {
  let emu: NetsuiteEmulator;
  let dir: string;
  let script: string;
  beforeAll(async () => {
    dir = tempDir('rr-sync-crash-ns-');
    [emu, script] = await Promise.all([startNetsuiteEmulator({ concurrencyLimit: 5 }), bundleCli(dir)]);
  });
  afterAll(async () => {
    await emu?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`pushes ${REFUNDS} refunds with ${KILLS} kills; every refund exactly once, nothing sent twice`, async () => {
    const started = Date.now();
    const file = path.join(dir, 'workspace.sqlite');
    const data = refunds(REFUNDS);
    const w = await makeSyncWorkspace({
      file,
      storefront: data.refunds,
      netsuite: [],
      netsuiteOrders: data.orders,
      options: OPTIONS,
      netsuiteBaseUrl: emu.url,
    });
    setDirection(w.db, {
      accountId: w.accountId,
      direction: 'storefront_to_netsuite',
      confirmAgainstRecommendation: true,
      actor: 'crash-test',
    });
    const preview = previewPush(w.db, w.accountId);
    expect(preview.count).toBe(REFUNDS);
    w.db.close();

    const env = {
      REFUND_RECON_NS_CONSUMER_KEY: DEFAULT_TBA.consumerKey,
      REFUND_RECON_NS_CONSUMER_SECRET: DEFAULT_TBA.consumerSecret,
      REFUND_RECON_NS_TOKEN: DEFAULT_TBA.token,
      REFUND_RECON_NS_TOKEN_SECRET: DEFAULT_TBA.tokenSecret,
      REFUND_RECON_HTTP_BASE_DELAY_MS: '20',
      // The emulator is on 127.0.0.1: credentials go there only with the loopback switch.
      REFUND_RECON_ALLOW_LOOPBACK_APIS: '1',
    };
    const base = ['push', '--workspace', file, '--account', String(w.accountId), '--format', 'json'];
    const random = mulberry(2026);
    const requestCount = () => emu.requests.length;
    let kills = 0;
    let runs = 0;
    const journaled = () => {
      const db = openWorkspace(file);
      try {
        return listJournal(db, w.accountId);
      } finally {
        db.close();
      }
    };
    // ~2 requests per refund (read by key, then upsert): spread the kills over the whole push.
    const perKill = Math.max(2, Math.floor((REFUNDS * 2) / (KILLS + 1)));
    while (kills < KILLS) {
      const args = journaled().length === 0 ? [...base, '--confirm', preview.confirmationCode] : [...base, '--resume'];
      const run = runCli(script, args, env);
      runs += 1;
      const killed = await killAfterRequests(run, requestCount, 1 + Math.floor(random() * perKill * 1.5), random);
      if (killed) kills += 1;
      else {
        const res = await run.done;
        if (journaled().every((j) => j.state === 'confirmed' || j.state === 'already_synced')) break;
        expect(res.stderr).toBe('');
      }
    }
    // Finish without interruption.
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
    const rows = emu.db
      .prepare(
        'SELECT externalid, COUNT(*) AS n FROM "transaction" WHERE externalid LIKE \'shopify-refund-7%\' GROUP BY externalid',
      )
      .all() as { externalid: string; n: number }[];
    expect(rows).toHaveLength(REFUNDS);
    expect(rows.filter((r) => r.n !== 1)).toEqual([]);
    const puts = new Map<string, number>();
    for (const r of emu.requests)
      if (r.method === 'PUT' && r.status === 204) puts.set(r.path, (puts.get(r.path) ?? 0) + 1);
    expect(puts.size).toBe(REFUNDS);
    expect([...puts.values()].filter((n) => n !== 1)).toEqual([]);
    const readsFound = emu.requests.filter((r) => r.method === 'GET' && r.status === 200).length;
    const afterCrash = journal.filter((j) => j.attempts > 0).length;
    const figures = {
      refunds: REFUNDS,
      kills,
      childRuns: runs,
      emulatorRecords: rows.length,
      putsPerRecord: 1,
      requests: emu.requests.length,
      readsFindingRecord: readsFound,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    };
    fs.mkdirSync(path.resolve(__dirname, '../../../test-results'), { recursive: true });
    fs.writeFileSync(
      path.resolve(__dirname, '../../../test-results/sync-crash-netsuite.json'),
      `${JSON.stringify(figures, null, 2)}\n`,
    );
    console.log('netsuite crash test', JSON.stringify(figures), afterCrash);
    expect(kills).toBe(KILLS);
  }, 120_000);
});
