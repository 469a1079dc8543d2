import { afterEach, describe, expect, it } from 'vitest';
import { NetsuiteClient } from '../../../src/main/connectors/netsuite/client';
import type { AppContext } from '../../../src/main/context';
import { dispatch } from '../../../src/main/dispatch';
import { setTargetFactory } from '../../../src/main/sync/connections';
import {
  flagWillNotSync,
  parseDirection,
  parseSyncSettingsImport,
  setCapabilities,
  setDirection,
} from '../../../src/main/sync/direction-policy';
import { runDryRun } from '../../../src/main/sync/dry-run';
import { getDryRun } from '../../../src/main/sync/dry-run-store';
import { listJournal } from '../../../src/main/sync/journal';
import { previewPush, pushExceptions, retryFailed, startPush } from '../../../src/main/sync/push';
import { confirmReadinessItem, readiness } from '../../../src/main/sync/readiness';
import { NetsuiteRoundTripPort } from '../../../src/main/sync/round-trip/netsuite-port';
import { UserError } from '../../../src/shared/errors';
import { DEFAULT_TBA } from '../../emulators/netsuite/server';
import * as F from '../../fixtures/sync/refunds';
import { makeSyncWorkspace } from '../../fixtures/sync/workspace';
import { FakeTarget } from './fake-target';

afterEach(() => setTargetFactory(null));

const ctxOf = (db: AppContext['db']): AppContext => ({
  db,
  workspacePath: ':memory:',
  isDemo: false,
  appVersion: 'test',
  emit: () => {},
});

describe('direction policy', () => {
  it('refuses both directions at every entry point: parser, contract, settings import', async () => {
    for (const v of [
      'both',
      'storefront_to_netsuite,netsuite_to_storefront',
      ['storefront_to_netsuite', 'netsuite_to_storefront'],
      'BOTH ways',
    ]) {
      expect(() => parseDirection(v)).toThrow(/one way only/);
    }
    const w = await makeSyncWorkspace();
    const viaContract = await dispatch(
      'account:set-direction',
      { accountId: w.accountId, direction: 'both' },
      ctxOf(w.db),
    );
    expect(viaContract.ok).toBe(false);
    const arr = await dispatch(
      'account:set-direction',
      { accountId: w.accountId, direction: ['storefront_to_netsuite', 'netsuite_to_storefront'] },
      ctxOf(w.db),
    );
    expect(arr.ok).toBe(false);
    expect(() =>
      parseSyncSettingsImport(JSON.stringify({ accounts: [{ accountId: 1, direction: 'both' }] }), 'sync.json'),
    ).toThrow(/sync\.json.*accounts\[0\]\.direction.*both directions/);
    expect(() =>
      parseSyncSettingsImport(
        JSON.stringify({
          accounts: [{ accountId: 1, directions: ['storefront_to_netsuite', 'netsuite_to_storefront'] }],
        }),
      ),
    ).toThrow(/one way only/);
    // An import with one bad entry applies nothing.
    const bad = await dispatch(
      'account:import-sync-settings',
      {
        text: JSON.stringify({
          accounts: [
            { accountId: w.accountId, direction: 'netsuite_to_storefront' },
            { accountId: w.accountId, direction: 'both' },
          ],
        }),
      },
      ctxOf(w.db),
    );
    expect(bad.ok).toBe(false);
    expect(readiness(w.db, w.accountId).direction).toBe('off');
  });

  it('recommends carts out of NetSuite; choosing against it needs confirmation and is audited', async () => {
    const w = await makeSyncWorkspace();
    const first = setDirection(w.db, { accountId: w.accountId, direction: 'storefront_to_netsuite', actor: 'ana' });
    expect(first.status).toBe('confirmation_required');
    expect(first.recommendation.direction).toBe('netsuite_to_storefront');
    expect(readiness(w.db, w.accountId).direction).toBe('off');
    const confirmed = setDirection(w.db, {
      accountId: w.accountId,
      direction: 'storefront_to_netsuite',
      confirmAgainstRecommendation: true,
      actor: 'ana',
    });
    expect(confirmed.status).toBe('changed');
    const audit = w.db
      .prepare('SELECT actor, action, before, after FROM audit_log WHERE action LIKE ? ORDER BY id')
      .all('sync.direction%') as {
      actor: string;
      action: string;
      before: string;
      after: string;
    }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor: 'ana', action: 'sync.direction.against_recommendation' });
    expect(JSON.parse(audit[0]!.before)).toEqual({ direction: 'off' });
    const same = setDirection(w.db, { accountId: w.accountId, direction: 'netsuite_to_storefront', actor: 'ana' });
    expect(same.status).toBe('changed');
  });

  it('refuses a direction the capabilities do not offer, with the reason', async () => {
    const w = await makeSyncWorkspace({ platform: 'amazon' });
    expect(() =>
      setDirection(w.db, { accountId: w.accountId, direction: 'netsuite_to_storefront', actor: 'x' }),
    ).toThrow(/does not offer refund sync NetSuite → Storefront.*offers Storefront → NetSuite/);
    expect(setDirection(w.db, { accountId: w.accountId, direction: 'storefront_to_netsuite', actor: 'x' }).status).toBe(
      'changed',
    );
    expect(() => setCapabilities(w.db, { accountId: w.accountId, directions: [], actor: 'x' })).toThrow(
      /switch the direction off/,
    );
  });

  it('flags refunds that originate on the receiving side as will-not-sync', () => {
    const flags = flagWillNotSync('storefront_to_netsuite', [...F.NETSUITE_EXISTING, F.FULL]);
    expect(flags.map((f) => f.id)).toEqual(['4712']); // made by hand in NetSuite; 4711 was written by the sync
    expect(flags[0]!.reason).toMatch(/will not be synced.*double/);
    const out = flagWillNotSync('netsuite_to_storefront', [F.FULL, F.NS_CREDIT_MEMO]);
    expect(out.map((f) => f.id)).toEqual(['900001']);
    expect(flagWillNotSync('off', [F.FULL, ...F.NETSUITE_EXISTING])).toEqual([]);
  });
});

