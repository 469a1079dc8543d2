import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/main/context';
import { generateDemo } from '../../../src/main/demo/generate';
import { dispatch } from '../../../src/main/dispatch';
import { importFile } from '../../../src/main/importers/import-file';
import { openWorkspace } from '../../../src/main/store/open';
import { compareAndStore } from '../../../src/main/use-cases/compare-snapshots';

/**
 * The tender mapping in the workspace settings (tenders.md §1.3, issue 18): saved through the
 * contract (as the settings screen does) or by `refund-recon settings tenders --mapping`, checked
 * row by row with words for an accountant, audited, and applied by the next comparison of snapshots
 * already imported. The data is the demo's (its tender cases, tender-cases.ts).
 */

const root = path.resolve(__dirname, '../../..');
const demoDir = path.join(root, 'resources', 'demo');
let dir: string;
let ctx: AppContext;
let sfId: number;
let nsId: number;

/** Order reference of the demo's case of this kind. */
function orderOf(kind: string): string {
  const data = generateDemo();
  return `#${data.orders[data.kinds.indexOf(kind as never)]!.number}`;
}

async function call<T>(
  channel: string,
  payload: unknown,
): Promise<{ ok: boolean; value: T; error?: { message: string } }> {
  return (await dispatch(channel, payload, ctx)) as { ok: boolean; value: T; error?: { message: string } };
}

