import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/main/context';
import { dispatch } from '../../../src/main/dispatch';
import { openWorkspace } from '../../../src/main/store/open';
import { createDemoWorkspace } from '../../../src/main/workspace/create-demo-workspace';
import { runCli } from '../../support/run-cli-in-process';

/** Issue 13 item 9: the workspace's tolerances and date window, used by `reconcile --workspace` and the app's compare. */

let dir: string;
let ws: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-settings-'));
  ws = path.join(dir, 'demo.sqlite');
  await createDemoWorkspace(ws);
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function reconcileCodes(): Promise<Record<string, number>> {
  const out = path.join(dir, 'out.json');
  const run = await runCli([
    'reconcile',
    '--storefront-snapshot',
    '1',
    '--netsuite-snapshot',
    '2',
    '--workspace',
    ws,
    '--format',
    'json',
    '--out',
    out,
  ]);
  expect(run.stderr).not.toMatch(/unexpected/);
  return (JSON.parse(fs.readFileSync(out, 'utf8')) as { summary: { byCode: Record<string, number> } }).summary.byCode;
}

describe('workspace comparison settings', () => {
  it('settings set / show; bad input refused with what to do', async () => {
    expect((await runCli(['settings', 'set', '--workspace', ws, '--currency-tolerance', 'USD=abc'])).stderr).toMatch(
      /not an amount/,
    );
    expect((await runCli(['settings', 'set', '--workspace', ws, '--currency-tolerance', 'XYZ=1'])).stderr).toMatch(
      /ISO 4217/,
    );
    expect((await runCli(['settings', 'set', '--workspace', ws, '--date-window', '-3'])).status).toBe(2);
    const shown = await runCli(['settings', 'show', '--workspace', ws, '--json']);
    expect(JSON.parse(shown.stdout)).toEqual({
      defaultTolerance: null,
      tolerances: {},
      dateWindowDays: 7,
      creditPayoutDays: 7,
    });
  });

  it('reconcile --workspace applies the stored per-currency tolerance unless --tolerance is given', async () => {
    const strict = await reconcileCodes();
    expect(strict.amount_mismatch).toBeGreaterThan(0);
    const set = await runCli([
      'settings',
      'set',
      '--workspace',
      ws,
      '--currency-tolerance',
      'USD=1000',
      '--date-window',
      '30',
    ]);
    expect(set.status, set.stderr).toBe(0);
    const loose = await reconcileCodes();
    expect(loose.amount_mismatch ?? 0).toBeLessThan(strict.amount_mismatch!);
    // A tolerance on the command line wins over the workspace's.
    const cli = await runCli([
      'reconcile',
      '--storefront-snapshot',
      '1',
      '--netsuite-snapshot',
      '2',
      '--workspace',
      ws,
      '--format',
      'json',
      '--tolerance',
      '0.01',
      '--out',
      path.join(dir, 'cli.json'),
    ]);
    expect(cli.status).toBe(1);
    const strictAgain = JSON.parse(fs.readFileSync(path.join(dir, 'cli.json'), 'utf8')) as {
      summary: { byCode: Record<string, number> };
    };
    expect(strictAgain.summary.byCode.amount_mismatch).toBe(strict.amount_mismatch);
  });

  it("the app's compare (run:compare) uses them too", async () => {
    const db = openWorkspace(ws);
    const ctx: AppContext = { db, workspacePath: ws, isDemo: false, appVersion: 'test', emit: () => {} };
    try {
      const settings = await dispatch('settings:get', {}, ctx);
      expect(settings).toMatchObject({ ok: true, value: { tolerances: { USD: '1000' }, dateWindowDays: 30 } });
      const result = await dispatch('run:compare', { storefrontSnapshotId: 1, netsuiteSnapshotId: 2 }, ctx);
      expect(result.ok, JSON.stringify(result)).toBe(true);
      const runId = (result as { value: { runId: number } }).value.runId;
      const rules = JSON.parse(
        (db.prepare('SELECT rules FROM comparison_runs WHERE id = ?').get(runId) as { rules: string }).rules,
      );
      expect(rules).toMatchObject({ tolerance: { byCurrency: { USD: '1000' } }, dateWindowDays: 30 });
    } finally {
      db.close();
    }
  });
});
