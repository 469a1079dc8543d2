import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setLoopbackApisAllowed } from '../../../src/main/connectors/destination-policy';
import type { AppContext } from '../../../src/main/context';
import { dispatch } from '../../../src/main/dispatch';
import { cliSecretStore, FileSecretStore, setSecretStore } from '../../../src/main/secrets';
import { setSyncOptions } from '../../../src/main/sync/direction-policy';
import { runRoundTrip } from '../../../src/main/use-cases/round-trip';
import { DEFAULT_TBA, type NetsuiteEmulator, startNetsuiteEmulator } from '../../emulators/netsuite/server';
import type { ShopifyData } from '../../emulators/shopify/dataset';
import { DEFAULT_SHOPIFY_TOKEN, type ShopifyEmulator, startShopifyEmulator } from '../../emulators/shopify/server';
import * as F from '../../fixtures/sync/refunds';
import { makeSyncWorkspace, type SyncWorkspaceOptions } from '../../fixtures/sync/workspace';

/**
 * Issue 13 item 6 "round trip for real" and issue 17 Y2, against the emulators through the default
 * accounts' connections (host on the account, secrets under the one scheme of docs/connections.md —
 * here from the environment, and in the last block from the secret store the app writes): the round trip writes only to a target
 * that is itself a sandbox, reads each record back and compares it field by field.
 */

const root = path.resolve(__dirname, '../../..');
// The one naming scheme of docs/connections.md (plain names: one account of each vendor here).
const ENV = {
  REFUND_RECON_NETSUITE_CONSUMERKEY: DEFAULT_TBA.consumerKey,
  REFUND_RECON_NETSUITE_CONSUMERSECRET: DEFAULT_TBA.consumerSecret,
  REFUND_RECON_NETSUITE_TOKENID: DEFAULT_TBA.token,
  REFUND_RECON_NETSUITE_TOKENSECRET: DEFAULT_TBA.tokenSecret,
  REFUND_RECON_SHOPIFY_ACCESSTOKEN: DEFAULT_SHOPIFY_TOKEN,
};
const saved: Record<string, string | undefined> = {};

/** The fixture's Shopify orders (#2001–#2003), with no refunds yet. */
const SHOP_DATA = (): ShopifyData => ({
  shopCurrency: 'USD',
  refundCount: 0,
  orders: F.SHOPIFY_ORDERS.map((o) => ({
    id: o.orderId,
    legacyResourceId: o.orderId.replace(/\D/g, ''),
    name: o.orderRef,
    test: true,
    currencyCode: 'USD',
    presentmentCurrencyCode: 'USD',
    updatedAt: '2026-02-01T12:00:00Z',
    refunds: [],
  })),
});

let ns: NetsuiteEmulator;
let shop: ShopifyEmulator;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-round-trip-'));

