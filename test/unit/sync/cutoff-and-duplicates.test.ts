import { describe, expect, it } from 'vitest';
import { setDirection, setSyncOptions } from '../../../src/main/sync/direction-policy';
import { runDryRun } from '../../../src/main/sync/dry-run';
import { previewPush } from '../../../src/main/sync/push';
import { saveOrderContexts } from '../../../src/main/sync/sources';
import { CanonicalRefund } from '../../../src/shared/model';
import * as F from '../../fixtures/sync/refunds';
import { makeSyncWorkspace } from '../../fixtures/sync/workspace';

const hand = (r: Partial<CanonicalRefund> & Pick<CanonicalRefund, 'id' | 'orderRef' | 'total'>) =>
  CanonicalRefund.parse({
    side: 'netsuite',
    recordType: 'cashRefund',
    documentNumber: `CR${r.id}`,
    date: '2026-01-08',
    currency: 'USD',
    kind: 'general',
    ...r,
  });

async function enabled(options: Parameters<typeof makeSyncWorkspace>[0] = {}) {
  const w = await makeSyncWorkspace(options);
  setDirection(w.db, {
    accountId: w.accountId,
    direction: 'storefront_to_netsuite',
    confirmAgainstRecommendation: true,
    actor: 't',
  });
  return w;
}

describe('"Import Orders Created After" cutoff as a dry-run and push filter', () => {
  it('a chosen order before the cutoff fails the dry run with the reason; the push leaves it alone', async () => {
    const w = await enabled();
    const before = previewPush(w.db, w.accountId);
    setSyncOptions(w.db, { accountId: w.accountId, options: {}, importOrdersAfter: '2026-01-07', actor: 't' });
    const run = await runDryRun(w.db, {
      accountId: w.accountId,
      selection: { mode: 'refs', orderRefs: ['#1003', '#1004'] },
      actor: 't',
    });
    const by = Object.fromEntries(run.orders.map((o) => [o.orderRef, o]));
    expect(by['#1003']!.status).toBe('fail');
    expect(by['#1003']!.reasons).toEqual([
      expect.stringMatching(
        /^cutoff: Refund .* was made on 2026-01-06, before the "Import Orders Created After" date 2026-01-07/,
      ),
    ]);
    expect(by['#1004']!.status).toBe('pass');
    expect(by['#1004']!.checks.find((c) => c.name === 'cutoff')!.ok).toBe(true);

    const after = previewPush(w.db, w.accountId);
    expect(after.beforeCutoff).toBeGreaterThan(0);
    expect(after.count).toBe(before.count - after.beforeCutoff);

    // The order's own date (from its order context) decides when it is known.
    const ctx = F.NETSUITE_ORDERS.find((o) => o.orderRef === '#1004')!;
    saveOrderContexts(w.db, w.accountId, { netsuite: [{ ...ctx, orderDate: '2025-12-30' }], storefront: [] });
    const dated = await runDryRun(w.db, {
      accountId: w.accountId,
      selection: { mode: 'refs', orderRefs: ['#1004'] },
      actor: 't',
    });
    expect(dated.orders[0]!.reasons[0]).toMatch(/Order #1004 was created on 2025-12-30, before/);
    expect(previewPush(w.db, w.accountId).beforeCutoff).toBe(after.beforeCutoff + 1);
    // A sample is drawn only from orders inside the cutoff.
    const sample = await runDryRun(w.db, {
      accountId: w.accountId,
      selection: { mode: 'sample', size: 50 },
      actor: 't',
    });
    expect(sample.orders.map((o) => o.orderRef)).not.toContain('#1003');
    expect(sample.orders.map((o) => o.orderRef)).not.toContain('#1004');
  });
});

describe('already synced: every key form of spec §4, and a hand-made record of the same order and total', () => {
  it('SR-<id>, a bare id and "Refund <id>" in the memo count as synced; the push records them, never sends them', async () => {
    const w = await enabled({
      netsuite: [
        hand({ id: '7001', orderRef: '#1003', total: 500, externalId: 'SR-900003' }),
        hand({ id: '7002', orderRef: '#1004', total: 320, externalId: '900004' }),
        hand({ id: '7003', orderRef: '#1005', total: 1000, memo: 'Shopify refund 900005' }),
        // Entered by hand: no key, same order, currency and total as #1001's refund.
        hand({ id: '7004', orderRef: '#1001', total: F.FULL.total }),
        // Voided: does not count.
        hand({ id: '7005', orderRef: '#1002', total: 1000, externalId: 'shopify-refund-900002', status: 'voided' }),
      ],
    });
    const run = await runDryRun(w.db, {
      accountId: w.accountId,
      selection: { mode: 'refs', orderRefs: ['#1001', '#1002', '#1003', '#1004', '#1005'] },
      actor: 't',
    });
    const reason = (ref: string) => run.orders.find((o) => o.orderRef === ref)!.reasons.join(' ');
    expect(reason('#1003')).toMatch(/CR7001 carries this refund's key in its External ID "SR-900003"/);
    expect(reason('#1004')).toMatch(/CR7002 carries this refund's key in its External ID "900004"/);
    expect(reason('#1005')).toMatch(/CR7003 carries this refund's key in its memo/);
    expect(reason('#1001')).toMatch(
      /NetSuite already shows this refund, probably: NetSuite already shows USD 71.96 refunded on order #1001 \(NetSuite Cash Refund CR7004\) with no key/,
    );
    expect(run.orders.find((o) => o.orderRef === '#1002')!.status).toBe('pass');

    const preview = previewPush(w.db, w.accountId);
    expect(preview.alreadyOnTarget.map((a) => a.orderRef).sort()).toEqual(['#1003', '#1004', '#1005']);
    // Probably there (a keyless record covering it): held back with the reason, not sent.
    expect(preview.notPushable.find((n) => n.orderRef === '#1001')?.reasons.join(' ')).toMatch(
      /NetSuite already shows this refund, probably/,
    );
  });
});
