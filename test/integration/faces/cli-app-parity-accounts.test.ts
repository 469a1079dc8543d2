import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLoopbackApisAllowed } from '../../../src/main/connectors/destination-policy';
import type { AppContext } from '../../../src/main/context';
import { dispatch } from '../../../src/main/dispatch';
import { cliSecretStore, setSecretStore } from '../../../src/main/secrets';
import { openWorkspace } from '../../../src/main/store/open';
import { LOOPBACK_SWITCH } from '../../../src/shared/loopback-switch';
import { demoNetsuiteData } from '../../emulators/netsuite/from-refunds';
import { DEFAULT_TBA, type NetsuiteEmulator, startNetsuiteEmulator } from '../../emulators/netsuite/server';
import { demoShopifyData } from '../../emulators/shopify/from-rest';
import { type ShopifyEmulator, startShopifyEmulator } from '../../emulators/shopify/server';

/**
 * Issue 12: every CLI command is a thin face over a use-case the app's handler calls too. The
 * account commands, step by step: each step is done once by the CLI (the built CLI, spawned) in
 * one workspace and once through the contract (`dispatch`, as IPC and browser mode call it) in
 * another, and both faces must answer alike and leave the same state. The vendors are the
 * emulators on loopback. (import, reconcile and the sync settings: cli-app-parity.test.ts.)
 */

const root = path.resolve(__dirname, '../../..');
let dir: string;
let cliWs: string;
let appWs: string;
let ctx: AppContext;
let ns: NetsuiteEmulator;
let shop: ShopifyEmulator;
const saved = { ...process.env };

/** The CLI's environment: no secrets of the developer's, its own secrets file, loopback vendors allowed. */
function cliEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!k.startsWith('REFUND_RECON_') || k === 'REFUND_RECON_OUT_DIR') env[k] = v;
  }
  return {
    ...env,
    NO_COLOR: '1',
    REFUND_RECON_HOME: path.join(dir, 'cli-home'),
    REFUND_RECON_SECRETS_FILE: path.join(dir, 'cli-secrets', 'secrets.json'),
    [LOOPBACK_SWITCH]: '1',
    T_NS_CK: DEFAULT_TBA.consumerKey,
    T_NS_CS: DEFAULT_TBA.consumerSecret,
    T_NS_TI: DEFAULT_TBA.token,
    T_NS_TS: DEFAULT_TBA.tokenSecret,
    T_SHOP: shop.accessToken,
  };
}

/**
 * Runs the built CLI in a child process. Asynchronously: the emulators answer from this process's
 * event loop, which a synchronous spawn would block.
 */
