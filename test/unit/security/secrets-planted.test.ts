import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LOOPBACK_SWITCH, setLoopbackApisAllowed } from '../../../src/main/connectors/destination-policy';
import type { AppContext } from '../../../src/main/context';
import { dispatch } from '../../../src/main/dispatch';
import { MemorySecretStore, type SecretStore, setSecretStore } from '../../../src/main/secrets';
import { CHANNEL_NAMES, contract } from '../../../src/shared/contract';
import { generateShopifyData } from '../../emulators/shopify/dataset';
import { type ShopifyEmulator, startShopifyEmulator } from '../../emulators/shopify/server';
import { type SeededWorkspace, seededWorkspace } from './helpers';

/**
 * A planted Shopify token and NetSuite secrets go through real pulls (worker thread, loopback
 * emulator), a failed pull and a crashed connection; then we look for them everywhere they must
 * never be: the workspace file (+ WAL/SHM), stdout/stderr (logs and crash output), progress
 * events, every export format, and everything the renderer can read through the contract.
 */
const TOKEN = 'shpat_PLANTED_9f8e7d6c5b4a39281706f5e4d3c2b1a0';
const NS_SECRETS = {
  consumerKey: 'PLANTED-ck-0a1b2c3d4e5f',
  consumerSecret: 'PLANTED-cs-6a7b8c9d0e1f',
  tokenId: 'PLANTED-tid-2a3b4c5d6e7f',
  tokenSecret: 'PLANTED-ts-8a9b0c1d2e3f',
};
const NEEDLES = [TOKEN, ...Object.values(NS_SECRETS)];

let ws: SeededWorkspace;
let emu: ShopifyEmulator;
let secretStore: MemorySecretStore;
/** Names asked of the secret store, in order (values are never recorded). */
const secretReads: string[] = [];
let exportDir: string;
const events: unknown[] = [];
const output: string[] = [];
const restore: Array<() => void> = [];

function capture(stream: NodeJS.WriteStream) {
  const write = stream.write.bind(stream);
  stream.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
    output.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return write(chunk, ...rest);
  }) as typeof stream.write;
  restore.push(() => {
    stream.write = write;
  });
}

function hits(where: string, bytes: Buffer | string): string[] {
  const buffer = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
  return NEEDLES.filter(
    (n) =>
      buffer.includes(Buffer.from(n)) ||
      buffer.includes(Buffer.from(n, 'utf16le')) ||
      buffer.includes(Buffer.from(Buffer.from(n).toString('base64'))),
  ).map((n) => `${where}: ${n}`);
}

beforeAll(async () => {
  const store = new MemorySecretStore();
  await store.set('shopify.accessToken', TOKEN);
  for (const [k, v] of Object.entries(NS_SECRETS)) await store.set(`netsuite.${k}`, v);
  await store.set('bigcommerce.accessToken', TOKEN);
  await store.set('woocommerce.consumerKey', NS_SECRETS.consumerKey);
  await store.set('woocommerce.consumerSecret', NS_SECRETS.consumerSecret);
  secretStore = store;
  const recording: SecretStore = {
    kind: 'recording',
    get: (name) => {
      secretReads.push(name);
      return store.get(name);
    },
    set: (name, value) => store.set(name, value),
    delete: (name) => store.delete(name),
    list: () => store.list(),
  };
  setSecretStore(recording);
  // The emulators are on 127.0.0.1: the first describe runs as a process started with
  // REFUND_RECON_ALLOW_LOOPBACK_APIS=1; the renderer-chosen-destination tests set the switch explicitly.
  setLoopbackApisAllowed(true);
  ws = await seededWorkspace();
  (ws.ctx as { emit: AppContext['emit'] }).emit = (event, payload) => events.push({ event, payload });
  emu = await startShopifyEmulator({ data: generateShopifyData({ refunds: 30, seed: 5 }), accessToken: TOKEN });
  exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-secret-export-'));
  capture(process.stdout);
  capture(process.stderr);
}, 60_000);

