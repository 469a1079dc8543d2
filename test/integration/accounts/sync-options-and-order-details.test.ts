import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../src/main/context';
import { dispatch } from '../../../src/main/dispatch';
import { PathGrants } from '../../../src/main/security/path-grants';
import type { NativeDialogs } from '../../../src/main/services/dialog-service';
import { openWorkspace } from '../../../src/main/store/open';

/**
 * Issue 13: the app's screens for the sync options (the NetSuite items a would-be record posts
 * against) and the order-context file, through the contract as the renderer calls them. The
 * order-context fixture is the demo's (resources/demo/order-context.json, OrderContextFile).
 */

const DEMO_CONTEXT = path.resolve('resources/demo/order-context.json');
let dir: string;
let ctx: AppContext;
let accountId: number;

const call = (channel: string, payload: unknown, c: AppContext = ctx) => dispatch(channel, payload, c);
async function ok<T>(channel: string, payload: unknown, c: AppContext = ctx): Promise<T> {
  const result = await call(channel, payload, c);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

beforeAll(async () => {
  dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'rr-sync-options-')));
  const workspacePath = path.join(dir, 'books.sqlite');
  ctx = { db: openWorkspace(workspacePath), workspacePath, isDemo: false, appVersion: 'test', emit: () => {} };
  await ok('account:add', { type: 'netsuite', name: 'NS', accountId: '1234567_SB1' });
  await ok('account:add', { type: 'storefront', name: 'Shop', platform: 'shopify', netsuite: 'NS' });
  accountId = (await ok<{ storefront: { id: number }[] }>('account:list', {})).storefront[0]!.id;
});
afterAll(() => {
  ctx.db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('sync options in the app', () => {
  it('reads the defaults, saves what the form sends, and reads it back', async () => {
    expect(await ok('account:sync-options', { accountId })).toMatchObject({
      genericItemId: '',
      currencyIds: {},
      restockType: 'NO_RESTOCK',
    });
    await ok('account:set-sync-options', {
      accountId,
      options: { genericItemId: ' 501 ', currencyIds: { USD: '1', EUR: '4' }, itemMap: { 'TEE-M': 'T-Shirt M' } },
      actor: 'Ann',
    });
    // A second save of one field keeps the others (no reset to defaults).
    await ok('account:set-sync-options', { accountId, options: { shippingItemId: '502' }, actor: 'Ann' });
    expect(await ok('account:sync-options', { accountId })).toMatchObject({
      genericItemId: '501',
      shippingItemId: '502',
      currencyIds: { USD: '1', EUR: '4' },
      itemMap: { 'TEE-M': 'T-Shirt M' },
    });
  });

  it('refuses a wrong value naming the field in words, and changes nothing', async () => {
    const before = await ok('account:sync-options', { accountId });
    const cases: [Record<string, unknown>, RegExp, string][] = [
      [
        { genericItemId: 'Refund item' },
        /^Refund item for amounts not tied to a product: a NetSuite internal ID is a whole number/,
        'genericItemId',
      ],
      [
        { currencyIds: { dollars: '1' } },
        /^NetSuite currency IDs, dollars: a currency is its three-letter ISO 4217 code/,
        'currencyIds.dollars',
      ],
      [{ currencyIds: { USD: '' } }, /^NetSuite currency IDs, USD: give the NetSuite internal ID/, 'currencyIds.USD'],
      [{ itemMap: { 'TEE-M': ' ' } }, /^Item mapping, TEE-M: give the NetSuite item name or SKU/, 'itemMap.TEE-M'],
      [{ restockType: 'SOMETIMES' }, /^Stock on refunds sent to the storefront: /, 'restockType'],
    ];
    for (const [options, message, field] of cases) {
      const result = await call('account:set-sync-options', { accountId, options, actor: 'Ann' });
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.message).toMatch(message);
        expect(result.error.message).not.toMatch(/currencyIds|itemMap|genericItemId|restockType/);
        expect(result.error.location?.field).toBe(field);
      }
    }
    expect(await ok('account:sync-options', { accountId })).toEqual(before);
  });
});