/** Codes of the demo's tender orders after a comparison of the two imported snapshots. */
async function codes(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  await compareAndStore(ctx, {
    storefront: [sfId],
    netsuite: [nsId],
    onResult: (r) => {
      out[r.orderRef] = r.code;
    },
  });
  return out;
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-tender-map-'));
  const file = path.join(dir, 'w.sqlite');
  ctx = { db: openWorkspace(file), workspacePath: file, isDemo: false, appVersion: 'test', emit: () => {} };
  sfId = (await importFile(ctx.db, { file: path.join(demoDir, 'shopify-orders.json'), side: 'storefront' })).snapshotId;
  nsId = (await importFile(ctx.db, { file: path.join(demoDir, 'netsuite-refunds.csv'), side: 'netsuite' })).snapshotId;
});
afterAll(() => {
  ctx.db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('tender mapping settings', { timeout: 60_000 }, () => {
  it('a NetSuite payment method mapped to card: the next comparison matches the card refund with it', async () => {
    // The demo's NetSuite names a payment method "Store Credit" (stored value by its name, §1.3).
    const cardRefund = orderOf('tender_mismatch');
    expect((await codes())[cardRefund]).toBe('tender_mismatch');
    const saved = await call('tender-mapping:set', {
      storefront: [],
      paymentMethods: [{ paymentMethod: 'store credit', kind: 'card' }],
      actor: 'Ada',
    });
    expect(saved.ok).toBe(true);
    expect((await codes())[cardRefund]).toBe('matched');
    const audit = ctx.db
      .prepare("SELECT actor FROM audit_log WHERE action = 'settings:tender-mapping' ORDER BY id DESC LIMIT 1")
      .get();
    expect(audit).toEqual({ actor: 'Ada' });
  });

  it('a storefront gateway mapped to store credit: the open Credit Memo now agrees with it', async () => {
    const openMemo = orderOf('credit_not_paid_out');
    await call('tender-mapping:set', { storefront: [], paymentMethods: [], actor: 'Ada' });
    expect((await codes())[openMemo]).toBe('credit_not_paid_out');
    const saved = await call<{ storefront: unknown[] }>('tender-mapping:set', {
      storefront: [{ platform: 'shopify', gateway: ' Shopify_Payments ', kind: 'store_credit' }],
      paymentMethods: [],
      creditPayoutDays: 10,
      actor: 'Ada',
    });
    expect(saved.value.storefront).toEqual([
      { platform: 'shopify', gateway: 'Shopify_Payments', kind: 'store_credit' },
    ]);
    expect((await codes())[openMemo]).toBe('matched');
    // The snapshot itself is not rewritten: the mapping counts when a comparison reads it.
    const stored = ctx.db
      .prepare("SELECT tenders FROM refunds WHERE snapshot_id = ? AND tenders LIKE '%shopify_payments%' LIMIT 1")
      .pluck()
      .get(sfId) as string;
    expect(stored).toContain('"card"');
    const view = await call<{ creditPayoutDays: number }>('tender-mapping:get', {});
    expect(view.value.creditPayoutDays).toBe(10);
    await call('tender-mapping:set', { storefront: [], paymentMethods: [], creditPayoutDays: 7, actor: 'Ada' });
  });

  it('refuses an empty or repeated name with words for an accountant, and writes nothing', async () => {
    const before = await call('tender-mapping:get', {});
    const empty = await call('tender-mapping:set', {
      storefront: [{ platform: 'shopify', gateway: '  ', kind: 'gift_card' }],
      paymentMethods: [],
      actor: 'Ada',
    });
    expect(empty.ok).toBe(false);
    expect(empty.error!.message).toMatch(/Row 1 of the Shopify gateways has no gateway/);
    const twice = await call('tender-mapping:set', {
      storefront: [],
      paymentMethods: [
        { paymentMethod: 'Store Credit', kind: 'store_credit' },
        { paymentMethod: 'store credit', kind: 'card' },
      ],
      creditPayoutDays: 3,
      actor: 'Ada',
    });
    expect(twice.ok).toBe(false);
    expect(twice.error!.message).toMatch(/"store credit" is in rows 1 and 2 of the NetSuite payment methods/);
    const badKind = await call('tender-mapping:set', {
      storefront: [{ platform: 'shopify', gateway: 'x', kind: 'voucher' }],
      paymentMethods: [],
      actor: 'Ada',
    });
    expect(badKind.ok).toBe(false);
    expect((await call('tender-mapping:get', {})).value).toEqual(before.value);
  });

  it('refund-recon settings tenders --mapping saves what the screen shows, tender items included', async () => {
    const mapping = path.join(dir, 'mapping.json');
    fs.writeFileSync(
      mapping,
      JSON.stringify({
        tenders: {
          storefront: [{ platform: 'shopify', gateway: 'loyalty_points', kind: 'store_credit' }],
          netsuite: [
            { paymentMethod: 'Shopify Gift Card', kind: 'gift_card' },
            { item: 'GC Discount', kind: 'gift_card' },
          ],
        },
        itemRoles: { tender: [{ item: 'Store Credit', kind: 'store_credit' }] },
      }),
    );
    const ws = path.join(dir, 'cli.sqlite');
    openWorkspace(ws).close();
    const run = (...args: string[]) =>
      spawnSync(
        process.execPath,
        [path.join(root, 'bin', 'refund-recon.js'), 'settings', 'tenders', '--workspace', ws, ...args],
        {
          encoding: 'utf8',
        },
      );
    const set = run('--mapping', mapping, '--by', 'Ada');
    expect(set.stderr).toBe('');
    expect(set.stdout).toMatch(/Saved\. Storefront gateways:/);
    expect(set.stdout).toMatch(/shopify loyalty_points -> store_credit/);
    const shown = JSON.parse(run('--json').stdout);
    expect(shown).toEqual({
      storefront: [{ platform: 'shopify', gateway: 'loyalty_points', kind: 'store_credit' }],
      paymentMethods: [{ paymentMethod: 'Shopify Gift Card', kind: 'gift_card' }],
      tenderItems: [
        { item: 'GC Discount', kind: 'gift_card' },
        { item: 'Store Credit', kind: 'store_credit' },
      ],
      creditPayoutDays: 7,
    });
    // The app's channel reads the same view from the workspace the CLI wrote.
    const db = openWorkspace(ws);
    const viaApp = await dispatch('tender-mapping:get', {}, { ...ctx, db, workspacePath: ws });
    db.close();
    expect(viaApp).toEqual({ ok: true, value: shown });
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, '{"tenders": {"storefront": [{"platform": "shopify", "gateway": "x", "kind": "points"}]}}');
    const refused = run('--mapping', bad);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/bad\.json/);
  });
});