afterAll(async () => {
  setLoopbackApisAllowed(undefined);
  for (const r of restore) r();
  await emu?.close();
  ws?.close();
  fs.rmSync(exportDir, { recursive: true, force: true });
});

describe('planted secrets never leave the secret store', () => {
  const results: unknown[] = [];

  it('a successful Shopify pull through the contract makes a snapshot', async () => {
    const ok = await dispatch('connection:pull', { platform: 'shopify', shop: 'demo', baseUrl: emu.url }, ws.ctx);
    results.push(ok);
    expect(ok).toMatchObject({ ok: true, value: { refunds: expect.any(Number) } });
    expect(emu.requests.length).toBeGreaterThan(0);
  }, 60_000);

  it('a refused Shopify token and a refused NetSuite signature fail with errors that carry no secret', async () => {
    const refused = await startShopifyEmulator({
      data: generateShopifyData({ refunds: 3, seed: 1 }),
      accessToken: 'x',
    });
    const r1 = await dispatch('connection:pull', { platform: 'shopify', shop: 'demo', baseUrl: refused.url }, ws.ctx);
    await refused.close();
    // A NetSuite host that refuses the signed request (401 with a body that echoes nothing).
    const refusing = http.createServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        '{"type":"https://www.rfc-editor.org/rfc/rfc9110.html#section-15.5.2","title":"Unauthorized","status":401}',
      );
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const port = (refusing.address() as { port: number }).port;
    const r2 = await dispatch(
      'connection:pull',
      { platform: 'netsuite', accountId: '1234567', host: `http://127.0.0.1:${port}` },
      ws.ctx,
    );
    await new Promise<void>((resolve) => refusing.close(() => resolve()));
    for (const r of [r1, r2]) {
      expect(r.ok).toBe(false);
      results.push(r);
    }
  }, 120_000);

  it('exports (CSV, XLSX, HTML) of the workspace carry no secret', async () => {
    const runs = (await dispatch('run:list', {}, ws.ctx)) as { ok: true; value: { id: number }[] };
    for (const format of ['csv', 'xlsx', 'html'] as const) {
      const r = await dispatch(
        'report:export',
        { runId: runs.value[0]!.id, format, folder: exportDir, fileName: `report.${format}` },
        ws.ctx,
      );
      expect(r.ok, JSON.stringify(r)).toBe(true);
    }
    const found: string[] = [];
    for (const name of fs.readdirSync(exportDir))
      found.push(...hits(name, fs.readFileSync(path.join(exportDir, name))));
    expect(found).toEqual([]);
  });

  it('nothing the renderer can read through the contract carries a secret', async () => {
    const found: string[] = [];
    for (const r of results) found.push(...hits('pull result', JSON.stringify(r)));
    // Every channel that needs no input, plus the audit log and the account settings.
    for (const channel of CHANNEL_NAMES) {
      if (!contract[channel].input.safeParse({}).success) continue;
      if (['connection:pull', 'ui:upload-chunk'].includes(channel)) continue;
      found.push(...hits(channel, JSON.stringify(await dispatch(channel, {}, ws.ctx))));
    }
    found.push(...hits('audit:list', JSON.stringify(await dispatch('audit:list', { limit: 1000 }, ws.ctx))));
    found.push(...hits('job:progress events', JSON.stringify(events)));
    expect(found).toEqual([]);
  });

  it('the workspace file, its WAL and SHM, and stdout/stderr carry no secret', () => {
    const found: string[] = [];
    for (const suffix of ['', '-wal', '-shm', '-journal']) {
      const file = `${ws.file}${suffix}`;
      if (fs.existsSync(file)) found.push(...hits(path.basename(file), fs.readFileSync(file)));
    }
    found.push(...hits('stdout/stderr', output.join('')));
    expect(found).toEqual([]);
  });
});

