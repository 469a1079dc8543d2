import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLoopbackApisAllowed } from '../../../src/main/connectors/destination-policy';
import { DEMO_SYNC_OPTIONS } from '../../../src/main/demo/order-context';
import { cliSecretStore, setSecretStore } from '../../../src/main/secrets';
import { generateBigcommerceData } from '../../emulators/bigcommerce/dataset';
import { type BigcommerceEmulator, startBigcommerceEmulator } from '../../emulators/bigcommerce/server';
import { GENERIC_ITEM, NS_CURRENCIES, SHIPPING_ITEM } from '../../emulators/netsuite/dataset';
import { demoNetsuiteData } from '../../emulators/netsuite/from-refunds';
import { DEFAULT_TBA, type NetsuiteEmulator, startNetsuiteEmulator } from '../../emulators/netsuite/server';
import { demoShopifyData } from '../../emulators/shopify/from-rest';
import { type ShopifyEmulator, startShopifyEmulator } from '../../emulators/shopify/server';
import { generateWooData } from '../../emulators/woocommerce/dataset';
import { startWooEmulator, type WooEmulator } from '../../emulators/woocommerce/server';
import { runCli } from '../../support/run-cli-in-process';

/**
 * Issue 13 "Done when": the new user's journey scripted with the CLI against the emulators, from
 * a new, empty workspace (not the demo).
 */

let dir: string;
let ws: string;
let secretsFile: string;
let ns: NetsuiteEmulator;
let shop: ShopifyEmulator;
let bc: BigcommerceEmulator;
let woo: WooEmulator;
const saved = { ...process.env };

const SECRET_VARS = {
  T_NS_CK: DEFAULT_TBA.consumerKey,
  T_NS_CS: DEFAULT_TBA.consumerSecret,
  T_NS_TI: DEFAULT_TBA.token,
  T_NS_TS: DEFAULT_TBA.tokenSecret,
};

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-journey-'));
  ws = path.join(dir, 'my-books.sqlite');
  secretsFile = path.join(dir, 'secrets', 'secrets.json');
  // Nothing from the developer's environment: secrets only from the owner-only file written here.
  for (const key of Object.keys(process.env)) if (key.startsWith('REFUND_RECON_')) delete process.env[key];
  process.env.REFUND_RECON_HOME = path.join(dir, 'home');
  process.env.REFUND_RECON_SECRETS_FILE = secretsFile;
  Object.assign(process.env, SECRET_VARS);
  setLoopbackApisAllowed(true);
  setSecretStore(cliSecretStore(secretsFile, {}));
  ns = await startNetsuiteEmulator({ data: (await demoNetsuiteData()).data });
  shop = await startShopifyEmulator({ data: demoShopifyData() });
  bc = await startBigcommerceEmulator({ data: generateBigcommerceData({ refunds: 5, seed: 3 }) });
  woo = await startWooEmulator({ data: generateWooData({ refunds: 5, seed: 3 }) });
}, 120_000);

afterAll(async () => {
  await Promise.all([ns?.close(), shop?.close(), bc?.close(), woo?.close()]);
  setLoopbackApisAllowed(undefined);
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  fs.rmSync(dir, { recursive: true, force: true });
});

async function ok(args: string[]): Promise<string> {
  const run = await runCli(args);
  expect(run.status, `${args.join(' ')}\n${run.stderr}`).toBe(0);
  return run.stdout;
}

const W = () => ['--workspace', ws];

