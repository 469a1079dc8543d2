import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/main/context';
import { dispatch } from '../../../src/main/dispatch';
import { openWorkspace } from '../../../src/main/store/open';

/**
 * Issue 12: every CLI command is a thin face over a use-case the app's handler calls too. Each pair
 * below gives the same input to both faces — the CLI (the built out/main/cli.js, spawned) and the
 * contract (dispatch, as IPC and browser mode call it) — and expects the same result. The dry-run
 * pair is in test/integration/sync/demo-dry-run.test.ts; the pull pair in cli-app-parity-pull.test.ts.
 */

const root = path.resolve(__dirname, '../../..');
const storefrontFile = path.join(root, 'resources/demo/shopify-orders.json');
const netsuiteFile = path.join(root, 'resources/demo/netsuite-refunds.csv');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-parity-'));

afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cli(...args: string[]) {
  const run = spawnSync(process.execPath, [path.join(root, 'bin', 'refund-recon.js'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function appContext(workspacePath: string): AppContext {
  return { db: openWorkspace(workspacePath), workspacePath, isDemo: false, appVersion: 'test', emit: () => {} };
}

async function call<T>(ctx: AppContext, channel: string, payload: unknown): Promise<T> {
  const result = await dispatch(channel, payload, ctx);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

interface ImportOut {
  snapshot: { id: number; refundCount: number; lineCount: number; rowCount: number; format: string } | null;
  format: string;
  refundCount: number;
  lineCount: number;
  rowCount: number;
}

describe('the CLI and the app give the same result for the same input', { timeout: 120_000 }, () => {
  it('import: refund-recon import and snapshot:import', async () => {
    const cliWorkspace = path.join(tmp, 'import-cli.sqlite');
    const appWorkspace = path.join(tmp, 'import-app.sqlite');
    const viaCli = cli('import', netsuiteFile, '--side', 'netsuite', '--workspace', cliWorkspace, '--json');
    expect(viaCli.status).toBe(0);
    const cliOut = JSON.parse(viaCli.stdout) as ImportOut & { snapshot: ImportOut['snapshot'] };
    const ctx = appContext(appWorkspace);
    try {
      const appOut = await call<ImportOut>(ctx, 'snapshot:import', { path: netsuiteFile, side: 'netsuite' });
      const counts = (o: ImportOut) => ({
        format: o.format,
        refundCount: o.refundCount,
        lineCount: o.lineCount,
        rowCount: o.rowCount,
      });
      expect(counts(appOut)).toEqual(counts(cliOut));
      // Both wrote the same refunds.
      const cliDb = openWorkspace(cliWorkspace);
      try {
        const rows = (db: AppContext['db']) =>
          db.prepare('SELECT order_ref, total, currency FROM refunds ORDER BY id').all() as unknown[];
        expect(rows(ctx.db)).toEqual(rows(cliDb));
      } finally {
        cliDb.close();
      }
    } finally {
      ctx.db.close();
    }
  });

  it('reconcile: refund-recon reconcile --workspace and run:compare on the same snapshots', async () => {
    const workspace = path.join(tmp, 'reconcile.sqlite');
    const viaCli = cli(
      'reconcile',
      '--storefront',
      storefrontFile,
      '--netsuite',
      netsuiteFile,
      '--workspace',
      workspace,
      '--format',
      'json',
    );
    expect(viaCli.stderr).toMatch(/run 1 stored/);
    const cliSummary = (JSON.parse(viaCli.stdout) as { summary: Record<string, unknown> }).summary;
    const ctx = appContext(workspace);
    try {
      const appRun = await call<{ runId: number; summary: Record<string, unknown> }>(ctx, 'run:compare', {
        storefrontSnapshotId: 1,
        netsuiteSnapshotId: 2,
      });
      expect(appRun.runId).toBe(2);
      expect(appRun.summary).toEqual(cliSummary);
      // The stored runs agree result by result.
      const results = (runId: number) =>
        ctx.db
          .prepare('SELECT result_key, code, severity FROM results WHERE run_id = ? ORDER BY result_key')
          .all(runId);
      expect(results(2)).toEqual(results(1));
    } finally {
      ctx.db.close();
    }
  });

  it('sync settings: account direction / capabilities set / account sync-options and their channels', async () => {
    const optionsFile = path.join(tmp, 'options.json');
    fs.writeFileSync(optionsFile, JSON.stringify({ genericItemId: '501', currencyIds: { USD: '1' } }));
    const setUp = (workspace: string) => {
      for (const args of [
        ['workspace', 'create', workspace],
        ['account', 'add', 'netsuite', '--workspace', workspace, '--name', 'NS', '--account-id', '1234567_SB1'],
        [
          'account',
          'add',
          'storefront',
          '--workspace',
          workspace,
          '--name',
          'Shop',
          '--platform',
          'shopify',
          '--netsuite',
          'NS',
        ],
      ]) {
        const run = cli(...args);
        expect(run.status, run.stderr).toBe(0);
      }
    };
    const cliWorkspace = path.join(tmp, 'sync-cli.sqlite');
    const appWorkspace = path.join(tmp, 'sync-app.sqlite');
    setUp(cliWorkspace);
    setUp(appWorkspace);
    const W = ['--workspace', cliWorkspace, '--by', 'ann'];
    for (const args of [
      ['account', 'direction', 'Shop', 'netsuite-to-storefront', '--yes', ...W],
      ['capabilities', 'set', 'Shop', '--store-credit', 'yes', '--split-tender', 'no', ...W],
      ['account', 'sync-options', 'Shop', '--file', optionsFile, ...W],
    ]) {
      const run = cli(...args);
      expect(run.status, run.stderr).toBe(0);
    }
    const ctx = appContext(appWorkspace);
    try {
      const accountId = 1;
      await call(ctx, 'account:set-direction', {
        accountId,
        direction: 'netsuite_to_storefront',
        confirmAgainstRecommendation: true,
        actor: 'ann',
      });
      await call(ctx, 'account:set-capabilities', { accountId, storeCredit: true, splitTender: false, actor: 'ann' });
      await call(ctx, 'account:set-sync-options', {
        accountId,
        options: JSON.parse(fs.readFileSync(optionsFile, 'utf8')) as Record<string, unknown>,
        actor: 'ann',
      });
      // A wrong option is refused by both faces, naming the field.
      const bad = await dispatch(
        'account:set-sync-options',
        { accountId, options: { genericItemId: 5 }, actor: 'ann' },
        ctx,
      );
      expect(bad.ok).toBe(false);
      // The app names the field in words (no JSON keys on screen); the location keeps the key for scripts.
      if (!bad.ok) {
        expect(bad.error.message).toMatch(/^Refund item for amounts not tied to a product: /);
        expect(bad.error.location?.field).toBe('genericItemId');
      }
      const badFile = path.join(tmp, 'bad-options.json');
      fs.writeFileSync(badFile, JSON.stringify({ genericItemId: 5 }));
      const badCli = cli('account', 'sync-options', 'Shop', '--file', badFile, ...W);
      expect(badCli.status).toBe(2);
      expect(badCli.stderr).toMatch(/bad-options\.json, field genericItemId/);

      const state = (db: AppContext['db']) => ({
        account: db
          .prepare(
            'SELECT name, platform, line_item_refunds, directions, store_credit, split_tender FROM storefront_accounts',
          )
          .all(),
        sync: db.prepare('SELECT direction, options FROM refund_sync_settings').all(),
        audit: db
          .prepare("SELECT actor, action, entity FROM audit_log WHERE action NOT LIKE 'account.add' ORDER BY id")
          .all(),
      });
      const cliDb = openWorkspace(cliWorkspace);
      try {
        expect(state(ctx.db).sync).toHaveLength(1);
        expect(state(cliDb)).toEqual(state(ctx.db));
      } finally {
        cliDb.close();
      }
    } finally {
      ctx.db.close();
    }
  });
});