/** A local listener standing in for an attacker's server: records every connection and request. */
async function listener(): Promise<{
  port: number;
  connections: () => number;
  requests: { url: string; headers: http.IncomingHttpHeaders }[];
  close: () => Promise<void>;
}> {
  let connections = 0;
  const requests: { url: string; headers: http.IncomingHttpHeaders }[] = [];
  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    requests.push({ url: req.url ?? '', headers: req.headers });
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end('{"errors":"no"}');
  };
  const v4 = http.createServer(handler);
  v4.on('connection', () => {
    connections += 1;
  });
  await new Promise<void>((resolve) => v4.listen(0, '127.0.0.1', resolve));
  const port = (v4.address() as { port: number }).port;
  // The same port on ::1, where the machine has IPv6 loopback, so [::1] forms would be seen too.
  const v6 = http.createServer(handler);
  v6.on('connection', () => {
    connections += 1;
  });
  const v6up = await new Promise<boolean>((resolve) => {
    v6.once('error', () => resolve(false));
    v6.listen(port, '::1', () => resolve(true));
  });
  return {
    port,
    connections: () => connections,
    requests,
    close: async () => {
      await new Promise<void>((resolve) => v4.close(() => resolve()));
      if (v6up) await new Promise<void>((resolve) => v6.close(() => resolve()));
    },
  };
}

/** Every renderer-chosen address the attacker could point at the local listener (any switch). */
function hostileAddresses(port: number): string[] {
  return [
    `http://localhost:${port}`,
    `http://LOCALHOST:${port}`,
    `http://[::1]:${port}`,
    `http://[0:0:0:0:0:0:0:1]:${port}`,
    `http://[::ffff:127.0.0.1]:${port}`,
    `http://127.1:${port}`,
    `http://2130706433:${port}`,
    `http://0x7f.0.0.1:${port}`,
    `http://0177.0.0.1:${port}`,
    `http://127.0.0.1.:${port}`,
    `https://demo.myshopify.com@127.0.0.1:${port}`,
    `http://evil.myshopify.com@127.0.0.1:${port}`,
    `http://127.0.0.1:${port}\\@demo.myshopify.com`,
    `http://127.0.0.1:${port}/../../stores/demo/v3`,
    `http://127.0.0.1:${port}/?x=https://demo.myshopify.com`,
    `file:///etc/passwd`,
    `data:text/plain,${port}`,
  ];
}

function pullRequests(address: string): Record<string, unknown>[] {
  return [
    { platform: 'shopify', shop: 'demo', baseUrl: address },
    { platform: 'netsuite', accountId: '1234567', host: address },
    { platform: 'bigcommerce', storeHash: 'demo', baseUrl: address, currency: 'USD' },
    { platform: 'woocommerce', url: address },
  ];
}