describe('onboarding journey with the CLI against the emulators', { timeout: 120_000 }, () => {
  it('workspace → accounts → credentials → test connection', async () => {
    await ok(['workspace', 'create', ws]);
    await ok(['account', 'add', 'netsuite', ...W(), '--name', 'NetSuite sandbox', '--account-id', ns.accountId]);
    await ok([
      'account',
      'add',
      'storefront',
      ...W(),
      '--name',
      'Outfitters',
      '--platform',
      'shopify',
      '--netsuite',
      'NetSuite sandbox',
      '--shop',
      'emulator.myshopify.com',
      '--currency',
      'USD',
    ]);
    await ok([
      'connection',
      'set',
      'NetSuite sandbox',
      ...W(),
      '--host',
      ns.url,
      '--auth',
      'tba',
      '--secret-env',
      'consumerKey=T_NS_CK',
      '--secret-env',
      'consumerSecret=T_NS_CS',
      '--secret-env',
      'tokenId=T_NS_TI',
      '--secret-env',
      'tokenSecret=T_NS_TS',
    ]);
    process.env.T_SHOP = shop.accessToken;
    await ok(['connection', 'set', 'Outfitters', ...W(), '--host', shop.url, '--secret-env', 'accessToken=T_SHOP']);

    // The secrets went to the owner-only file under the documented names, never to the workspace.
    const stat = fs.statSync(secretsFile);
    expect(stat.mode & 0o077).toBe(0);
    expect(Object.keys(JSON.parse(fs.readFileSync(secretsFile, 'utf8'))).sort()).toEqual([
      `netsuite.${ns.accountId}.consumerKey`,
      `netsuite.${ns.accountId}.consumerSecret`,
      `netsuite.${ns.accountId}.tokenId`,
      `netsuite.${ns.accountId}.tokenSecret`,
      'shopify.emulator.accessToken',
    ]);
    expect(fs.readFileSync(ws).includes(Buffer.from(DEFAULT_TBA.tokenSecret))).toBe(false);
    const shown = await ok(['connection', 'show', 'NetSuite sandbox', ...W(), '--json']);
    expect(JSON.parse(shown).secrets.every((s: { set: boolean }) => s.set)).toBe(true);
    expect(shown).not.toContain(DEFAULT_TBA.tokenSecret);

    expect(await ok(['connection', 'test', 'NetSuite sandbox', ...W()])).toMatch(/Connected to NetSuite account/);
    expect(await ok(['connection', 'test', 'Outfitters', ...W()])).toMatch(/Connected to the Shopify shop emulator/);
    const requestsBefore = shop.requests.length;
    expect(requestsBefore).toBeGreaterThan(0);
  });

  it('test connection answers in words when the vendor says no, for BigCommerce and WooCommerce too', async () => {
    await ok([
      'account',
      'add',
      'storefront',
      ...W(),
      '--name',
      'BC store',
      '--platform',
      'bigcommerce',
      '--netsuite',
      'NetSuite sandbox',
    ]);
    process.env.T_BC = 'wrong-token';
    await ok([
      'connection',
      'set',
      'BC store',
      ...W(),
      '--host',
      bc.apiUrl,
      '--store-hash',
      bc.storeHash,
      '--secret-env',
      'accessToken=T_BC',
    ]);
    const refused = await runCli(['connection', 'test', 'BC store', ...W()]);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(/The connection test failed: .*(401|token|refused|not accepted)/i);
    process.env.T_BC = bc.accessToken;
    await ok(['connection', 'set', 'BC store', ...W(), '--secret-env', 'accessToken=T_BC']);
    expect(await ok(['connection', 'test', 'BC store', ...W()])).toMatch(/Connected to the BigCommerce store/);

    await ok([
      'account',
      'add',
      'storefront',
      ...W(),
      '--name',
      'Woo store',
      '--platform',
      'woocommerce',
      '--netsuite',
      'NetSuite sandbox',
      '--shop',
      woo.url,
    ]);
    process.env.T_WK = woo.consumerKey;
    process.env.T_WS = woo.consumerSecret;
    await ok([
      'connection',
      'set',
      'Woo store',
      ...W(),
      '--secret-env',
      'consumerKey=T_WK',
      '--secret-env',
      'consumerSecret=T_WS',
    ]);
    expect(await ok(['connection', 'test', 'Woo store', ...W()])).toMatch(/Connected to the WooCommerce store/);
  });
});

