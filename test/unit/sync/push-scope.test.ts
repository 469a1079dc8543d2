import { describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/main/context';
import { dispatch } from '../../../src/main/dispatch';
import { createNetsuiteAccount } from '../../../src/main/store/accounts';
import { setTargetFactory } from '../../../src/main/sync/connections';
import { setDirection } from '../../../src/main/sync/direction-policy';
import { listJournal } from '../../../src/main/sync/journal';
import { previewPush, resumePush, retryFailed, startPush } from '../../../src/main/sync/push';
import { runJournal } from '../../../src/main/sync/push-engine';
import type { PushTarget } from '../../../src/main/sync/targets/target';
import { makeSyncWorkspace } from '../../fixtures/sync/workspace';
import { FakeTarget } from './fake-target';

/** Issue 17 Y1: every push path sends only rows of the current direction and destination. */

async function failedStorefrontToNetsuite() {
  const w = await makeSyncWorkspace();
  setDirection(w.db, {
    accountId: w.accountId,
    direction: 'storefront_to_netsuite',
    confirmAgainstRecommendation: true,
    actor: 't',
  });
  const failing = new FakeTarget();
  failing.send = async () => {
    throw new Error('connect ECONNREFUSED');
  };
  const preview = previewPush(w.db, w.accountId);
  await startPush(w.db, { accountId: w.accountId, confirmationCode: preview.confirmationCode, actor: 't' }, failing);
  const failed = listJournal(w.db, w.accountId, ['failed']);
  expect(failed.length).toBeGreaterThan(0);
  return { w, failed };
}

function switchTo(
  w: Awaited<ReturnType<typeof makeSyncWorkspace>>,
  direction: 'netsuite_to_storefront' | 'storefront_to_netsuite',
) {
  setDirection(w.db, { accountId: w.accountId, direction, confirmAgainstRecommendation: true, actor: 't' });
}

describe('push scope: direction and destination per journal row', () => {
  it('retry after a direction switch is refused (all, or by id) and sends nothing', async () => {
    const { w, failed } = await failedStorefrontToNetsuite();
    switchTo(w, 'netsuite_to_storefront');
    const target = new FakeTarget();
    setTargetFactory(() => target);
    await expect(retryFailed(w.db, w.accountId, target, undefined, 't')).rejects.toMatchObject({
      code: 'direction_changed',
    });
    await expect(retryFailed(w.db, w.accountId, target, [failed[0]!.id], 't')).rejects.toMatchObject({
      code: 'direction_changed',
    });
    expect(target.log).toEqual([]);
    expect(listJournal(w.db, w.accountId, ['failed'])).toEqual(failed);
    const preview = previewPush(w.db, w.accountId);
    expect(preview.unfinished).toBe(0);
    expect(preview.outsideScope).toBe(failed.length);
    // The channels carry the same (the renderer sees which rows are outside this push, and where they go).
    const ctx: AppContext = { db: w.db, workspacePath: ':memory:', isDemo: false, appVersion: 't', emit: () => {} };
    expect(await dispatch('push:preview', { accountId: w.accountId }, ctx)).toMatchObject({
      ok: true,
      value: { outsideScope: failed.length, unfinished: 0 },
    });
    const journal = await dispatch('push:journal', { accountId: w.accountId }, ctx);
    expect(journal.ok && (journal.value as { destination: string }[]).map((r) => r.destination)).toContain(
      failed[0]!.destination,
    );
    expect(await dispatch('push:retry', { accountId: w.accountId }, ctx)).toMatchObject({
      ok: false,
      error: { code: 'direction_changed' },
    });
    // Switching back makes them retryable again.
    switchTo(w, 'storefront_to_netsuite');
    const back = await retryFailed(w.db, w.accountId, target, undefined, 't');
    expect(back.sent).toBe(failed.length);
    setTargetFactory(null);
  });

  it('start and resume are refused while writes of the other direction are unfinished', async () => {
    const { w, failed } = await failedStorefrontToNetsuite();
    // As if the process died mid-send: the row is `sending` (maybe on NetSuite already).
    w.db.prepare("UPDATE push_journal SET state = 'sending' WHERE id = ?").run(failed[0]!.id);
    switchTo(w, 'netsuite_to_storefront');
    const target = new FakeTarget();
    const preview = previewPush(w.db, w.accountId);
    await expect(
      startPush(w.db, { accountId: w.accountId, confirmationCode: preview.confirmationCode, actor: 't' }, target),
    ).rejects.toMatchObject({ code: 'direction_changed' });
    await expect(resumePush(w.db, w.accountId, target)).rejects.toMatchObject({ code: 'direction_changed' });
    expect(target.log).toEqual([]);
  });

  it('rows confirmed for one NetSuite account are never sent to another one linked later', async () => {
    const { w, failed } = await failedStorefrontToNetsuite();
    const other = createNetsuiteAccount(w.db, { name: 'Other', accountId: '7654321_SB1', environment: 'sandbox' });
    w.db
      .prepare('UPDATE refund_sync_settings SET netsuite_account_id = ? WHERE storefront_account_id = ?')
      .run(other, w.accountId);
    const target = new FakeTarget();
    await expect(retryFailed(w.db, w.accountId, target, undefined, 't')).rejects.toThrow(
      /never sent to another account/,
    );
    expect(target.log).toEqual([]);
    expect(previewPush(w.db, w.accountId).outsideScope).toBe(failed.length);
  });

  it('the engine never hands a NetSuite row to a storefront target, whatever calls it', async () => {
    const { w } = await failedStorefrontToNetsuite();
    w.db.prepare("UPDATE push_journal SET state = 'pending'").run();
    const sent: string[] = [];
    const shopify: PushTarget = {
      name: 'shopify',
      find: async () => null,
      send: async (e) => {
        sent.push(e.target);
        return 'x';
      },
    };
    const dest = listJournal(w.db, w.accountId)[0]!.destination;
    const out = await runJournal(
      w.db,
      w.accountId,
      { direction: 'storefront_to_netsuite', destination: dest },
      shopify,
    );
    expect(sent).toEqual([]);
    expect(out.sent).toBe(0);
    expect(listJournal(w.db, w.accountId, ['failed'])[0]!.lastError).toMatch(
      /direction_changed: .*netsuite write.*never sent to shopify/,
    );
  });
});
