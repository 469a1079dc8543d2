import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLoopbackApisAllowed } from '../../../src/main/connectors/destination-policy';
import type { AppContext } from '../../../src/main/context';
import { dispatch } from '../../../src/main/dispatch';
import { MemorySecretStore, setSecretStore } from '../../../src/main/secrets';
import { openWorkspace } from '../../../src/main/store/open';
import { generateBigcommerceData } from '../../emulators/bigcommerce/dataset';
import { type BigcommerceEmulator, startBigcommerceEmulator } from '../../emulators/bigcommerce/server';
import type { FaultSpec } from '../../emulators/common/faults';
import { generateNetsuiteData } from '../../emulators/netsuite/dataset';
import { DEFAULT_TBA, type NetsuiteEmulator, startNetsuiteEmulator } from '../../emulators/netsuite/server';
import { type ShopifyEmulator, startShopifyEmulator } from '../../emulators/shopify/server';
import { generateWooData } from '../../emulators/woocommerce/dataset';
import { DEFAULT_WOO_KEY, startWooEmulator, type WooEmulator } from '../../emulators/woocommerce/server';
import { runCli } from '../../support/run-cli';

/**
 * Issue 17 S1, S2, S3 through `refund-recon pull` (a child process, as a user runs it): a 302 to a
 * login page, a 200 `{}` and a 200 with an empty body are errors naming what was expected (exit 2,
 * no snapshot), never "0 refunds pulled" (exit 0) and never a crash (exit 70); an error body that
 * echoes the credentials — raw, base64 (Basic auth) or URL-encoded (OAuth 1.0 header) — reaches
 * stderr with every form of every secret replaced by ***.
 */

const SHOPIFY_TOKEN = 'shpat_PLANTED_0f1e2d3c4b5a69788796a5b4';
const BC_TOKEN = 'PLANTED-bc-token-9a8b7c6d5e4f';

let ns: NetsuiteEmulator;
let shopify: ShopifyEmulator;
let bc: BigcommerceEmulator;
let woo: WooEmulator;
let dir: string;