describe('dry run and readiness', () => {
  it('storefront → NetSuite dry run: pass/fail per refund with reasons and the full payload, sending nothing', async () => {
    const w = await makeSyncWorkspace();
    const target = new FakeTarget();
    const run = await runDryRun(
      w.db,
      {
        accountId: w.accountId,
        direction: 'storefront_to_netsuite',
        selection: {
          mode: 'refs',
          orderRefs: ['#1001', '#1002', '#1003', '#1004', '#1006', '#1007', '#1008', '#1009'],
        },
        actor: 't',
      },
      { target },
    );
    const by = Object.fromEntries(run.orders.map((o) => [o.orderRef, o]));
    expect(Object.fromEntries(run.orders.map((o) => [o.orderRef, o.status]))).toEqual({
      '#1001': 'pass',
      '#1002': 'pass',
      '#1003': 'pass',
      '#1004': 'pass',
      '#1006': 'pass',
      '#1007': 'pass',
      '#1008': 'fail',
      '#1009': 'fail',
    });
    expect(by['#1008']!.reasons.join(' ')).toMatch(
      /already_synced: Already synced \(NetSuite already shows this refund: NetSuite Cash Refund CR4711/,
    );
    expect(by['#1009']!.reasons.join(' ')).toMatch(/SKU CAP-01 .* not an item of NetSuite order #1009/);
    expect(by['#1001']!.scope).toBe('full');
    expect(by['#1002']!.scope).toBe('partial');
    expect(by['#1003']!.scope).toBe('shipping');
    expect((by['#1002']!.payload as { writes: unknown[] }).writes).toHaveLength(2);
    expect(run.status).toBe('fail');
    expect(target.sends()).toBe(0);
    expect(target.log.every((l) => l.op === 'find')).toBe(true);
    expect(getDryRun(w.db, run.id)!.orders).toHaveLength(8);
  });

  it('readiness: each unmet item says what to do; all met after a covering dry run and the confirmations', async () => {
    const w = await makeSyncWorkspace();
    let r = readiness(w.db, w.accountId);
    expect(r.allMet).toBe(false);
    expect(r.items.filter((i) => !i.met).every((i) => i.nextStep.length > 10)).toBe(true);
    setDirection(w.db, {
      accountId: w.accountId,
      direction: 'storefront_to_netsuite',
      confirmAgainstRecommendation: true,
      actor: 't',
    });
    const partialRun = await runDryRun(w.db, {
      accountId: w.accountId,
      selection: { mode: 'refs', orderRefs: ['#1002'] },
      actor: 't',
    });
    expect(partialRun.status).toBe('pass');
    expect(partialRun.coverage.missing).toEqual(['full', 'shipping']);
    r = readiness(w.db, w.accountId);
    expect(r.items.find((i) => i.id === 'refund_sync_validated')!.nextStep).toMatch(/full and shipping/);
    await runDryRun(w.db, {
      accountId: w.accountId,
      selection: { mode: 'refs', orderRefs: ['#1001', '#1002', '#1003'] },
      actor: 't',
    });
    confirmReadinessItem(w.db, { accountId: w.accountId, item: 'activation_steps', confirmed: true, actor: 't' });
    confirmReadinessItem(w.db, {
      accountId: w.accountId,
      item: 'order_sync_tested',
      confirmed: true,
      note: 'test order #T1 posted',
      actor: 't',
    });
    r = readiness(w.db, w.accountId);
    expect(r.items.find((i) => i.id === 'deployment_reviewed')!.nextStep).toMatch(/Import Orders Created After/);
    r = confirmReadinessItem(w.db, {
      accountId: w.accountId,
      item: 'deployment_reviewed',
      confirmed: true,
      importOrdersAfter: '2026-01-01',
      actor: 't',
    });
    expect(r.items.filter((i) => !i.met)).toEqual([]);
    expect(r.allMet).toBe(true);
    // A dry run older than 7 days no longer counts.
    expect(readiness(w.db, w.accountId, new Date(Date.now() + 8 * 86_400_000)).allMet).toBe(false);
    expect(() =>
      confirmReadinessItem(w.db, { accountId: w.accountId, item: 'one_direction', confirmed: true, actor: 't' }),
    ).toThrow(UserError);
  });

  it('round trip is refused for a production account ID, before any request', async () => {
    const w = await makeSyncWorkspace({ environment: 'production' });
    const target = new FakeTarget();
    // Never contacted: the gate refuses on the account ID alone.
    const client = new NetsuiteClient({ accountId: '1234567', auth: { kind: 'tba', ...DEFAULT_TBA } });
    await expect(
      runDryRun(
        w.db,
        {
          accountId: w.accountId,
          direction: 'storefront_to_netsuite',
          selection: { mode: 'test' },
          sandboxRoundTrip: true,
          actor: 't',
        },
        { target, roundTrip: new NetsuiteRoundTripPort(client, '1234567', {}) },
      ),
    ).rejects.toThrow(/Round trip refused; nothing was sent\. NetSuite account 1234567 is a production account/);
    expect(target.log).toEqual([]);
  });
});

describe('push', () => {
  async function enabled(environment: 'sandbox' | 'production' = 'sandbox') {
    const w = await makeSyncWorkspace({ environment });
    setDirection(w.db, {
      accountId: w.accountId,
      direction: 'storefront_to_netsuite',
      confirmAgainstRecommendation: true,
      actor: 't',
    });
    return w;
  }

  it('needs the confirmation of count and total per currency; journals before sending; already-present is not sent', async () => {
    const w = await enabled();
    const target = new FakeTarget();
    target.store.set('cashRefund:shopify-refund-900008', '4711');
    const preview = previewPush(w.db, w.accountId);
    // 10 refunds minus #1009 (unmapped SKU) and #1008 (NetSuite holds it under its External ID already).
    expect(preview.count).toBe(8);
    expect(preview.notPushable.map((n) => n.orderRef)).toEqual(['#1009']);
    expect(preview.alreadyOnTarget.map((n) => n.orderRef)).toEqual(['#1008']);
    expect(preview.alreadyOnTarget[0]!.reasons[0]).toMatch(/CR4711 carries this refund's key/);
    expect(preview.totals).toEqual({ USD: 7196 + 2700 + 500 + 320 + 1000 + 3000, EUR: 2000 + 2550 });
    expect(preview.summary).toBe('8 refunds: EUR 45.50; USD 147.16');
    await expect(
      startPush(w.db, { accountId: w.accountId, confirmationCode: 'wrong', actor: 't' }, target),
    ).rejects.toThrow(/confirmation does not match/);
    expect(target.log).toEqual([]);
    const out = await startPush(
      w.db,
      { accountId: w.accountId, confirmationCode: preview.confirmationCode, actor: 't' },
      target,
    );
    expect(out).toMatchObject({ sent: 9, alreadySynced: 1, failed: 0, remaining: 0 }); // 8 records + 1 customer refund sent
    const states = listJournal(w.db, w.accountId).map((j) => [j.refundKey, j.step, j.state]);
    expect(states).toContainEqual(['shopify-refund-900008', 0, 'already_synced']);
    expect(states).toContainEqual(['shopify-refund-900002', 1, 'confirmed']);
    // Nothing left: a second preview is empty and a second push sends nothing.
    const again = previewPush(w.db, w.accountId);
    expect(again.count).toBe(0);
    const sends = target.sends();
    await startPush(w.db, { accountId: w.accountId, confirmationCode: again.confirmationCode, actor: 't' }, target);
    expect(target.sends()).toBe(sends);
  });

  it('refuses a push in a direction that is not enabled, and production until readiness is met', async () => {
    const w = await makeSyncWorkspace();
    expect(() => previewPush(w.db, w.accountId)).toThrow(/sync is off/);
    const p = await enabled('production');
    const preview = previewPush(p.db, p.accountId);
    await expect(
      startPush(
        p.db,
        { accountId: p.accountId, confirmationCode: preview.confirmationCode, actor: 't' },
        new FakeTarget(),
      ),
    ).rejects.toThrow(/readiness checklist/);
  });

  it('failures land in the exception list and can be retried; a Customer Refund waits for its Credit Memo', async () => {
    const w = await enabled();
    const target = new FakeTarget();
    target.failKeys.add('creditMemo:shopify-refund-900002');
    target.failKeys.add('cashRefund:shopify-refund-900003');
    const preview = previewPush(w.db, w.accountId);
    const out = await startPush(
      w.db,
      { accountId: w.accountId, confirmationCode: preview.confirmationCode, actor: 't' },
      target,
    );
    expect(out.failed).toBe(2);
    expect(out.skippedDependent).toBe(1);
    const ex = pushExceptions(w.db, w.accountId);
    expect(ex.failed.map((f) => [f.refundKey, f.step])).toEqual([
      ['shopify-refund-900002', 0],
      ['shopify-refund-900002', 1],
      ['shopify-refund-900003', 0],
    ]);
    expect(ex.failed[1]!.lastError).toMatch(/waiting for step 0/);
    target.failKeys.clear();
    const retried = await retryFailed(w.db, w.accountId, target, undefined, 't');
    expect(retried).toMatchObject({ sent: 3, failed: 0 });
    expect(pushExceptions(w.db, w.accountId).failed).toEqual([]);
  });

  it('the service channels work end to end with a configured target', async () => {
    const w = await enabled();
    const target = new FakeTarget();
    setTargetFactory(() => target);
    const ctx = ctxOf(w.db);
    const preview = await dispatch('push:preview', { accountId: w.accountId }, ctx);
    expect(preview.ok).toBe(true);
    const value = (preview as { value: { totals: Record<string, string>; confirmationCode: string } }).value;
    expect(value.totals).toEqual({ EUR: '45.50', USD: '147.16' });
    const started = await dispatch(
      'push:start',
      { accountId: w.accountId, confirmationCode: value.confirmationCode },
      ctx,
    );
    expect(started).toMatchObject({ ok: true, value: { failed: 0, remaining: 0 } });
    const dry = await dispatch(
      'dry-run:start',
      { accountId: w.accountId, selection: { mode: 'sample', size: 3 } },
      ctx,
    );
    expect(dry.ok).toBe(true);
    const list = await dispatch('dry-run:list', { accountId: w.accountId }, ctx);
    expect((list as { value: unknown[] }).value).toHaveLength(1);
    const audit = await dispatch('audit:list', { entity: `storefront_account:${w.accountId}` }, ctx);
    expect((audit as { value: { action: string }[] }).value.map((a) => a.action)).toContain('sync.push');
    const ready = await dispatch('readiness:get', { accountId: w.accountId }, ctx);
    expect(ready.ok).toBe(true);
    const cat = await dispatch('account:catalogue', {}, ctx);
    expect(
      (cat as { value: { platform: string; recommended: string }[] }).value.find((c) => c.platform === 'ebay')!
        .recommended,
    ).toBe('storefront_to_netsuite');
  });
});
