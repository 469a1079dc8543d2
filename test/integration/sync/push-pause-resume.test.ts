import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLoopbackApisAllowed } from '../../../src/main/connectors/destination-policy';
import type { AppContext } from '../../../src/main/context';
import { dispatch } from '../../../src/main/dispatch';
import { setDirection } from '../../../src/main/sync/direction-policy';
import { listJournal } from '../../../src/main/sync/journal';
import type { JobProgress } from '../../../src/shared/contract/events';
import { DEFAULT_TBA, type NetsuiteEmulator, startNetsuiteEmulator } from '../../emulators/netsuite/server';
import { makeSyncWorkspace } from '../../fixtures/sync/workspace';

/**
 * Issue 13 item 7: push from the app with progress, pause (or cancel) and resume, through the
 * contract (dispatch) against the NetSuite emulator. Progress comes from the push itself as
 * job:progress events; pausing stops after the write in flight and resuming sends the rest from
 * the journal, none twice.
 */

// The one naming scheme of docs/connections.md.
const ENV = {
  REFUND_RECON_NETSUITE_CONSUMERKEY: DEFAULT_TBA.consumerKey,
  REFUND_RECON_NETSUITE_CONSUMERSECRET: DEFAULT_TBA.consumerSecret,
  REFUND_RECON_NETSUITE_TOKENID: DEFAULT_TBA.token,
  REFUND_RECON_NETSUITE_TOKENSECRET: DEFAULT_TBA.tokenSecret,
};
const saved: Record<string, string | undefined> = {};
let ns: NetsuiteEmulator;

beforeAll(async () => {
  setLoopbackApisAllowed(true);
  for (const [k, v] of Object.entries(ENV)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  ns = await startNetsuiteEmulator();
});
afterAll(async () => {
  setLoopbackApisAllowed(undefined);
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await ns?.close();
});

const writes = () => ns.requests.filter((r) => r.method !== 'GET' && r.path.includes('/record/'));

describe('push through the contract: progress events, pause, cancel and resume', () => {
  it('pauses after the first write, resumes the rest; each refund written once', async () => {
    const w = await makeSyncWorkspace({ netsuiteBaseUrl: ns.url });
    setDirection(w.db, {
      accountId: w.accountId,
      direction: 'storefront_to_netsuite',
      confirmAgainstRecommendation: true,
      actor: 't',
    });
    // NetSuite 1234567_SB1 is a sandbox: the push goes without the production checklist.
    const events: JobProgress[] = [];
    const pause = new AbortController();
    const ctx: AppContext = {
      db: w.db,
      workspacePath: ':memory:',
      isDemo: false,
      appVersion: 'test',
      emit: (event, payload) => {
        if (event !== 'job:progress') return;
        events.push(payload as JobProgress);
        // The user presses Pause as soon as the first refund is written.
        if ((payload as JobProgress).done >= 1) pause.abort();
      },
    };
    const preview = (await dispatch('push:preview', { accountId: w.accountId }, ctx)) as {
      ok: true;
      value: { count: number; confirmationCode: string };
    };
    expect(preview.ok).toBe(true);
    const count = preview.value.count;
    expect(count).toBeGreaterThan(2);

    const paused = await dispatch(
      'push:start',
      { accountId: w.accountId, confirmationCode: preview.value.confirmationCode, actor: 'Ann' },
      ctx,
      pause.signal,
    );
    // A pause is not a failure: the push answers what it did, the rest left for Resume.
    expect(paused).toMatchObject({ ok: true, value: { failed: 0 } });
    expect((paused as { value: { remaining: number } }).value.remaining).toBeGreaterThan(0);
    // Real progress from the push: kind push, counted in refunds, out of the journal's rows.
    expect(events[0]).toMatchObject({ kind: 'push', unit: 'refunds', done: 1 });
    expect(events[0]!.total).toBeGreaterThanOrEqual(count);
    const afterPause = listJournal(w.db, w.accountId);
    const sentBefore = afterPause.filter((r) => r.state === 'confirmed').length;
    expect(sentBefore).toBeGreaterThanOrEqual(1);
    expect(afterPause.some((r) => r.state === 'pending')).toBe(true); // the rest waits in the journal
    const writesAtPause = writes().length;

    // Cancel is the same stop: a resume that is cancelled at once sends nothing more.
    const cancel = new AbortController();
    cancel.abort();
    const cancelled = await dispatch('push:resume', { accountId: w.accountId }, ctx, cancel.signal);
    expect(cancelled).toMatchObject({ ok: true, value: { sent: 0 } });
    expect(writes().length).toBe(writesAtPause);

    // Resume: the rest is sent, with progress, and nothing already sent goes again.
    events.length = 0;
    const resumeCtx: AppContext = {
      ...ctx,
      emit: (event, payload) => event === 'job:progress' && events.push(payload as JobProgress),
    };
    const resumed = await dispatch('push:resume', { accountId: w.accountId }, resumeCtx);
    expect(resumed).toMatchObject({ ok: true, value: { failed: 0, remaining: 0 } });
    const done = listJournal(w.db, w.accountId);
    expect(done.every((r) => r.state === 'confirmed' || r.state === 'already_synced')).toBe(true);
    expect(events.at(-1)).toMatchObject({ kind: 'push', unit: 'refunds' });
    expect(events.at(-1)!.done).toBe(events.at(-1)!.total);
    // One write per journal row: the paused ones were not sent again.
    const paths = writes().map((r) => r.path);
    expect(new Set(paths).size).toBe(paths.length);
  });
});