beforeAll(async () => {
  setLoopbackApisAllowed(true);
  for (const [k, v] of Object.entries(ENV)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  [ns, shop] = await Promise.all([startNetsuiteEmulator(), startShopifyEmulator({ data: SHOP_DATA() })]);
});
afterEach(() => {
  ns.hooks.beforeSubmit = undefined;
  shop.hooks.onRefundCreate = undefined;
  shop.plan.partnerDevelopment = false;
  shop.plan.publicDisplayName = 'Basic';
});
afterAll(async () => {
  setLoopbackApisAllowed(undefined);
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  await Promise.all([ns?.close(), shop?.close()]);
  fs.rmSync(tmp, { recursive: true, force: true });
});

function workspace(o: SyncWorkspaceOptions = {}) {
  return makeSyncWorkspace({
    netsuiteBaseUrl: ns.url,
    storefrontBaseUrl: `${shop.url}/admin/api/2025-07`,
    // The emulator answers the round trip's read of an order's refunds, not the push's lookup query.
    storefrontApiSettings: { readBack: 'none', shop: 'emulator-shop.myshopify.com' },
    ...o,
  });
}

const toNetsuite = (accountId: number, orderRefs: string[]) => ({
  accountId,
  direction: 'storefront_to_netsuite',
  selection: { mode: 'refs' as const, orderRefs },
  actor: 't',
});

describe('round trip storefront → NetSuite (NetSuite sandbox by its account ID)', () => {
  it('sends, reads back and finds every field as sent', async () => {
    const w = await workspace();
    const run = await runRoundTrip({ db: w.db, workspacePath: ':memory:' }, toNetsuite(w.accountId, ['#1001']));
    expect(run.status).toBe('pass');
    expect(run.roundTrip).toMatchObject({ target: 'NetSuite sandbox 1234567_SB1', sent: 1, readBack: 1, problems: [] });
    expect(run.roundTrip!.writes).toEqual([
      expect.objectContaining({
        orderRef: '#1001',
        record: 'cashRefund eid:shopify-refund-900001',
        status: 'pass',
        problems: [],
      }),
    ]);
  });

  it('a Credit Memo and the Customer Refund that pays it out: both read back as sent', async () => {
    const own = await startNetsuiteEmulator(); // #1002 is written again by the next test
    try {
      const w = await workspace({ netsuiteBaseUrl: own.url });
      const run = await runRoundTrip({ db: w.db, workspacePath: ':memory:' }, toNetsuite(w.accountId, ['#1002']));
      expect(run.roundTrip!.writes!.map((x) => [x.record, x.status, x.problems])).toEqual([
        ['creditMemo eid:shopify-refund-900002', 'pass', []],
        ['customerRefund eid:shopify-refund-900002-cr', 'pass', []],
      ]);
      expect(run.status).toBe('pass');
    } finally {
      await own.close();
    }
  });

  it('the account drops the tax line as it saves (a beforeSubmit script): FAIL naming the tax field', async () => {
    ns.hooks.beforeSubmit = (_type, body) => {
      const items = ((body.item as { items?: { description?: string }[] }).items ?? []).filter(
        (l) => l.description !== 'Tax refund',
      );
      return { ...body, item: { items } };
    };
    const w = await workspace();
    const run = await runRoundTrip({ db: w.db, workspacePath: ':memory:' }, toNetsuite(w.accountId, ['#1002']));
    expect(run.status).toBe('fail');
    const problems = run.roundTrip!.writes![0]!.problems;
    expect(problems).toContain('tax: sent USD 2.00, read back none.');
    expect(problems.join(' ')).toMatch(/^total: sent USD \d+\.\d\d, read back USD \d+\.\d\d\./);
    expect(problems.join(' ')).toMatch(/lines: sent item 91 × 1 = USD 2\.00 but it is not on the record read back/);
    const order = run.orders[0]!;
    expect(order.status).toBe('fail');
    expect(order.reasons.join('\n')).toMatch(
      /round_trip: creditMemo eid:shopify-refund-900002 in NetSuite sandbox 1234567_SB1: .*tax: sent USD 2\.00, read back none\./,
    );
  });

  it('NetSuite answers 400: FAIL with its message', async () => {
    const w = await workspace();
    setSyncOptions(w.db, { accountId: w.accountId, options: { ...F.OPTIONS, taxOnlyItemId: '999' }, actor: 't' });
    const run = await runRoundTrip({ db: w.db, workspacePath: ':memory:' }, toNetsuite(w.accountId, ['#1004']));
    expect(run.status).toBe('fail');
    expect(run.roundTrip!.sent).toBe(0);
    const [problem] = run.roundTrip!.writes![0]!.problems;
    expect(problem).toMatch(/^NetSuite sandbox 1234567_SB1 refused it: .*400/);
    expect(problem).toMatch(/Invalid Field Value 999 for the following field: item/);
  });

  it('a production account ID is refused before anything is sent, whatever its stored label says', async () => {
    const w = await workspace();
    // The label says sandbox; the ID says production. The ID wins.
    w.db.prepare("UPDATE netsuite_accounts SET account_id = '1234567', environment = 'sandbox'").run();
    const before = ns.requests.length;
    await expect(
      runRoundTrip({ db: w.db, workspacePath: ':memory:' }, toNetsuite(w.accountId, ['#1001'])),
    ).rejects.toThrow(
      /Round trip refused; nothing was sent\. NetSuite account 1234567 is a production account \(its account ID has no _SB sandbox suffix\)/,
    );
    expect(ns.requests.slice(before)).toEqual([]);
    expect(w.db.prepare('SELECT COUNT(*) AS n FROM dry_runs').get()).toEqual({ n: 0 });
  });
});

describe('round trip NetSuite → storefront (Shopify development store by its plan)', () => {
  const toShop = (accountId: number, orderRefs: string[]) => ({
    accountId,
    direction: 'netsuite_to_storefront',
    selection: { mode: 'refs' as const, orderRefs },
    actor: 't',
  });

  it('Y2: a sandbox NetSuite account does not make a live store a sandbox — refused, no write reaches Shopify', async () => {
    const w = await workspace(); // NetSuite 1234567_SB1: a sandbox, but it is not the target here
    const nsBefore = ns.requests.length;
    const before = shop.requests.length;
    await expect(
      runRoundTrip({ db: w.db, workspacePath: ':memory:' }, toShop(w.accountId, ['#2001', '#2002'])),
    ).rejects.toThrow(
      /Round trip refused; nothing was sent\. The Shopify store emulator-shop\.myshopify\.com is on the Basic plan, not a development store/,
    );
    // One read-only query (the shop's plan) and nothing else: no refundCreate reached the store.
    expect(shop.requests.slice(before).map((r) => r.method)).toEqual(['POST']);
    expect(shop.data.orders.every((o) => (o.refunds as unknown[]).length === 0)).toBe(true);
    expect(ns.requests.slice(nsBefore)).toEqual([]);
  });

  it('a development store: sends refundCreate, reads the refund back, every field as sent; a dropped line fails', async () => {
    shop.plan.partnerDevelopment = true;
    shop.plan.publicDisplayName = 'Development';
    const w = await workspace();
    const ok = await runRoundTrip({ db: w.db, workspacePath: ':memory:' }, toShop(w.accountId, ['#2001']));
    expect(ok.roundTrip).toMatchObject({
      target: 'Shopify development store emulator-shop.myshopify.com',
      sent: 1,
      readBack: 1,
      problems: [],
    });
    expect(ok.status).toBe('pass');

    shop.hooks.onRefundCreate = (input) => ({ ...input, refundLineItems: [] });
    const bad = await runRoundTrip({ db: w.db, workspacePath: ':memory:' }, toShop(w.accountId, ['#2002']));
    expect(bad.status).toBe('fail');
    expect(bad.roundTrip!.writes![0]!.problems.join(' ')).toMatch(
      /lines: sent line gid:\/\/shopify\/LineItem\/2 × 2 but it is not on the record read back/,
    );
  });
});

describe('channels for the app', () => {
  it('dry-run:round-trip-target names the sandbox or the refusal; dry-run:round-trip sends and reads back', async () => {
    const w = await workspace();
    const ctx: AppContext = { db: w.db, workspacePath: ':memory:', isDemo: false, appVersion: 'test', emit: () => {} };
    const before = ns.requests.length;
    const toNs = await dispatch(
      'dry-run:round-trip-target',
      { accountId: w.accountId, direction: 'storefront_to_netsuite' },
      ctx,
    );
    expect(toNs).toEqual({ ok: true, value: { sandbox: true, target: 'NetSuite sandbox 1234567_SB1', reason: null } });
    expect(ns.requests.length).toBe(before); // decided from the account ID: no request
    const toShop = await dispatch(
      'dry-run:round-trip-target',
      { accountId: w.accountId, direction: 'netsuite_to_storefront' },
      ctx,
    );
    expect(toShop.ok && toShop.value).toMatchObject({
      sandbox: false,
      reason: expect.stringMatching(/Basic plan, not a development store/),
    });

    const out = await dispatch(
      'dry-run:round-trip',
      {
        accountId: w.accountId,
        direction: 'storefront_to_netsuite',
        selection: { mode: 'refs', orderRefs: ['#1003'] },
      },
      ctx,
    );
    expect(out.ok).toBe(true);
    if (!out.ok) return;
    expect((out.value as { roundTrip: unknown }).roundTrip).toMatchObject({
      target: 'NetSuite sandbox 1234567_SB1',
      sent: 1,
      readBack: 1,
      problems: [],
    });
    const refused = await dispatch(
      'dry-run:round-trip',
      {
        accountId: w.accountId,
        direction: 'netsuite_to_storefront',
        selection: { mode: 'refs', orderRefs: ['#2001'] },
      },
      ctx,
    );
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('round_trip_refused');
  });
});

describe('the app refuses a round trip to a production account before anything is sent', () => {
  it('dry-run:round-trip-target says why, dry-run:round-trip refuses, the emulator log shows no request', async () => {
    const w = await workspace();
    w.db.prepare("UPDATE netsuite_accounts SET account_id = '1234567', environment = 'sandbox'").run();
    const ctx: AppContext = { db: w.db, workspacePath: ':memory:', isDemo: false, appVersion: 'test', emit: () => {} };
    const before = ns.requests.length;
    const target = await dispatch(
      'dry-run:round-trip-target',
      { accountId: w.accountId, direction: 'storefront_to_netsuite' },
      ctx,
    );
    expect(target.ok && target.value).toMatchObject({
      sandbox: false,
      reason: expect.stringMatching(/1234567 is a production account/),
    });
    const refused = await dispatch(
      'dry-run:round-trip',
      {
        accountId: w.accountId,
        direction: 'storefront_to_netsuite',
        selection: { mode: 'refs', orderRefs: ['#1001'] },
      },
      ctx,
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'round_trip_refused' } });
    if (!refused.ok) expect(refused.error.message).toMatch(/nothing was sent/);
    expect(ns.requests.slice(before)).toEqual([]);
    expect(w.db.prepare('SELECT COUNT(*) AS n FROM dry_runs').get()).toEqual({ n: 0 });
  });
});