describe('onboarding journey: pull, compare, capabilities, direction, dry run, readiness, push', {
  timeout: 180_000,
}, () => {
  let storefrontSnapshot: number;
  let netsuiteSnapshot: number;
  let passingOrders: string[] = [];

  it('pulls both sides with the stored credentials and compares them', async () => {
    const pulledNs = JSON.parse(await ok(['account', 'pull', 'NetSuite sandbox', ...W(), '--json'])) as {
      snapshotId: number;
      refunds: number;
    };
    const pulledShop = JSON.parse(await ok(['account', 'pull', 'Outfitters', ...W(), '--json'])) as {
      snapshotId: number;
      refunds: number;
    };
    expect(pulledNs.refunds).toBeGreaterThan(0);
    expect(pulledShop.refunds).toBeGreaterThan(0);
    netsuiteSnapshot = pulledNs.snapshotId;
    storefrontSnapshot = pulledShop.snapshotId;
    const out = path.join(dir, 'compare-1.json');
    const compare = await runCli([
      'reconcile',
      '--storefront-snapshot',
      String(storefrontSnapshot),
      '--netsuite-snapshot',
      String(netsuiteSnapshot),
      ...W(),
      '--format',
      'json',
      '--out',
      out,
    ]);
    expect(compare.status, compare.stderr).toBe(1); // the demo data has discrepancies
    const doc = JSON.parse(fs.readFileSync(out, 'utf8')) as { summary: { byCode: Record<string, number> } };
    expect(doc.summary.byCode.missing_in_netsuite).toBeGreaterThan(0);
  });

  it('learns the capabilities from a test refund, with the evidence', async () => {
    const learned = JSON.parse(
      await ok([
        'capabilities',
        'learn',
        'Outfitters',
        ...W(),
        '--snapshot',
        String(storefrontSnapshot),
        '--refund',
        '908000004',
        '--json',
      ]),
    ) as { refundId: string; findings: { capability: string; value: string; evidence: string }[] };
    expect(learned.findings.find((f) => f.capability === 'lineItemRefunds')).toMatchObject({ value: 'yes' });
    expect(learned.findings[0]!.evidence).toMatch(/908000004/);
    const refused = await runCli([
      'capabilities',
      'learn',
      'Outfitters',
      ...W(),
      '--snapshot',
      String(netsuiteSnapshot),
      '--refund',
      'x',
    ]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/holds NetSuite records/);
  });

  it('sets the direction with the recommendation, dry-runs test orders, confirms readiness → Ready', async () => {
    const against = await runCli(['account', 'direction', 'Outfitters', 'storefront-to-netsuite', ...W()]);
    expect(against.stderr).toMatch(/against the recommendation/);
    await ok(['account', 'direction', 'Outfitters', 'storefront-to-netsuite', ...W(), '--yes']);
    const list = JSON.parse(await ok(['account', 'list', ...W(), '--json'])) as { name: string; direction: string }[];
    expect(list.find((a) => a.name === 'Outfitters')?.direction).toBe('storefront_to_netsuite');

    const accountId = '1'; // Outfitters, the first storefront account
    // The NetSuite items the sync posts amounts against (the emulator's demo account).
    // The NetSuite items and currencies of the emulated account (a live account has its own ids).
    const itemId = (name: string) => String(ns.data.items.find((i) => i.itemid === name)!.id);
    const currencyIds = Object.fromEntries(NS_CURRENCIES.map((c) => [c.symbol, String(c.id)]));
    const optionsFile = path.join(dir, 'sync-options.json');
    fs.writeFileSync(
      optionsFile,
      JSON.stringify({
        ...DEMO_SYNC_OPTIONS,
        genericItemId: itemId(GENERIC_ITEM),
        shippingItemId: itemId(SHIPPING_ITEM),
        taxOnlyItemId: itemId(GENERIC_ITEM),
        currencyIds,
      }),
    );
    await ok(['account', 'sync-options', 'Outfitters', ...W(), '--file', optionsFile]);
    let context = path.resolve(__dirname, '../../../resources/demo/order-context.json');
    const dryRun = async (orders: string[]) => {
      const dry = await runCli([
        'dry-run',
        '--account',
        accountId,
        '--orders',
        orders.join(','),
        '--snapshot',
        String(storefrontSnapshot),
        '--orders-context',
        context,
        ...W(),
        '--format',
        'json',
      ]);
      expect(dry.stderr).toBe('');
      return JSON.parse(dry.stdout) as {
        status: string;
        orders: { orderRef: string; status: string; reasons: string[]; scope: string; total: number }[];
        coverage: { missing: string[] };
      };
    };
    // The test orders the demo store flags, then the refunds the comparison found missing in NetSuite.
    const tests = await dryRun(['#1004', '#1029']);
    expect(tests.orders.map((o) => [o.orderRef, o.status, o.reasons]).sort()).toEqual([
      ['#1004', 'pass', []],
      ['#1029', 'pass', []],
    ]);
    const compared = JSON.parse(fs.readFileSync(path.join(dir, 'compare-1.json'), 'utf8')) as {
      results: { code: string; orderRef: string }[];
    };
    const missing = [
      ...new Set(compared.results.filter((r) => r.code === 'missing_in_netsuite').map((r) => r.orderRef)),
    ];
    const wide = await dryRun(missing);
    passingOrders = wide.orders.filter((o) => o.status === 'pass').map((o) => o.orderRef);
    // Every full refund of the demo store is already in NetSuite; the user refunds one more test
    // order in full, which here means its NetSuite order total equals the refund.
    const partial = wide.orders.filter((o) => o.status === 'pass' && o.scope === 'partial');
    expect(partial.length).toBeGreaterThan(1);
    const demo = JSON.parse(fs.readFileSync(context, 'utf8')) as {
      netsuite: { orderRef: string; orderTotal: number | null; items: { sku: string; itemId: string }[] }[];
    };
    for (const c of demo.netsuite) {
      if (c.orderRef === partial[0]!.orderRef) c.orderTotal = partial[0]!.total;
      // How the emulated NetSuite account holds the order's items (its own internal ids).
      for (const item of c.items) {
        const found = ns.data.items.find((i) => i.itemid === item.sku);
        if (found) item.itemId = String(found.id);
      }
    }
    context = path.join(dir, 'order-context.json');
    fs.writeFileSync(context, JSON.stringify(demo));
    const final = await dryRun(passingOrders);
    expect(final.status).toBe('pass');
    expect(final.coverage.missing).toEqual([]);

    for (const item of ['activation_steps', 'order_sync_tested', 'deployment_reviewed']) {
      await ok([
        'readiness',
        'confirm',
        'Outfitters',
        item,
        '--by',
        'Ann Accountant',
        ...W(),
        '--note',
        'checked in the sandbox',
      ]);
    }
    await ok(['readiness', 'cutoff', 'Outfitters', '2026-01-01', ...W()]);
    const readiness = JSON.parse(await ok(['readiness', 'show', 'Outfitters', ...W(), '--json'])) as {
      ready: boolean;
      items: { id: string; done: boolean; nextStep: string }[];
    };
    expect(readiness.items.filter((i) => !i.done)).toEqual([]);
    expect(readiness.ready).toBe(true);
  });
});

