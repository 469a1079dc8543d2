import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLoopbackApisAllowed } from '../../../src/main/connectors/destination-policy';
import type { AppContext } from '../../../src/main/context';
import { dispatch } from '../../../src/main/dispatch';
import { MemorySecretStore, setSecretStore } from '../../../src/main/secrets';
import { openWorkspace } from '../../../src/main/store/open';
import { generateBigcommerceData } from '../../emulators/bigcommerce/dataset';
import { type BigcommerceEmulator, startBigcommerceEmulator } from '../../emulators/bigcommerce/server';
import { generateWooData } from '../../emulators/woocommerce/dataset';
import { startWooEmulator, type WooEmulator } from '../../emulators/woocommerce/server';

/** `refund-recon pull bigcommerce|woocommerce` and the `connection:pull` variants, secrets kept out. */

const run = promisify(execFile);
const BIN = path.resolve(__dirname, '../../../bin/refund-recon.js');
const PLANTED_BC = 'PLANTED-bc-token-3f9a1c7e5d2b';
const PLANTED_WOO = { consumerKey: 'ck_PLANTED_7a1b2c3d4e5f', consumerSecret: 'cs_PLANTED_9f8e7d6c5b4a' };

let bc: BigcommerceEmulator;
let woo: WooEmulator;
let dir: string;

// The emulators listen on 127.0.0.1: loopback API destinations are allowed in this process, as
// REFUND_RECON_ALLOW_LOOPBACK_APIS=1 does for a process started with it (CLI children get the variable).
beforeAll(() => setLoopbackApisAllowed(true));
afterAll(() => setLoopbackApisAllowed(undefined));

beforeAll(async () => {
  bc = await startBigcommerceEmulator({
    data: generateBigcommerceData({ refunds: 60, seed: 4 }),
    accessToken: PLANTED_BC,
  });
  woo = await startWooEmulator({
    data: generateWooData({ refunds: 50, seed: 4 }),
    keys: [{ ...PLANTED_WOO, permissions: 'read' }],
  });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-storefront-pull-'));
});
afterAll(async () => {
  await bc?.close();
  await woo?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function grep(root: string, needles: string[]): string[] {
  const hits: string[] = [];
  for (const name of fs.readdirSync(root)) {
    const bytes = fs.readFileSync(path.join(root, name));
    for (const needle of needles) if (bytes.includes(Buffer.from(needle))) hits.push(`${name}: ${needle}`);
  }
  return hits;
}

describe('storefront pulls from the CLI and the app', () => {
  it('refund-recon pull bigcommerce and pull woocommerce make snapshots; no secret in log, workspace or output', async () => {
    const workspace = path.join(dir, 'ws.sqlite');
    const log = path.join(dir, 'requests.jsonl');
    const env = {
      ...process.env,
      REFUND_RECON_SECRETS_FILE: path.join(dir, 'none.json'),
      REFUND_RECON_BIGCOMMERCE_ACCESSTOKEN: PLANTED_BC,
      REFUND_RECON_WOOCOMMERCE_CONSUMERKEY: PLANTED_WOO.consumerKey,
      REFUND_RECON_WOOCOMMERCE_CONSUMERSECRET: PLANTED_WOO.consumerSecret,
      // The unscoped WooCommerce pair is sent only to the store it names.
      REFUND_RECON_WOOCOMMERCE_STOREURL: woo.url,
      REFUND_RECON_ALLOW_LOOPBACK_APIS: '1',
    };
    const common = ['--workspace', workspace, '--request-log', log, '--json'];
    const a = await run(
      process.execPath,
      [BIN, 'pull', 'bigcommerce', '--store', bc.storeHash, '--base-url', bc.apiUrl, '--currency', 'USD', ...common],
      { env },
    );
    // One page of refunds, then the products of each order with product refunds (GET /v2/orders/{id}/products).
    const productOrders = new Set(
      bc.data.refunds
        .filter((r) => (r.items as Array<{ item_type: string }>).some((i) => i.item_type === 'PRODUCT'))
        .map((r) => r.order_id),
    ).size;
    expect(JSON.parse(a.stdout)).toMatchObject({ refunds: 60, requests: 1 + productOrders });
    const b = await run(process.execPath, [BIN, 'pull', 'woocommerce', '--url', woo.url, ...common], { env });
    expect(JSON.parse(b.stdout).refunds).toBe(50);
    const insecure = await run(
      process.execPath,
      [BIN, 'pull', 'woocommerce', '--url', 'http://shop.example.com', ...common],
      {
        env,
      },
    ).catch((e: { code: number; stderr: string }) => e);
    expect((insecure as { code: number }).code).toBe(2);
    expect((insecure as { stderr: string }).stderr).toMatch(/over plain HTTP/);
    const db = openWorkspace(workspace);
    const rows = db.prepare('SELECT format, query_window, provenance FROM snapshots ORDER BY id').all() as {
      format: string;
      provenance: string;
    }[];
    db.close();
    expect(rows.map((r) => r.format)).toEqual(['bigcommerce-v3', 'woocommerce-v3']);
    expect(JSON.parse(rows[0]!.provenance).account).toBe(bc.storeHash);
    const needles = [PLANTED_BC, PLANTED_WOO.consumerKey, PLANTED_WOO.consumerSecret];
    expect(grep(dir, needles)).toEqual([]);
    for (const text of [a.stdout, a.stderr, b.stdout, b.stderr]) for (const n of needles) expect(text).not.toContain(n);
  }, 120_000);

  it('connection:pull runs BigCommerce and WooCommerce pulls as jobs', async () => {
    const store = new MemorySecretStore();
    await store.set(`bigcommerce.${bc.storeHash}.accessToken`, PLANTED_BC);
    const host = new URL(woo.url).host;
    await store.set(`woocommerce.${host}.consumerKey`, PLANTED_WOO.consumerKey);
    await store.set(`woocommerce.${host}.consumerSecret`, PLANTED_WOO.consumerSecret);
    setSecretStore(store);
    const file = path.join(dir, 'app.sqlite');
    const db = openWorkspace(file);
    const ctx: AppContext = { db, workspacePath: file, isDemo: false, appVersion: 'test', emit: () => {} };
    const r1 = await dispatch(
      'connection:pull',
      { platform: 'bigcommerce', storeHash: bc.storeHash, baseUrl: bc.apiUrl, currency: 'usd' },
      ctx,
    );
    expect(r1).toMatchObject({ ok: true, value: { refunds: 60 } });
    const r2 = await dispatch('connection:pull', { platform: 'woocommerce', url: woo.url, from: '2025-10-01' }, ctx);
    expect(r2).toMatchObject({ ok: true, value: { refunds: 50 } });
    const r3 = await dispatch('connection:pull', { platform: 'woocommerce', url: 'http://shop.example.com' }, ctx);
    expect(r3).toMatchObject({ ok: false, error: { code: 'woocommerce_insecure' } });
    db.close();
  }, 120_000);
});