describe('the CLI says exactly what was sent where', () => {
  it('dry-run --round-trip: "Written: 1 record to NetSuite sandbox 1234567_SB1 only", never "Nothing was sent"', {
    timeout: 60_000,
  }, async () => {
    const file = path.join(tmp, 'cli.sqlite');
    const w = await workspace({ file });
    w.db.close();
    // Not spawnSync: the emulators answer from this process, whose event loop must keep running.
    const out = await new Promise<{ stdout: string; stderr: string; status: number | null }>((resolve) => {
      execFile(
        process.execPath,
        [
          path.join(root, 'bin', 'refund-recon.js'),
          'dry-run',
          '--account',
          String(w.accountId),
          '--direction',
          'storefront_to_netsuite',
          '--orders',
          '#1005',
          '--round-trip',
          '--workspace',
          file,
        ],
        { encoding: 'utf8', env: { ...process.env, ...ENV, REFUND_RECON_ALLOW_LOOPBACK_APIS: '1' } },
        (error, stdout, stderr) => resolve({ stdout, stderr, status: error ? (error.code as number) : 0 }),
      );
    });
    expect(out.stderr).toBe('');
    expect(out.stdout).toMatch(/Round trip to NetSuite sandbox 1234567_SB1: 1 record sent, 1 read back, 0 problems\./);
    expect(out.stdout).toMatch(/SAME {2}#1005 {2}cashRefund eid:shopify-refund-900005/);
    expect(out.stdout).toMatch(
      /Written: 1 record to NetSuite sandbox 1234567_SB1 only; nothing was sent anywhere else\./,
    );
    expect(out.stdout).not.toMatch(/Nothing was sent that writes/);
    expect(out.status).toBe(0);
  });
});

describe("the round trip writes through the account's stored connection (item 2)", () => {
  it('host and secrets saved with connection:set, no environment variable: sends and reads back', async () => {
    const env: Record<string, string | undefined> = {};
    for (const k of Object.keys(ENV)) {
      env[k] = process.env[k];
      delete process.env[k];
    }
    const own = await startNetsuiteEmulator();
    setSecretStore(new FileSecretStore(path.join(tmp, 'stored-secrets.json')));
    try {
      // No NetSuite host in the account's old API settings: only the stored connection knows it.
      const w = await workspace({ netsuiteBaseUrl: undefined });
      const ctx: AppContext = { db: w.db, workspacePath: ':memory:', isDemo: false, appVersion: 't', emit: () => {} };
      const none = await dispatch(
        'dry-run:round-trip-target',
        { accountId: w.accountId, direction: 'storefront_to_netsuite' },
        ctx,
      );
      expect(none).toMatchObject({ ok: true, value: { sandbox: false } }); // nothing stored yet: no connection
      const set = await dispatch(
        'connection:set',
        {
          type: 'netsuite',
          id: w.netsuiteAccountId,
          host: own.url,
          authMethod: 'tba',
          secrets: {
            consumerKey: DEFAULT_TBA.consumerKey,
            consumerSecret: DEFAULT_TBA.consumerSecret,
            tokenId: DEFAULT_TBA.token,
            tokenSecret: DEFAULT_TBA.tokenSecret,
          },
        },
        ctx,
      );
      expect(set).toMatchObject({ ok: true });
      const run = await runRoundTrip({ db: w.db, workspacePath: ':memory:' }, toNetsuite(w.accountId, ['#1001']));
      expect(run.roundTrip).toMatchObject({
        target: 'NetSuite sandbox 1234567_SB1',
        sent: 1,
        readBack: 1,
        problems: [],
      });
      expect(own.requests.some((r) => r.method !== 'GET' && r.path.includes('/record/'))).toBe(true); // the stored host got the write
    } finally {
      setSecretStore(cliSecretStore());
      await own.close();
      for (const [k, v] of Object.entries(env)) if (v !== undefined) process.env[k] = v;
    }
  });
});