describe('onboarding journey: push and re-pull', { timeout: 180_000 }, () => {
  it('pushes with the confirmation code, re-pulls NetSuite and the pushed refunds are matched', async () => {
    const preview = JSON.parse(await ok(['push', '--account', '1', ...W(), '--format', 'json'])) as {
      count: number;
      confirmationCode: string;
      totals: Record<string, number>;
    };
    expect(preview.count).toBeGreaterThan(0);
    const pushed = await runCli([
      'push',
      '--account',
      '1',
      ...W(),
      '--confirm',
      preview.confirmationCode,
      '--format',
      'json',
    ]);
    const outcome = JSON.parse(pushed.stdout) as { sent: number; failed: number; remaining: number };
    if (outcome.failed) console.log((await runCli(['push', '--account', '1', ...W(), '--exceptions'])).stdout);
    expect({ status: pushed.status, stderr: pushed.stderr, failed: outcome.failed }).toEqual({
      status: 0,
      stderr: '',
      failed: 0,
    });
    expect(outcome.sent).toBeGreaterThan(0);

    const again = JSON.parse(await ok(['account', 'pull', 'NetSuite sandbox', ...W(), '--json'])) as {
      snapshotId: number;
    };
    const shopSnap = JSON.parse(await ok(['account', 'pull', 'Outfitters', ...W(), '--json'])) as {
      snapshotId: number;
    };
    const out = path.join(dir, 'compare-2.json');
    await runCli([
      'reconcile',
      '--storefront-snapshot',
      String(shopSnap.snapshotId),
      '--netsuite-snapshot',
      String(again.snapshotId),
      ...W(),
      '--format',
      'json',
      '--out',
      out,
    ]);
    const before = JSON.parse(fs.readFileSync(path.join(dir, 'compare-1.json'), 'utf8')) as {
      results: { code: string; orderRef: string }[];
    };
    const after = JSON.parse(fs.readFileSync(out, 'utf8')) as { results: { code: string; orderRef: string }[] };
    const missingBefore = new Set(
      before.results.filter((r) => r.code === 'missing_in_netsuite').map((r) => r.orderRef),
    );
    const missingAfter = new Set(after.results.filter((r) => r.code === 'missing_in_netsuite').map((r) => r.orderRef));
    expect(missingAfter.size).toBeLessThan(missingBefore.size);
    for (const ref of ['#1004', '#1029']) {
      expect(missingAfter.has(ref)).toBe(false);
      expect(after.results.find((r) => r.orderRef === ref)?.code).toBe('matched');
    }
  });
});