beforeAll(async () => {
  ns = await startNetsuiteEmulator({ data: generateNetsuiteData({ refunds: 20, seed: 5 }) });
  shopify = await startShopifyEmulator({ accessToken: SHOPIFY_TOKEN });
  bc = await startBigcommerceEmulator({
    data: generateBigcommerceData({ refunds: 20, seed: 5 }),
    accessToken: BC_TOKEN,
  });
  woo = await startWooEmulator({ data: generateWooData({ refunds: 20, seed: 5 }) });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-wrong-answers-'));
}, 60_000);
afterAll(async () => {
  await Promise.all([ns?.close(), shopify?.close(), bc?.close(), woo?.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

const ENV = {
  REFUND_RECON_SECRETS_FILE: '/nonexistent/refund-recon-secrets.json',
  REFUND_RECON_ALLOW_LOOPBACK_APIS: '1',
  REFUND_RECON_NETSUITE_CONSUMERKEY: DEFAULT_TBA.consumerKey,
  REFUND_RECON_NETSUITE_CONSUMERSECRET: DEFAULT_TBA.consumerSecret,
  REFUND_RECON_NETSUITE_TOKENID: DEFAULT_TBA.token,
  REFUND_RECON_NETSUITE_TOKENSECRET: DEFAULT_TBA.tokenSecret,
  REFUND_RECON_SHOPIFY_ACCESSTOKEN: SHOPIFY_TOKEN,
  REFUND_RECON_BIGCOMMERCE_ACCESSTOKEN: BC_TOKEN,
  REFUND_RECON_WOOCOMMERCE_CONSUMERKEY: DEFAULT_WOO_KEY.consumerKey,
  REFUND_RECON_WOOCOMMERCE_CONSUMERSECRET: DEFAULT_WOO_KEY.consumerSecret,
};

type Vendor = 'netsuite' | 'shopify' | 'bigcommerce' | 'woocommerce';

function emulatorOf(vendor: Vendor) {
  return { netsuite: ns, shopify, bigcommerce: bc, woocommerce: woo }[vendor];
}

function pullArgs(vendor: Vendor, workspace: string): string[] {
  const common = ['--workspace', workspace];
  if (vendor === 'netsuite') return ['pull', 'netsuite', '--account', ns.accountId, '--host', ns.url, ...common];
  if (vendor === 'shopify') return ['pull', 'shopify', '--shop', 'emu-shop', '--base-url', shopify.url, ...common];
  if (vendor === 'bigcommerce')
    return ['pull', 'bigcommerce', '--store', bc.storeHash, '--base-url', bc.apiUrl, '--currency', 'USD', ...common];
  return ['pull', 'woocommerce', '--url', woo.url, ...common];
}

let n = 0;
async function pullWith(vendor: Vendor, fault: FaultSpec) {
  const emu = emulatorOf(vendor);
  emu.faults.clear();
  emu.faults.add({ times: 50, ...fault });
  const workspace = path.join(dir, `ws-${n++}.sqlite`);
  const env: NodeJS.ProcessEnv = { ...ENV, REFUND_RECON_HTTP_BASE_DELAY_MS: '1' };
  if (vendor === 'woocommerce') env.REFUND_RECON_WOOCOMMERCE_STOREURL = woo.url;
  const result = await runCli(pullArgs(vendor, workspace), env);
  emu.faults.clear();
  let snapshots = 0;
  if (fs.existsSync(workspace)) {
    const db = openWorkspace(workspace);
    snapshots = (db.prepare('SELECT COUNT(*) AS n FROM snapshots').get() as { n: number }).n;
    db.close();
  }
  return { ...result, snapshots };
}

const VENDORS: Vendor[] = ['netsuite', 'shopify', 'bigcommerce', 'woocommerce'];
const NAMES: Record<Vendor, string> = {
  netsuite: 'NetSuite',
  shopify: 'Shopify',
  bigcommerce: 'BigCommerce',
  woocommerce: 'WooCommerce',
};

describe('pulls that get an answer of the wrong shape (issue 17 S2, S3)', { timeout: 240_000 }, () => {
  for (const vendor of VENDORS) {
    it(`${vendor}: a 302, a 200 {} and a 200 with no body are errors naming what was expected, no snapshot`, async () => {
      const redirect = await pullWith(vendor, {
        kind: 'reply',
        status: 302,
        headers: { location: 'https://login.example.com/sso?token=abc' },
      });
      expect({ status: redirect.status, stderr: redirect.stderr }).toEqual({
        status: 2,
        stderr: expect.stringMatching(
          new RegExp(
            `${NAMES[vendor]} answered .* with a redirect \\(HTTP 302 to https://login\\.example\\.com/sso\\)`,
          ),
        ),
      });
      expect(redirect.stderr).not.toContain('token=abc');
      expect(redirect.snapshots).toBe(0);
      for (const body of ['{}', '']) {
        const empty = await pullWith(vendor, { kind: 'reply', status: 200, body });
        expect({ body, status: empty.status }).toEqual({ body, status: 2 });
        expect(empty.stderr).toMatch(new RegExp(`${NAMES[vendor]} answered .*(not |without|other than)`));
        expect(empty.stderr).not.toMatch(/unexpected error|TypeError|SyntaxError|\n\s+at /);
        expect(empty.stdout).not.toMatch(/0 refunds/);
        expect(empty.snapshots).toBe(0);
      }
    });
  }
});

function b64(s: string): string {
  return Buffer.from(s).toString('base64');
}

describe('an error body that echoes the credentials (issue 17 S1)', { timeout: 240_000 }, () => {
  it('BigCommerce token, WooCommerce Basic auth, NetSuite consumer key and token id, Shopify token: all ***', async () => {
    const echo = (h: Record<string, string | string[] | undefined>) =>
      JSON.stringify({
        status: 401,
        title: `Invalid credentials: ${JSON.stringify(h)}`,
        code: 'woocommerce_rest_authentication_error',
        message: `Bad request, headers were ${JSON.stringify(h)}`,
        errors: `token ${JSON.stringify(h)}`,
        'o:errorDetails': [{ detail: `Invalid login attempt: ${JSON.stringify(h)}`, 'o:errorCode': 'INVALID_LOGIN' }],
      });
    const secrets: Record<Vendor, string[]> = {
      netsuite: [DEFAULT_TBA.consumerKey, DEFAULT_TBA.token],
      shopify: [SHOPIFY_TOKEN],
      bigcommerce: [BC_TOKEN],
      woocommerce: [
        DEFAULT_WOO_KEY.consumerKey,
        DEFAULT_WOO_KEY.consumerSecret,
        b64(`${DEFAULT_WOO_KEY.consumerKey}:${DEFAULT_WOO_KEY.consumerSecret}`),
      ],
    };
    // Shopify words a 401 without quoting its body; its GraphQL `errors` (HTTP 200) are quoted.
    const shopifyEcho = (h: Record<string, string | string[] | undefined>) =>
      JSON.stringify({ errors: [{ message: `Access denied for ${JSON.stringify(h)}` }] });
    for (const vendor of VENDORS) {
      const out = await pullWith(
        vendor,
        vendor === 'shopify'
          ? { kind: 'reply', status: 200, body: shopifyEcho }
          : { kind: 'reply', status: 401, body: echo },
      );
      expect({ vendor, status: out.status }).toEqual({ vendor, status: 2 });
      for (const secret of secrets[vendor]) {
        for (const form of [secret, b64(secret), encodeURIComponent(secret)]) {
          expect({ vendor, leaked: out.stderr.includes(form) || out.stdout.includes(form) }).toEqual({
            vendor,
            leaked: false,
          });
        }
      }
      expect({ vendor, redacted: out.stderr.includes('***') }).toEqual({ vendor, redacted: true });
    }
  });
});

describe('the renderer gets the same redacted words (issue 17 S1)', { timeout: 60_000 }, () => {
  it('connection:pull: a BigCommerce 401 echoing the token comes back with ***', async () => {
    setLoopbackApisAllowed(true);
    const store = new MemorySecretStore();
    await store.set(`bigcommerce.${bc.storeHash}.accessToken`, BC_TOKEN);
    setSecretStore(store);
    const file = path.join(dir, 'app.sqlite');
    const db = openWorkspace(file);
    try {
      const ctx: AppContext = { db, workspacePath: file, isDemo: false, appVersion: 'test', emit: () => {} };
      bc.faults.add({
        kind: 'reply',
        status: 401,
        times: 5,
        body: (h) =>
          JSON.stringify({ status: 401, title: `Token ${String(h['x-auth-token'])} (${b64(BC_TOKEN)}) is invalid` }),
      });
      const out = await dispatch(
        'connection:pull',
        { platform: 'bigcommerce', storeHash: bc.storeHash, baseUrl: bc.apiUrl, currency: 'USD' },
        ctx,
      );
      bc.faults.clear();
      expect(out.ok).toBe(false);
      const text = JSON.stringify(out);
      expect(text).not.toContain(BC_TOKEN);
      expect(text).not.toContain(b64(BC_TOKEN));
      expect(text).toContain('***');
    } finally {
      db.close();
      setLoopbackApisAllowed(undefined);
    }
  });
});