function cli(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'bin', 'refund-recon.js'), ...args], { env: cliEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Runs a CLI command on the CLI's workspace that must succeed; its stdout. */
async function ok(...args: string[]): Promise<string> {
  const run = await cli(...args, '--workspace', cliWs);
  expect(run.status, `${args.join(' ')}\n${run.stderr}`).toBe(0);
  return run.stdout;
}

const okJson = async <T>(...args: string[]): Promise<T> => JSON.parse(await ok(...args, '--json')) as T;

async function call<T>(channel: string, payload: unknown): Promise<T> {
  const result = await dispatch(channel, payload, ctx);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code} ${result.error.message}`);
  return result.value as T;
}

/** Reads the same query from both workspaces. */
function both(sql: string): [unknown[], unknown[]] {
  const cliDb = openWorkspace(cliWs);
  try {
    return [cliDb.prepare(sql).all(), ctx.db.prepare(sql).all()];
  } finally {
    cliDb.close();
  }
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-parity-accounts-'));
  cliWs = path.join(dir, 'cli.sqlite');
  appWs = path.join(dir, 'app.sqlite');
  for (const key of Object.keys(process.env)) {
    if (key.startsWith('REFUND_RECON_') && key !== 'REFUND_RECON_OUT_DIR') delete process.env[key];
  }
  process.env.REFUND_RECON_HOME = path.join(dir, 'app-home');
  setLoopbackApisAllowed(true);
  setSecretStore(cliSecretStore(path.join(dir, 'app-secrets', 'secrets.json'), {}));
  ns = await startNetsuiteEmulator({ data: (await demoNetsuiteData()).data });
  shop = await startShopifyEmulator({ data: demoShopifyData() });
  // The app starts on some workspace and creates the new one from a screen.
  const boot = path.join(dir, 'boot.sqlite');
  ctx = { db: openWorkspace(boot), workspacePath: boot, isDemo: false, appVersion: 'test', emit: () => {} };
}, 120_000);

afterAll(async () => {
  ctx?.db.close();
  await Promise.all([ns?.close(), shop?.close()]);
  setLoopbackApisAllowed(undefined);
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  fs.rmSync(dir, { recursive: true, force: true });
});

const actor = 'ann';
const BY = ['--by', actor];

describe('the CLI and the app give the same result, account commands', { timeout: 120_000 }, () => {
  it('workspace create and workspace:create make the same empty workspace', async () => {
    const run = await cli('workspace', 'create', cliWs);
    expect(run.status, run.stderr).toBe(0);
    const made = await call<{ path: string; isDemo: boolean }>('workspace:create', { path: appWs });
    expect(made).toEqual({ path: appWs, isDemo: false });
    expect(ctx.workspacePath).toBe(appWs);
    const [a, b] = both("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
    expect(a).toEqual(b);
    const cliDb = openWorkspace(cliWs);
    try {
      expect(cliDb.pragma('user_version', { simple: true })).toBe(ctx.db.pragma('user_version', { simple: true }));
    } finally {
      cliDb.close();
    }
    // Both refuse to overwrite a workspace.
    expect((await cli('workspace', 'create', cliWs)).status).toBe(2);
    const again = await dispatch('workspace:create', { path: appWs }, ctx);
    expect(!again.ok && again.error.code).toBe('workspace_exists');
  });

  it('account add / edit / list / remove and account:add / edit / entries / remove', async () => {
    await ok('account', 'add', 'netsuite', '--name', 'NS', '--account-id', ns.accountId, ...BY);
    await ok(
      'account',
      'add',
      'storefront',
      '--name',
      'Shop',
      '--platform',
      'shopify',
      '--netsuite',
      'NS',
      '--shop',
      'emulator.myshopify.com',
      ...BY,
    );
    await ok('account', 'add', 'storefront', '--name', 'Spare', '--platform', 'woocommerce', '--netsuite', 'NS', ...BY);
    await ok('account', 'edit', 'Shop', '--currency', 'USD', ...BY);
    await ok('account', 'remove', 'Spare', ...BY);
    await call('account:add', { type: 'netsuite', name: 'NS', accountId: ns.accountId, actor });
    await call('account:add', {
      type: 'storefront',
      name: 'Shop',
      platform: 'shopify',
      netsuite: 'NS',
      shop: 'emulator.myshopify.com',
      actor,
    });
    const spare = await call<{ id: number }>('account:add', {
      type: 'storefront',
      name: 'Spare',
      platform: 'woocommerce',
      netsuite: 'NS',
      actor,
    });
    await call('account:edit', { type: 'storefront', id: 1, currency: 'USD', actor });
    expect(await call('account:remove', { type: 'storefront', id: spare.id, actor })).toEqual({ removed: 'Spare' });

    const viaCli = await okJson<Record<string, unknown>[]>('account', 'list');
    const viaApp = await call<Record<string, unknown>[]>('account:entries', {});
    const shown = (e: Record<string, unknown>) => ({
      name: e.name,
      type: e.type,
      platform: e.platform,
      accountId: e.accountId,
      environment: e.environment,
      direction: e.direction,
      netsuite: e.netsuite,
    });
    expect(viaCli).toEqual(viaApp.map(shown));
    expect(viaCli.map((e) => e.name)).toEqual(['NS', 'Shop']);
    const [a, b] = both('SELECT name, platform, api_settings, directions FROM storefront_accounts ORDER BY name');
    expect(a).toEqual(b);
    const [auditCli, auditApp] = both('SELECT actor, action, entity FROM audit_log ORDER BY id');
    expect(auditCli).toEqual(auditApp);
  });

  it('connection set / show / test and connection:set / get / test', async () => {
    await ok(
      'connection',
      'set',
      'NS',
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
      ...BY,
    );
    await ok('connection', 'set', 'Shop', '--host', shop.url, '--secret-env', 'accessToken=T_SHOP', ...BY);
    await call('connection:set', {
      type: 'netsuite',
      id: 1,
      host: ns.url,
      authMethod: 'tba',
      secrets: {
        consumerKey: DEFAULT_TBA.consumerKey,
        consumerSecret: DEFAULT_TBA.consumerSecret,
        tokenId: DEFAULT_TBA.token,
        tokenSecret: DEFAULT_TBA.tokenSecret,
      },
      actor,
    });
    await call('connection:set', {
      type: 'storefront',
      id: 1,
      host: shop.url,
      secrets: { accessToken: shop.accessToken },
      actor,
    });
    for (const [name, type] of [
      ['NS', 'netsuite'],
      ['Shop', 'storefront'],
    ] as const) {
      // `store` says where the secrets are read from: each face's own file here.
      const { store: _cliStore, ...viaCli } = await okJson<Record<string, unknown>>('connection', 'show', name);
      const { store: _appStore, ...viaApp } = await call<Record<string, unknown>>('connection:get', { type, id: 1 });
      expect(viaCli).toEqual(viaApp);
      const tested = await okJson<{ ok: boolean; message: string; host: string }>('connection', 'test', name);
      expect(tested.ok).toBe(true);
      expect(tested).toEqual(await call('connection:test', { type, id: 1 }));
    }
  });

  it('account pull and connection:pull-account', async () => {
    interface Pulled {
      snapshotId: number;
      refunds: number;
    }
    for (const [name, type] of [
      ['NS', 'netsuite'],
      ['Shop', 'storefront'],
    ] as const) {
      const viaCli = await okJson<Pulled>('account', 'pull', name);
      const viaApp = await call<Pulled>('connection:pull-account', { type, id: 1 });
      expect(viaApp.snapshotId).toBe(viaCli.snapshotId);
      expect(viaApp.refunds).toBe(viaCli.refunds);
      expect(viaCli.refunds).toBeGreaterThan(0);
    }
    const [a, b] = both(
      'SELECT snapshot_id, source_id, order_ref, currency, total, record_type FROM refunds ORDER BY snapshot_id, source_id, id',
    );
    expect(a).toEqual(b);
  });

  it('capabilities learn and capabilities:learn', async () => {
    const viaCli = await okJson('capabilities', 'learn', 'Shop', '--snapshot', '2', '--refund', '908000004', ...BY);
    const viaApp = await call('capabilities:learn', { accountId: 1, snapshotId: 2, refundId: '908000004', actor });
    expect(viaCli).toEqual(viaApp);
    const [a, b] = both('SELECT line_item_refunds, store_credit, split_tender FROM storefront_accounts');
    expect(a).toEqual(b);
  });

  it('settings set / show and settings:set / get', async () => {
    await ok('settings', 'set', '--tolerance', '0.02', '--currency-tolerance', 'JPY=1', '--date-window', '5', ...BY);
    await call('settings:set', { defaultTolerance: '0.02', tolerances: { JPY: '1' }, dateWindowDays: 5, actor });
    const viaCli = await okJson('settings', 'show');
    expect(viaCli).toEqual(await call('settings:get', {}));
    expect(viaCli).toEqual({
      defaultTolerance: '0.02',
      tolerances: { JPY: '1' },
      dateWindowDays: 5,
      creditPayoutDays: 7,
    });
  });

  it('readiness cutoff / confirm / show and readiness:cutoff / confirm / view', async () => {
    await ok('readiness', 'cutoff', 'Shop', '2026-01-01', ...BY);
    await ok('readiness', 'confirm', 'Shop', 'deployment-reviewed', '--note', 'checked', ...BY);
    await call('readiness:cutoff', { accountId: 1, date: '2026-01-01', actor });
    await call('readiness:confirm', { accountId: 1, item: 'deployment_reviewed', actor, note: 'checked' });
    const viaCli = await okJson<{ ready: boolean; items: Record<string, unknown>[] }>('readiness', 'show', 'Shop');
    const viaApp = await call<{ ready: boolean; items: Record<string, unknown>[] }>('readiness:view', { accountId: 1 });
    const items = (v: typeof viaApp) =>
      v.items.map((i) => ({ id: i.id, title: i.title, done: i.done, by: i.by, nextStep: i.nextStep }));
    expect(viaCli.ready).toBe(viaApp.ready);
    expect(items(viaCli)).toEqual(items(viaApp));
    expect(items(viaCli).find((i) => i.id === 'deployment_reviewed')).toMatchObject({ done: true, by: actor });
  });

  it('push (preview, exceptions) and push:preview / push:exceptions', async () => {
    await ok('account', 'direction', 'Shop', 'storefront-to-netsuite', '--yes', ...BY);
    await call('account:set-direction', {
      accountId: 1,
      direction: 'storefront_to_netsuite',
      confirmAgainstRecommendation: true,
      actor,
    });
    const push = async (...args: string[]) => {
      const run = await cli('push', '--account', '1', '--format', 'json', '--workspace', cliWs, ...args);
      expect(run.stderr).toBe('');
      return JSON.parse(run.stdout) as Record<string, unknown>;
    };
    const preview = await push();
    const appPreview = await call<Record<string, unknown>>('push:preview', { accountId: 1 });
    // The app shows totals as decimal text; the CLI's JSON keeps minor units.
    const { totals: _t1, ...cliRest } = preview;
    const { totals: _t2, ...appRest } = appPreview;
    expect(cliRest).toEqual(appRest);
    expect(typeof preview.confirmationCode).toBe('string');
    const exceptions = (await push('--exceptions')) as { failed: unknown[]; notPushable: unknown[] };
    const appExceptions = await call<{ failed: unknown[]; notPushable: unknown[] }>('push:exceptions', {
      accountId: 1,
    });
    expect(exceptions.failed.length).toBe(appExceptions.failed.length);
    expect(exceptions.notPushable).toEqual(appExceptions.notPushable);
  });
});
