import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/main/context';
import { dispatch } from '../../../src/main/dispatch';
import { importFile } from '../../../src/main/importers/import-file';
import { createStorefrontAccount, getStorefrontAccount } from '../../../src/main/store/accounts';
import { openWorkspace } from '../../../src/main/store/open';
import { listLearnableRefunds } from '../../../src/main/use-cases/learnable-refunds';
import { LearnableRefunds } from '../../../src/shared/contract/accounts';

/**
 * Issue 13 item 4, "pick a refund of a test order from a snapshot": the learn form lists the
 * refunds of the account's newest storefront snapshot, test orders' first, and the refund picked
 * there is the one learned from. The fixture is Shopify's documented REST orders with refund
 * transactions (test/fixtures/tenders/README.md); order #1012 is flagged as a test order through
 * Shopify's own `test` field of the Order resource, as a store's test order is.
 */

const FIXTURE = path.resolve('test/fixtures/tenders/shopify-orders.json');
let dir: string;
let ctx: AppContext;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-learnable-'));
  const workspacePath = path.join(dir, 'ws.sqlite');
  ctx = { db: openWorkspace(workspacePath), workspacePath, isDemo: false, appVersion: 'test', emit: () => {} };
});
afterAll(() => {
  ctx.db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function account(name: string): number {
  return createStorefrontAccount(ctx.db, {
    platform: 'shopify',
    name,
    lineItemRefunds: 'unknown',
    directions: ['storefront_to_netsuite', 'netsuite_to_storefront'],
    storeCredit: false,
    splitTender: false,
  });
}

/**
 * The fixture with #1012 flagged as a test order, written to a file of its own. Each call writes a
 * distinct file (its notes carry a count): the same file imported twice is one snapshot.
 */
let imports = 0;
async function importWithTestOrder(): Promise<number> {
  imports += 1;
  const data = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')) as {
    orders: { name: string; test?: boolean; note?: string }[];
  };
  for (const o of data.orders) {
    if (o.name === '#1012') o.test = true;
    o.note = `export ${imports}`;
  }
  const file = path.join(dir, `orders-${imports}.json`);
  fs.writeFileSync(file, JSON.stringify(data));
  return (await importFile(ctx.db, { file, side: 'storefront', format: 'shopify-json' })).snapshotId;
}

describe('refunds offered to learn capabilities from', () => {
  it('says there is nothing to pick before any storefront snapshot', () => {
    const id = account('Empty shop');
    expect(listLearnableRefunds(ctx, { accountId: id })).toEqual({
      snapshot: null,
      refunds: [],
      refundCount: 0,
      testCount: 0,
    });
  });

  it('lists the newest snapshot’s refunds, the test order’s first, with order, number, date and amount', async () => {
    const snapshotId = await importWithTestOrder();
    const id = account('Shop with a test order');
    const list = listLearnableRefunds(ctx, { accountId: id });
    expect(list.snapshot?.id).toBe(snapshotId);
    expect(list.refundCount).toBe(4);
    expect(list.testCount).toBe(1);
    expect(list.refunds[0]).toEqual({
      refundId: '5012',
      documentNumber: expect.any(String),
      orderRef: '#1012',
      date: '2026-03-17',
      currency: 'USD',
      total: 4000,
      isTest: true,
    });
    expect(list.refunds.slice(1).map((r) => r.isTest)).toEqual([false, false, false]);
    expect(new Set(list.refunds.map((r) => r.refundId))).toEqual(new Set(['5001', '5005', '5012', '5014']));
  });

  it('takes the snapshot pulled for the account over a newer file import, and never another account’s', async () => {
    const mine = account('Pulled shop');
    const other = account('Other shop');
    const pulled = await importWithTestOrder();
    ctx.db.prepare('UPDATE snapshots SET storefront_account_id = ? WHERE id = ?').run(mine, pulled);
    const newer = await importWithTestOrder();
    expect(newer).toBeGreaterThan(pulled);
    expect(listLearnableRefunds(ctx, { accountId: mine }).snapshot?.id).toBe(pulled);
    expect(listLearnableRefunds(ctx, { accountId: other }).snapshot?.id).toBe(newer);
    ctx.db.prepare('UPDATE snapshots SET storefront_account_id = ? WHERE storefront_account_id IS NULL').run(mine);
    expect(listLearnableRefunds(ctx, { accountId: other }).snapshot).toBeNull();
  });

  it('through the contract: the refund picked from the list is the one learned from', async () => {
    await importWithTestOrder();
    const id = account('Picked shop');
    const listed = await dispatch('capabilities:refunds', { accountId: id }, ctx);
    if (!listed.ok) throw new Error(JSON.stringify(listed.error));
    const list = LearnableRefunds.parse(listed.value);
    const split = list.refunds.find((r) => r.orderRef === '#1014')!;
    const learned = await dispatch(
      'capabilities:learn',
      { accountId: id, snapshotId: list.snapshot!.id, refundId: split.refundId, actor: 'Ann' },
      ctx,
    );
    expect(learned.ok, JSON.stringify(learned)).toBe(true);
    expect(getStorefrontAccount(ctx.db, id)).toMatchObject({ splitTender: true, storeCredit: true });
  });

  it('refuses bad input in words: an account that is not there, an id that is not one', async () => {
    const missing = await dispatch('capabilities:refunds', { accountId: 999 }, ctx);
    expect(missing).toMatchObject({ ok: false, error: { code: 'account_not_found' } });
    const bad = await dispatch('capabilities:refunds', { accountId: 'one' } as never, ctx);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/accountId/);
  });
});
