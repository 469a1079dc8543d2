import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/main/context';
import { dispatch } from '../../../src/main/dispatch';
import { readSyncState } from '../../../src/main/sync/settings-store';
import { api, type Harness, startHarness } from '../serve/helpers';

/**
 * Issue 17 Y4: account:import-sync-settings refuses a file of the wrong shape with where and what
 * was expected (never a TypeError / 500), and applies a direction against the recommendation only
 * with the confirmation account:set-direction requires — through dispatch and over HTTP.
 */

let h: Harness;
beforeAll(async () => {
  h = await startHarness(64 * 1024);
});
afterAll(async () => h?.close());

const accountId = () => (h.ctx.db.prepare('SELECT id FROM storefront_accounts LIMIT 1').get() as { id: number }).id;
const direction = () => readSyncState(h.ctx.db, accountId()).direction;
const audits = () => (h.ctx.db.prepare('SELECT COUNT(*) AS n FROM audit_log').get() as { n: number }).n;

const BAD_FILES: [string, RegExp][] = [
  ['null', /settings\.json: accounts: expected \{"accounts".*found null/],
  [
    '{"accounts":[null]}',
    /settings\.json: accounts\[0\]: expected an object like \{"accountId": 1, "direction": "off"\}; found null/,
  ],
  ['{"accounts":[1]}', /accounts\[0\]: expected an object.*found number 1/],
  ['[]', /accounts: expected \{"accounts"/],
  ['"x"', /accounts: expected \{"accounts"/],
  ['{"accounts":{}}', /accounts: expected .*found an object/],
  ['{"accounts":[{"accountId":1,"direction":null}]}', /accounts\[0\]\.direction/],
  ['{"accounts":[{"accountId":"1","direction":"off"}]}', /accounts\[0\]\.accountId: expected an integer/],
];

describe('account:import-sync-settings (issue 17 Y4)', () => {
  it('via dispatch: files of the wrong shape are invalid_settings with the field, nothing applied', async () => {
    const ctx: AppContext = h.ctx;
    for (const [text, message] of BAD_FILES) {
      const out = await dispatch('account:import-sync-settings', { text }, ctx);
      expect({ text, ok: out.ok }).toEqual({ text, ok: false });
      if (out.ok) continue;
      expect({ text, code: out.error.code }).toEqual({
        text,
        code: expect.stringMatching(/^invalid_(settings|direction)$/),
      });
      expect(out.error.message).toMatch(message);
      expect(out.error.message).not.toMatch(/TypeError|Cannot read/);
    }
    expect(direction()).toBe('off');
  });

  it('via dispatch: against the recommendation needs the confirmation set-direction needs', async () => {
    const text = JSON.stringify({ accounts: [{ accountId: accountId(), direction: 'storefront_to_netsuite' }] });
    const before = audits();
    const unconfirmed = await dispatch('account:import-sync-settings', { text }, h.ctx);
    expect(unconfirmed).toMatchObject({
      ok: true,
      value: [
        {
          status: 'confirmation_required',
          againstRecommendation: true,
          message: expect.stringMatching(/against the recommendation/),
        },
      ],
    });
    expect(direction()).toBe('off');
    expect(audits()).toBe(before);
    // The same answer set-direction gives for the same choice.
    const viaSet = await dispatch(
      'account:set-direction',
      { accountId: accountId(), direction: 'storefront_to_netsuite' },
      h.ctx,
    );
    expect(viaSet).toMatchObject({ ok: true, value: { status: 'confirmation_required' } });
    const confirmed = await dispatch(
      'account:import-sync-settings',
      { text, confirmAgainstRecommendation: true },
      h.ctx,
    );
    expect(confirmed).toMatchObject({ ok: true, value: [{ status: 'changed', againstRecommendation: true }] });
    expect(direction()).toBe('storefront_to_netsuite');
    const audit = h.ctx.db.prepare('SELECT action FROM audit_log ORDER BY id DESC LIMIT 1').get();
    expect(audit).toEqual({ action: 'sync.direction.against_recommendation' });
    // Back to off (never against a recommendation): no confirmation needed.
    const off = await dispatch(
      'account:import-sync-settings',
      { text: JSON.stringify({ accounts: [{ accountId: accountId(), direction: 'off' }] }) },
      h.ctx,
    );
    expect(off).toMatchObject({ ok: true, value: [{ status: 'changed' }] });
  });

  it('over HTTP (browser mode): 422 with the field for every bad file, never a 500; confirmation as above', async () => {
    for (const [text, message] of BAD_FILES) {
      const reply = await api(h.server.port, 'account:import-sync-settings', { text });
      expect({ text, status: reply.status }).toEqual({ text, status: 422 }); // a user error, not a 500
      const body = reply.json() as { error: { code: string; message: string } };
      expect(body.error.message).toMatch(message);
    }
    const text = JSON.stringify({ accounts: [{ accountId: accountId(), direction: 'storefront_to_netsuite' }] });
    const waiting = await api(h.server.port, 'account:import-sync-settings', { text });
    expect(waiting.status).toBe(200);
    expect(JSON.stringify(waiting.json())).toMatch(/confirmation_required/);
    expect(direction()).toBe('off');
    const done = await api(h.server.port, 'account:import-sync-settings', { text, confirmAgainstRecommendation: true });
    expect(done.status).toBe(200);
    expect(direction()).toBe('storefront_to_netsuite');
  });
});
