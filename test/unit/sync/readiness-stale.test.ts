import { describe, expect, it } from 'vitest';
import { setDirection } from '../../../src/main/sync/direction-policy';
import { runDryRun } from '../../../src/main/sync/dry-run';
import { confirmReadinessItem, readiness } from '../../../src/main/sync/readiness';
import { makeSyncWorkspace } from '../../fixtures/sync/workspace';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

/** Issue 13 item 5: an item drops back to "to do" when it goes stale. */
describe('readiness goes stale', () => {
  it('the dry run and the deployment review no longer count once the direction changed after them', async () => {
    const w = await makeSyncWorkspace();
    const direction = (d: 'storefront_to_netsuite' | 'netsuite_to_storefront') =>
      setDirection(w.db, { accountId: w.accountId, direction: d, confirmAgainstRecommendation: true, actor: 't' });
    direction('storefront_to_netsuite');
    await tick();
    await runDryRun(w.db, {
      accountId: w.accountId,
      selection: { mode: 'refs', orderRefs: ['#1001', '#1002', '#1003'] },
      actor: 't',
    });
    for (const item of ['activation_steps', 'order_sync_tested'] as const) {
      confirmReadinessItem(w.db, { accountId: w.accountId, item, confirmed: true, actor: 'Ann' });
    }
    confirmReadinessItem(w.db, {
      accountId: w.accountId,
      item: 'deployment_reviewed',
      confirmed: true,
      importOrdersAfter: '2026-01-01',
      note: 'sandbox account, cutoff set',
      actor: 'Ann',
    });
    const ready = readiness(w.db, w.accountId);
    expect(ready.allMet).toBe(true);
    expect(ready.items.find((i) => i.id === 'deployment_reviewed')).toMatchObject({
      by: 'Ann',
      note: 'sandbox account, cutoff set',
    });

    await tick();
    direction('netsuite_to_storefront');
    await tick();
    direction('storefront_to_netsuite');
    const after = readiness(w.db, w.accountId);
    expect(after.allMet).toBe(false);
    const byId = Object.fromEntries(after.items.map((i) => [i.id, i]));
    expect(byId.refund_sync_validated).toMatchObject({ met: false });
    expect(byId.refund_sync_validated!.detail).toMatch(/before the direction changed/);
    expect(byId.deployment_reviewed).toMatchObject({ met: false, by: null });
    expect(byId.deployment_reviewed!.nextStep).toMatch(/direction changed after the review/);
    // Hand-checked items that do not depend on the direction stay done.
    expect(byId.activation_steps).toMatchObject({ met: true, by: 'Ann' });
    expect(byId.order_sync_tested).toMatchObject({ met: true });
    // A dry run older than 7 days drops back too.
    expect(
      readiness(w.db, w.accountId, new Date(Date.now() + 8 * 86_400_000)).items.find(
        (i) => i.id === 'refund_sync_validated',
      )!.met,
    ).toBe(false);
  });
});
