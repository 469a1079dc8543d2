import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Db, openWorkspace } from '../../../src/main/store/open';
import { setDirection } from '../../../src/main/sync/direction-policy';
import { listJournal } from '../../../src/main/sync/journal';
import { createDemoWorkspace } from '../../../src/main/workspace/create-demo-workspace';
import { DEFAULT_SHOPIFY_TOKEN, type ShopifyEmulator, startShopifyEmulator } from '../../emulators/shopify/server';
import { runCli } from '../../support/run-cli';

/**
 * Issue 17 Y1, reproduced through the CLI: demo workspace, storefront → NetSuite with the NetSuite
 * host on a closed port, so the push's rows fail; then the account is switched to NetSuite →
 * storefront with a live Shopify target. Before the fix `push --retry-failed` POSTed the NetSuite
 * record bodies to Shopify and a preview counted them as this push's. Now the retry is refused
 * (direction_changed), nothing reaches Shopify, the preview counts only this direction's rows, and
 * a confirmed push of the new direction sends only its own rows (to a development store).
 */

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rr-direction-'));
const workspace = path.join(tmp, 'demo.sqlite');
let shopify: ShopifyEmulator;

const ENV = {
  REFUND_RECON_ALLOW_LOOPBACK_APIS: '1',
  REFUND_RECON_HTTP_BASE_DELAY_MS: '1',
  REFUND_RECON_NS_CONSUMER_KEY: 'ck-direction-test',
  REFUND_RECON_NS_CONSUMER_SECRET: 'cs-direction-test',
  REFUND_RECON_NS_TOKEN: 'tk-direction-test',
  REFUND_RECON_NS_TOKEN_SECRET: 'ts-direction-test',
  REFUND_RECON_SHOPIFY_TOKEN: DEFAULT_SHOPIFY_TOKEN,
};

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function withDb<T>(fn: (db: Db) => T): T {
  const db = openWorkspace(workspace);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

const push = (...args: string[]) => runCli(['push', '--account', '1', '--workspace', workspace, ...args], ENV);

beforeAll(async () => {
  await createDemoWorkspace(workspace);
  // A development store (its plan says so): the push of the new direction needs no readiness
  // checklist there, and the demo data cannot pass a dry run NetSuite → storefront (most of its
  // refunds are already on the store), so a live store would refuse it (not_ready_for_production).
  shopify = await startShopifyEmulator({
    plan: { partnerDevelopment: true, publicDisplayName: 'Development', shopifyPlus: false },
  });
}, 60_000);
afterAll(async () => {
  await shopify?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Preview {
  count: number;
  confirmationCode: string;
  unfinished: number;
  outsideScope: number;
  direction: string;
}

describe('push after a direction change (issue 17 Y1)', { timeout: 180_000 }, () => {
  it('never sends rows failed under storefront → NetSuite to Shopify; previews count only this direction', async () => {
    const port = await closedPort();
    withDb((db) => {
      setDirection(db, {
        accountId: 1,
        direction: 'storefront_to_netsuite',
        confirmAgainstRecommendation: true,
        actor: 'test',
      });
      db.prepare('UPDATE netsuite_accounts SET api_settings = ?').run(
        JSON.stringify({ baseUrl: `http://127.0.0.1:${port}` }),
      );
    });
    const first = await push('--format', 'json');
    expect(first.status).toBe(0);
    const p1 = JSON.parse(first.stdout) as Preview;
    expect(p1.count).toBeGreaterThan(0);
    const sent = await push('--confirm', p1.confirmationCode, '--format', 'json');
    expect(sent.status).toBe(1); // NetSuite unreachable: every write on the exception list
    const failed = withDb((db) => listJournal(db, 1, ['failed']));
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.every((r) => r.direction === 'storefront_to_netsuite')).toBe(true);
    expect(new Set(failed.map((r) => r.destination))).toEqual(
      new Set([expect.stringMatching(/^netsuite:\d+:sandbox$/)]),
    );

    // Switch: NetSuite → storefront, with a live Shopify target.
    withDb((db) => {
      setDirection(db, {
        accountId: 1,
        direction: 'netsuite_to_storefront',
        confirmAgainstRecommendation: true,
        actor: 'test',
      });
      db.prepare('UPDATE storefront_accounts SET api_settings = ? WHERE id = 1').run(
        JSON.stringify({ baseUrl: `${shopify.url}/admin/api/2025-07`, readBack: 'none' }),
      );
    });

    const retry = await push('--retry-failed');
    expect(retry.status).toBe(2);
    expect(retry.stderr).toMatch(/Storefront → NetSuite.*never sent/s);
    expect(retry.stderr).not.toMatch(/at .*\.ts:\d+/); // no stack trace
    expect(shopify.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
    const after = withDb((db) => listJournal(db, 1, ['failed']));
    expect(after.map((r) => [r.id, r.attempts, r.lastError])).toEqual(
      failed.map((r) => [r.id, r.attempts, r.lastError]),
    );

    // The preview of the new direction counts only its own rows.
    const second = await push('--format', 'json');
    expect(second.status).toBe(0);
    const p2 = JSON.parse(second.stdout) as Preview;
    expect(p2.direction).toBe('netsuite_to_storefront');
    expect(p2.unfinished).toBe(0);
    expect(p2.outsideScope).toBe(failed.length);
    const table = await push();
    expect(table.stdout).toMatch(new RegExp(`${failed.length} write\\(s\\) of another direction`));

    // A confirmed push of the new direction sends exactly its own rows, nothing of the old one.
    const mine = await push('--confirm', p2.confirmationCode, '--format', 'json');
    expect([0, 1]).toContain(mine.status);
    const outcome = JSON.parse(mine.stdout) as {
      sent: number;
      failed: number;
      alreadySynced: number;
      outsideScope: number;
    };
    const rows = withDb((db) => listJournal(db, 1).filter((r) => r.direction === 'netsuite_to_storefront'));
    expect(rows.every((r) => r.target.startsWith('shopify:') && r.destination === 'shopify:1')).toBe(true);
    expect(outcome.sent + outcome.failed + outcome.alreadySynced).toBe(rows.length);
    expect(outcome.outsideScope).toBe(failed.length);
    const posts = shopify.requests.filter((r) => r.method === 'POST').length;
    expect(posts).toBeLessThanOrEqual(rows.length * 3); // each row's own refundCreate (and policy retries)
    expect(
      withDb((db) => listJournal(db, 1, ['failed']).filter((r) => r.direction === 'storefront_to_netsuite')),
    ).toEqual(after);
  });
});