describe('order details (the order-context file) in the app', () => {
  it('loads a file by path in browser mode, says how many orders it knows, and audits it', async () => {
    expect(await ok('dry-run:order-context', { accountId })).toEqual({
      netsuite: 0,
      storefront: 0,
      orders: [],
      updatedAt: null,
    });
    const loaded = await ok<{ netsuite: number; storefront: number; orders: string[]; loaded: number }>(
      'dry-run:load-order-context',
      { accountId, path: DEMO_CONTEXT, actor: 'Ann' },
    );
    const file = JSON.parse(fs.readFileSync(DEMO_CONTEXT, 'utf8')) as { netsuite: unknown[]; storefront: unknown[] };
    expect(loaded).toMatchObject({ netsuite: file.netsuite.length, storefront: file.storefront.length });
    expect(loaded.orders).toContain('#1004');
    const audit = ctx.db
      .prepare("SELECT actor, after FROM audit_log WHERE action = 'sync.order_context' ORDER BY id DESC LIMIT 1")
      .get() as { actor: string; after: string };
    expect(audit.actor).toBe('Ann');
    expect(JSON.parse(audit.after)).toMatchObject({ file: 'order-context.json' });
  });

  it('refuses a bad file naming the file, the order and the field in words; nothing is loaded', async () => {
    const before = await ok('dry-run:order-context', { accountId });
    const bad = path.join(dir, 'staged-1234.json');
    const data = JSON.parse(fs.readFileSync(DEMO_CONTEXT, 'utf8')) as {
      netsuite: { orderRef: string; billing: unknown }[];
    };
    data.netsuite[2]!.billing = { type: 'receipt' };
    fs.writeFileSync(bad, JSON.stringify(data));
    const result = await call('dry-run:load-order-context', {
      accountId,
      path: bad,
      fileName: 'my-orders.json',
      actor: 'Ann',
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid_order_context');
      expect(result.error.message).toContain(
        `my-orders.json: the NetSuite details of order ${data.netsuite[2]!.orderRef} (entry 3), its billing record`,
      );
      expect(result.error.message).toMatch(/Nothing was loaded/);
    }
    fs.writeFileSync(bad, '{"netsuite": [], "storefront": []}');
    const empty = await call('dry-run:load-order-context', { accountId, path: bad, fileName: 'empty.json' });
    expect(empty).toMatchObject({ ok: false, error: { code: 'empty_order_context' } });
    fs.writeFileSync(bad, '{"netsuite": [');
    const broken = await call('dry-run:load-order-context', { accountId, path: bad, fileName: 'broken.json' });
    expect(broken).toMatchObject({ ok: false, error: { code: 'invalid_json' } });
    expect(await ok('dry-run:order-context', { accountId })).toEqual(before);
  });

  it('desktop app: only a file chosen in the dialog is read, once', async () => {
    const chosen = path.join(dir, 'chosen.json');
    fs.copyFileSync(DEMO_CONTEXT, chosen);
    const titles: string[] = [];
    const dialogs: NativeDialogs = {
      openFile: async (o) => {
        titles.push(o.title);
        return chosen;
      },
      chooseFolder: async () => null,
    };
    const desktop: AppContext = { ...ctx, pathGrants: new PathGrants(), dialogs };
    const refused = await call('dry-run:load-order-context', { accountId, path: DEMO_CONTEXT }, desktop);
    expect(refused).toMatchObject({ ok: false, error: { code: 'path_not_granted' } });
    const answer = await ok<{ path: string }>('dialog:open-file', { purpose: 'order-context' }, desktop);
    expect(titles).toEqual(['Load the order details for dry runs']);
    await ok('dry-run:load-order-context', { accountId, path: answer.path }, desktop);
    const again = await call('dry-run:load-order-context', { accountId, path: answer.path }, desktop);
    expect(again).toMatchObject({ ok: false, error: { code: 'path_not_granted' } });
  });

  it('an unknown account is a clear error', async () => {
    const result = await call('dry-run:order-context', { accountId: 999 });
    expect(result).toMatchObject({ ok: false, error: { code: 'account_not_found' } });
  });
});
