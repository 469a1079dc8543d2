import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/main/context';
import { DEMO_SYNC_OPTIONS } from '../../../src/main/demo/order-context';
import { dispatch } from '../../../src/main/dispatch';
import { openWorkspace } from '../../../src/main/store/open';
import { setTargetFactory } from '../../../src/main/sync/connections';
import { setDirection } from '../../../src/main/sync/direction-policy';
import { previewPush } from '../../../src/main/sync/push';
import { loadOrderContexts } from '../../../src/main/sync/sources';
import { createDemoWorkspace } from '../../../src/main/workspace/create-demo-workspace';

/**
 * Issue 6 "Done when": a dry run on the demo workspace reports the expected passes and failures.
 * The demo's test-flagged orders (resources/demo, planted by src/main/demo/order-context.ts) are
 * dry-run storefront → NetSuite through the CLI and through the `dry-run:start` channel.
 */

const root = path.resolve(__dirname, '../../..');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-demo-dry-'));
const workspace = path.join(tmp, 'demo.sqlite');

beforeAll(async () => {
  await createDemoWorkspace(workspace);
}, 60_000);
afterAll(() => {
  setTargetFactory(null);
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface OrderOut {
  orderRef: string;
  refundId: string;
  status: 'pass' | 'fail';
  reasons: string[];
  checks: { name: string; ok: boolean }[];
  payload: { writes: { recordType: string; path: string; body: Record<string, unknown> }[] };
}

/** What the demo's test orders must give: the checks that fail, and words of the reasons. */
const EXPECTED: Record<string, { status: 'pass' | 'fail'; failed: string[]; reason?: RegExp; records?: string[] }> = {
  // Not yet in NetSuite, billed by a Cash Sale: one Cash Refund.
  '#1004': { status: 'pass', failed: [], records: ['cashRefund'] },
  // Not yet in NetSuite, billed by an Invoice: Credit Memo + the Customer Refund that pays it out.
  '#1029': { status: 'pass', failed: [], records: ['creditMemo', 'customerRefund'] },
  // The sync wrote it before (External ID shopify-refund-…): a second record would be a double.
  '#1003': {
    status: 'fail',
    failed: ['already_synced'],
    reason: /already_synced: .*CR1003 carries this refund's key in its External ID "shopify-refund-908000002"/,
  },
  // Refunded against the Sales Order: the order is not billed and has no deposit.
  '#1007': {
    status: 'fail',
    failed: ['build', 'already_synced'],
    reason: /Order #1007 has no Cash Sale, Invoice or Customer Deposit in NetSuite yet: bill it/,
  },
  // Not billed, but a Customer Deposit was taken: a Customer Refund against it (already recorded, though).
  '#1012': {
    status: 'fail',
    failed: ['already_synced'],
    records: ['customerRefund'],
    reason: /CR1011 carries this refund's key/,
  },
  // No successful refund transaction: nothing to record.
  '#1013': { status: 'fail', failed: ['build'], reason: /only completed refunds are synced/ },
  // NetSuite names the item differently: the SKU needs an item mapping.
  '#1019': {
    status: 'fail',
    failed: ['build', 'lines', 'already_synced'],
    reason: /SKU TEE-CLS-L is not an item of NetSuite order #1019: add it to the item mapping/,
  },
  // NetSuite holds the EUR order in USD.
  '#1030': {
    status: 'fail',
    failed: ['build', 'already_synced'],
    reason: /is in EUR but NetSuite holds order #1030 in USD/,
  },
};

function expectDemoResults(orders: OrderOut[]): void {
  expect(orders.map((o) => o.orderRef).sort()).toEqual(Object.keys(EXPECTED).sort());
  for (const o of orders) {
    const want = EXPECTED[o.orderRef]!;
    expect({ order: o.orderRef, status: o.status }).toEqual({ order: o.orderRef, status: want.status });
    expect({ order: o.orderRef, failed: o.checks.filter((c) => !c.ok).map((c) => c.name) }).toEqual({
      order: o.orderRef,
      failed: want.failed,
    });
    expect(o.reasons).toHaveLength(want.failed.length);
    if (want.reason) expect(o.reasons.join('\n')).toMatch(want.reason);
    if (want.records) expect(o.payload.writes.map((w) => w.recordType)).toEqual(want.records);
  }
  // The passes carry the full would-be payload, with the demo account's items and currency ids.
  const invoice = orders.find((o) => o.orderRef === '#1029')!;
  const [memo, payout] = invoice.payload.writes;
  expect(memo!.path).toBe('/record/v1/creditMemo/eid:shopify-refund-908000029');
  expect(memo!.body.createdFrom).toEqual({ id: expect.any(String) });
  expect(memo!.body.currency).toEqual({ id: DEMO_SYNC_OPTIONS.currencyIds.USD });
  const items = (memo!.body.item as { items: { item: { id: string }; amount: number }[] }).items;
  expect(items.map((i) => i.item.id)).toEqual([expect.any(String), DEMO_SYNC_OPTIONS.taxOnlyItemId]);
  expect(items.map((i) => i.amount)).toEqual([149, 12.29]);
  expect(payout!.path).toBe('/record/v1/customerRefund/eid:shopify-refund-908000029-cr');
  const deposit = orders.find((o) => o.orderRef === '#1012')!.payload.writes[0]!;
  expect(deposit.body.deposit).toBeDefined();
}

describe('dry run on the demo workspace', { timeout: 60_000 }, () => {
  it('the demo workspace carries order contexts for every demo order, test orders included', () => {
    const db = openWorkspace(workspace);
    try {
      const contexts = loadOrderContexts(db, 1);
      expect(contexts.netsuite.size).toBe(50);
      expect(contexts.storefront.size).toBe(50);
      expect(contexts.netsuite.get('1029')!.billing.type).toBe('invoice');
      expect(contexts.netsuite.get('1007')!.billing.type).toBe('none');
      const tests = db.prepare('SELECT DISTINCT order_ref FROM refunds WHERE is_test = 1 ORDER BY order_ref').all();
      expect(tests.map((t) => (t as { order_ref: string }).order_ref)).toEqual(Object.keys(EXPECTED).sort());
      // The direction stays off until the user chooses it.
      const direction = db.prepare('SELECT direction FROM refund_sync_settings WHERE storefront_account_id = 1').get();
      expect(direction).toEqual({ direction: 'off' });
    } finally {
      db.close();
    }
  });

  it('CLI: refund-recon dry-run --test-orders reports the expected passes and failures with reasons', () => {
    const args = ['--account', '1', '--direction', 'storefront_to_netsuite', '--test-orders'];
    const run = (format: string) =>
      spawnSync(
        process.execPath,
        [path.join(root, 'bin', 'refund-recon.js'), 'dry-run', ...args, '--workspace', workspace, '--format', format],
        { encoding: 'utf8', env: { ...process.env, REFUND_RECON_NS_CONSUMER_KEY: '' } },
      );
    const json = run('json');
    expect(json.stderr).toBe('');
    expect(json.status).toBe(1); // some orders fail
    const doc = JSON.parse(json.stdout) as { status: string; passed: number; failed: number; orders: OrderOut[] };
    expect([doc.status, doc.passed, doc.failed]).toEqual(['fail', 2, 6]);
    expectDemoResults(doc.orders);
    const table = run('table');
    expect(table.stdout).toMatch(/2 passed, 6 failed/);
    expect(table.stdout).toMatch(/PASS {2}#1004/);
    expect(table.stdout).toMatch(/FAIL {2}#1019 .*\n.*not an item of NetSuite order #1019/);
    expect(table.stdout).toMatch(/Nothing was sent that writes/);
  });

  it('channel: dry-run:start on the demo workspace reports the same', async () => {
    setTargetFactory(() => null); // offline: no live connection in the demo
    const db = openWorkspace(workspace);
    try {
      const ctx: AppContext = { db, workspacePath: workspace, isDemo: true, appVersion: 'test', emit: () => {} };
      const out = await dispatch(
        'dry-run:start',
        { accountId: 1, direction: 'storefront_to_netsuite', selection: { mode: 'test' } },
        ctx,
      );
      expect(out.ok).toBe(true);
      if (!out.ok) return;
      const run = out.value as { status: string; passed: number; failed: number; orders: OrderOut[] };
      expect([run.status, run.passed, run.failed]).toEqual(['fail', 2, 6]);
      expectDemoResults(run.orders);
      // Asking for the two passing orders alone gives a passing dry run.
      const pass = await dispatch(
        'dry-run:start',
        {
          accountId: 1,
          direction: 'storefront_to_netsuite',
          selection: { mode: 'refs', orderRefs: ['#1004', '#1029'] },
        },
        ctx,
      );
      expect(pass.ok && (pass.value as { status: string }).status).toBe('pass');
    } finally {
      db.close();
    }
  });

  it('#1037 NetSuite → storefront fails: the storefront already shows refund 908000038, paired with CR1041 (issue 13 item 8)', () => {
    // Before: PASS with a refundCreate of USD 32.46 while the storefront shows refund 908000038
    // (USD 40.41, the same CAP-WOOL line) that CR1041 was recorded from ("Shopify refund 908000038").
    const out = spawnSync(
      process.execPath,
      [
        path.join(root, 'bin', 'refund-recon.js'),
        'dry-run',
        '--account',
        '1',
        '--direction',
        'netsuite_to_storefront',
        '--orders',
        '#1037',
        '--offline',
        '--workspace',
        workspace,
        '--format',
        'json',
      ],
      { encoding: 'utf8' },
    );
    expect(out.stderr).toBe('');
    expect(out.status).toBe(1);
    const doc = JSON.parse(out.stdout) as { status: string; orders: OrderOut[] };
    expect(doc.status).toBe('fail');
    const [order] = doc.orders;
    expect(order!.refundId).toBe('40041');
    expect(order!.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['already_synced']);
    expect(order!.reasons.join('\n')).toMatch(
      /the storefront already shows this refund: storefront refund 908000038 \(USD 40\.41\) is the refund CR1041 was recorded from \(its memo "Shopify refund 908000038"\); it shows USD 40\.41 where CR1041 records USD 32\.46/,
    );
  });

  it('#1037 sibling in the push: the preview NetSuite → storefront records it as already there, never sends it', () => {
    const copy = path.join(tmp, 'demo-push.sqlite');
    fs.copyFileSync(workspace, copy);
    const db = openWorkspace(copy);
    try {
      setDirection(db, {
        accountId: 1,
        direction: 'netsuite_to_storefront',
        confirmAgainstRecommendation: true,
        actor: 't',
      });
      const preview = previewPush(db, 1);
      const at = preview.alreadyOnTarget.find((a) => a.orderRef === '#1037');
      expect(at?.reasons.join(' ')).toMatch(/the storefront already shows this refund: storefront refund 908000038/);
    } finally {
      db.close();
    }
  });

  it("sync:will-not-sync flags the demo run's refunds made in NetSuite once refunds sync storefront → NetSuite", async () => {
    const db = openWorkspace(workspace);
    try {
      const ctx: AppContext = { db, workspacePath: workspace, isDemo: true, appVersion: 'test', emit: () => {} };
      const off = await dispatch('sync:will-not-sync', { runId: 1 }, ctx);
      expect(off.ok && off.value).toMatchObject({ direction: 'off', flags: [] });
      const set = await dispatch(
        'account:set-direction',
        { accountId: 1, direction: 'storefront_to_netsuite', confirmAgainstRecommendation: true },
        ctx,
      );
      expect(set.ok).toBe(true);
      const out = await dispatch('sync:will-not-sync', { runId: 1 }, ctx);
      expect(out.ok).toBe(true);
      if (!out.ok) return;
      const value = out.value as { direction: string; flags: { resultId: number; orderRef: string; reason: string }[] };
      expect(value.direction).toBe('storefront_to_netsuite');
      // NetSuite records without a storefront refund of their own and without the sync's key: the two entered
      // in NetSuite, the one without a reference, and the twin entered by hand (the other twin carries the key).
      const codes = value.flags.map(
        (f) => (db.prepare('SELECT code FROM results WHERE id = ?').get(f.resultId) as { code: string }).code,
      );
      expect(codes.sort()).toEqual([
        'duplicate',
        'missing_in_storefront',
        'missing_in_storefront',
        'no_order_reference',
      ]);
      for (const f of value.flags) expect(f.reason).toMatch(/made in NetSuite .* will not be synced/);
      const one = await dispatch('sync:will-not-sync', { runId: 1, resultIds: [value.flags[0]!.resultId] }, ctx);
      expect(one.ok && (one.value as { flags: unknown[] }).flags).toHaveLength(1);
    } finally {
      db.close();
    }
  });
});
