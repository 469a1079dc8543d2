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
 * pair is in test/integration/sync/demo-dry-run.test.ts; the pull pair in
 * test/integration/connectors/pull-job.test.ts and cli-pull-storefronts.test.ts.
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

describe('the CLI and the app give the same result for the same input', () => {
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
});
