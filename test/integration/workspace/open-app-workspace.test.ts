import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listRuns } from '../../../src/main/reconcile/runs/runs';
import { listStorefrontAccounts } from '../../../src/main/store/accounts';
import { listSnapshots } from '../../../src/main/store/snapshots';
import { DEMO_ACCOUNTS } from '../../../src/main/workspace/create-demo-workspace';
import { openAppWorkspace } from '../../../src/main/workspace/open-app-workspace';

let home: string;
const savedHome = process.env.REFUND_RECON_HOME;

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-home-'));
  process.env.REFUND_RECON_HOME = home;
});
afterEach(() => {
  if (savedHome === undefined) delete process.env.REFUND_RECON_HOME;
  else process.env.REFUND_RECON_HOME = savedHome;
  fs.rmSync(home, { recursive: true, force: true });
});

const emit = () => {};

describe('openAppWorkspace', () => {
  it('creates and opens the demo workspace on first start, with both accounts, both snapshots and a run', async () => {
    const ctx = await openAppWorkspace({ appVersion: 'test', emit });
    expect(ctx.isDemo).toBe(true);
    expect(ctx.workspacePath).toBe(path.join(home, 'demo-workspace.sqlite'));
    expect(listStorefrontAccounts(ctx.db).map((a) => a.name)).toEqual([DEMO_ACCOUNTS.storefront]);
    const snapshots = listSnapshots(ctx.db);
    expect(snapshots.map((s) => s.side).sort()).toEqual(['netsuite', 'storefront']);
    expect(snapshots.every((s) => s.refundCount > 0)).toBe(true);
    const runs = ctx.db.prepare("SELECT count(*) AS n FROM comparison_runs WHERE status = 'complete'").get();
    expect(runs).toEqual({ n: 1 });
    // The first run shows one case of each tender code (issue 18); the chargeback needs the demo's disputes.
    const byCode = listRuns(ctx.db)[0]!.summary!.byCode;
    for (const code of ['tender_mismatch', 'credit_not_paid_out', 'exchange', 'chargeback'])
      expect(byCode[code]).toBe(1);
    expect(fs.readdirSync(home).filter((f) => f.includes('.building'))).toEqual([]);
    ctx.db.close();

    // Second start: the same file, not rebuilt.
    const again = await openAppWorkspace({ appVersion: 'test', emit });
    expect(listSnapshots(again.db)).toHaveLength(2);
    again.db.close();
  });

  it('opens a given workspace file empty, not as the demo', async () => {
    const file = path.join(home, 'books.sqlite');
    const ctx = await openAppWorkspace({ workspacePath: file, appVersion: 'test', emit });
    expect(ctx.isDemo).toBe(false);
    expect(listSnapshots(ctx.db)).toEqual([]);
    ctx.db.close();
  });
});