describe('connection:pull refuses renderer-chosen destinations before any request or secret read', () => {
  afterAll(() => setLoopbackApisAllowed(true));

  for (const allowLoopback of [false, true]) {
    it(`hostile addresses, loopback switch ${allowLoopback ? 'on' : 'off'}: nothing connects, no secret is read`, async () => {
      setLoopbackApisAllowed(allowLoopback);
      const attacker = await listener();
      const refusals: unknown[] = [];
      try {
        const addresses = [
          ...hostileAddresses(attacker.port),
          // Other hosts (not reachable from a test, refused by name alike).
          'https://evil.example',
          'https://demo.myshopify.com.evil.example',
          'https://api.bigcommerce.com.evil.example/stores/demo/v3',
          'https://1234567.suitetalk.api.netsuite.com.evil.example',
          'http://demo.myshopify.com',
          'http://api.bigcommerce.com/stores/demo/v3',
          'http://1234567.suitetalk.api.netsuite.com',
          'https://other.myshopify.com',
          'https://api.bigcommerce.com/stores/other/v3',
        ];
        // Without the switch, plain 127.0.0.1 (the emulators' form) is refused too.
        if (!allowLoopback) addresses.push(`http://127.0.0.1:${attacker.port}`, `127.0.0.1:${attacker.port}`);
        for (const address of addresses) {
          for (const request of pullRequests(address)) {
            // WooCommerce has no vendor host: any public https store is an address; the pair is bound
            // to its origin (next test). Here only the forms the policy refuses by shape.
            if (request.platform === 'woocommerce' && /^https:\/\/[a-z0-9.-]+(\/|$)/.test(address)) continue;
            secretReads.length = 0;
            const r = await dispatch('connection:pull', request, ws.ctx);
            expect(r.ok, `${request.platform} ${address}`).toBe(false);
            expect(secretReads, `${request.platform} ${address}: secret store read`).toEqual([]);
            refusals.push(r);
          }
        }
        // Give any stray connection attempt time to land before counting.
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(attacker.connections()).toBe(0);
        expect(attacker.requests).toEqual([]);
        for (const r of refusals) {
          expect(r).toMatchObject({
            ok: false,
            error: {
              code: expect.stringMatching(
                /^(api_destination|woocommerce_|shopify_shop|bigcommerce_store|invalid_input)/,
              ),
            },
          });
        }
        const found = refusals.flatMap((r) => hits('refusal', JSON.stringify(r)));
        expect(found).toEqual([]);
      } finally {
        await attacker.close();
      }
    }, 60_000);
  }

  it("WooCommerce: a renderer-chosen store origin never gets the default key pair or another store's", async () => {
    setLoopbackApisAllowed(true);
    const attacker = await listener();
    try {
      // The default pair is stored without woocommerce.storeUrl: bound to no store, sent to none.
      secretReads.length = 0;
      const r1 = await dispatch(
        'connection:pull',
        { platform: 'woocommerce', url: `http://127.0.0.1:${attacker.port}` },
        ws.ctx,
      );
      expect(r1).toMatchObject({ ok: false, error: { code: 'woocommerce_secret_unbound' } });
      // Bound to another origin: still refused for this one.
      await secretStore.set('woocommerce.storeUrl', 'https://shop.example.com');
      const r2 = await dispatch(
        'connection:pull',
        { platform: 'woocommerce', url: `http://127.0.0.1:${attacker.port}` },
        ws.ctx,
      );
      expect(r2).toMatchObject({ ok: false, error: { code: 'woocommerce_secret_other_store' } });
      // Another store's scoped pair is not this store's.
      await secretStore.set('woocommerce.shop.example.com.consumerKey', 'ck_other');
      await secretStore.set('woocommerce.shop.example.com.consumerSecret', 'cs_other');
      const r3 = await dispatch(
        'connection:pull',
        { platform: 'woocommerce', url: `http://127.0.0.1:${attacker.port}` },
        ws.ctx,
      );
      expect(r3.ok).toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(attacker.connections()).toBe(0);
      for (const r of [r1, r2, r3]) expect(hits('refusal', JSON.stringify(r))).toEqual([]);
    } finally {
      await secretStore.delete('woocommerce.storeUrl');
      await secretStore.delete('woocommerce.shop.example.com.consumerKey');
      await secretStore.delete('woocommerce.shop.example.com.consumerSecret');
      await attacker.close();
    }
  }, 60_000);
});

describe('a renderer-chosen host never receives a secret (the leak found by the security review, fixed)', () => {
  // connection:pull used to send the stored token / signed credentials to whatever `baseUrl` /
  // `host` / `url` the renderer named. Now the destination policy decides (vendor https hosts;
  // 127.0.0.1 only when the process was started with the loopback switch).
  afterAll(() => setLoopbackApisAllowed(true));

  it('a renderer-supplied baseUrl never receives the stored Shopify token', async () => {
    // As the packaged app runs: no switch.
    setLoopbackApisAllowed(false);
    const seen: string[] = [];
    const attacker = http.createServer((req, res) => {
      seen.push(String(req.headers['x-shopify-access-token'] ?? ''));
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"errors":"no"}');
    });
    await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(attacker.address() as { port: number }).port}`;
    let result: unknown;
    try {
      result = await dispatch('connection:pull', { platform: 'shopify', shop: 'demo', baseUrl: url }, ws.ctx);
    } finally {
      await new Promise<void>((resolve) => attacker.close(() => resolve()));
    }
    expect(seen).not.toContain(TOKEN);
    expect(seen).toEqual([]);
    expect(result).toMatchObject({ ok: false, error: { code: 'api_destination_loopback' } });
    expect(JSON.stringify(result)).toContain(LOOPBACK_SWITCH);
  }, 60_000);
});
